"""A fault for tests: something between the app and Fintoc that answers in its place.

Real traffic to Fintoc crosses Cloudflare and a Google load balancer (the
`Server` and `Via` headers of the recorded responses say so), and often a
corporate proxy or a captive portal too. Any of them can answer instead of
Fintoc: a `408`, an HTML `403`, nginx's `499`, a `302` to a login page.
`Intermediary` is an ASGI middleware put in front of the real sandbox app
that gives such answers on cue, so tests can check that only Fintoc's own
answers settle an outcome. It is a fault, not a stand-in for Fintoc: every
request it does not answer goes to the real sandbox, and it never makes up a
Fintoc answer unless a test scripts one on purpose.

It works in process (`httpx.ASGITransport(app=Intermediary(sandbox_app))`)
and over a real socket (`SandboxServer(Intermediary(sandbox_app))`).

    proxy = Intermediary(app)
    proxy.script(None, html(403), html(403))  # 1st POST passes, the next two get HTML
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["NOT_FINTOC_ANSWERS", "Answer", "Intermediary", "empty", "html", "redirect"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class Answer:
    """One answer given instead of Fintoc's.

    `passes_on`: the request goes on to the app first (it may move money),
    then the app's answer is thrown away and this one is given instead, as a
    proxy does when it times out waiting for Fintoc.
    """

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    passes_on: bool = False


def html(status: int, *, passes_on: bool = False) -> Answer:
    """A proxy's HTML error page."""
    page = (
        f"<html><head><title>{status}</title></head><body><center><h1>{status}</h1>"
        "</center><hr><center>nginx</center></body></html>"
    ).encode()
    return Answer(status, page, (("content-type", "text/html"),), passes_on)


def empty(status: int, *, passes_on: bool = False) -> Answer:
    """A status line and nothing else (a load balancer's 408, nginx's 499)."""
    return Answer(status, b"", (), passes_on)


def redirect(
    status: int = 302, location: str = "https://login.example.com/sso?next=/v2/transfers"
) -> Answer:
    """A redirect, as a captive portal or an expired SSO session answers."""
    return Answer(status, b"", (("location", location),))


#: Answers that are not Fintoc's, by name (issue 11 §1 names the first 13).
#: None of them may settle a transfer's outcome.
NOT_FINTOC_ANSWERS: dict[str, Answer] = {
    **{f"{status}-html": html(status) for status in (408, 400, 404, 403, 413, 499)},
    **{f"{status}-empty": empty(status) for status in (408, 400, 404, 403, 413, 499)},
    "302-to-login": redirect(302),
    "307-elsewhere": redirect(307, "https://attacker.example/v2/transfers"),
    "403-json-gateway": Answer(
        403, b'{"message":"Forbidden"}', (("content-type", "application/json"),)
    ),
    "400-fintoc-shape-as-html": Answer(
        400,
        b'{"error":{"type":"invalid_request_error","code":"invalid_amount","message":"x"}}',
        (("content-type", "text/html"),),
    ),
    "200-captive-portal": Answer(
        200, b"<html><body>Sign in to the Wi-Fi</body></html>", (("content-type", "text/html"),)
    ),
}


@dataclass
class Intermediary:
    """ASGI middleware answering the next matching requests as `script` says.

    `script(*steps)` queues one step per matching request: an `Answer`, or
    None to let that request through. With the queue empty every request
    goes through. `seen` lists `(method, host, path)` of every request that
    reached it, answered or not.
    """

    app: ASGIApp
    methods: frozenset[str] = frozenset({"POST"})
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    answered: int = 0
    _steps: deque[Answer | None] = field(default_factory=deque)

    def script(self, *steps: Answer | None) -> None:
        self._steps.extend(steps)

    @property
    def pending(self) -> int:
        """Steps not used yet."""
        return len(self._steps)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode()
        self.seen.append((scope["method"], host, scope["path"]))
        step = self._steps.popleft() if scope["method"] in self.methods and self._steps else None
        if step is None:
            await self.app(scope, receive, send)
            return
        if step.passes_on:
            await self.app(scope, receive, _discard)
        else:
            await _drain(receive)
        self.answered += 1
        headers = [(name.encode(), value.encode()) for name, value in step.headers]
        headers.append((b"content-length", str(len(step.body)).encode()))
        await send({"type": "http.response.start", "status": step.status, "headers": headers})
        await send({"type": "http.response.body", "body": step.body})


async def _discard(message: Message) -> None:
    """Throw the app's answer away."""


async def _drain(receive: Receive) -> None:
    """Read the request body, as a proxy does before it answers."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
