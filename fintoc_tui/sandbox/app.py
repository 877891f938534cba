"""The sandbox as a Starlette app: `create_app(store, clock, ...)`.

The same app serves a real loopback socket (server.py, the CLI) and tests in
process through `httpx.ASGITransport`. It does not seed: give it a seeded
store (seed.py) or an empty one (an organisation with nothing in it).
"""

from __future__ import annotations

from collections.abc import Iterable

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fintoc_tui.api.jws import JWSVerifier
from fintoc_tui.clock import Clock
from fintoc_tui.sandbox import (
    routes_account_numbers,
    routes_accounts,
    routes_receipts,
    routes_simulate,
    routes_statements,
    routes_transfers,
    routes_verifications,
    routes_webhooks,
    routes_whoami,
)
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.errors import SandboxError, brief, error_body
from fintoc_tui.sandbox.faults import Faults, _connection_dropped
from fintoc_tui.sandbox.store import SandboxStore

__all__ = ["DEFAULT_SETTLE_AFTER", "SANDBOX_SECRET_KEY", "create_app"]

#: Seconds before a pending transfer reaches its outcome: long enough for a
#: person to see `pending`, short enough to watch it become `succeeded`.
DEFAULT_SETTLE_AFTER = 4.0


async def _sandbox_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SandboxError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        message = f"{brief(request.method)} is not allowed on {brief(request.url.path)}"
        code = "method_not_allowed"
    elif exc.status_code == 404:
        message = f"Unrecognized request URL ({brief(request.method)} {brief(request.url.path)})"
        code = "missing_resource"
    else:
        message, code = str(exc.detail), "invalid_request"
    return Response(
        error_body("invalid_request_error", code, message),
        status_code=exc.status_code,
        media_type="application/json",
        headers=dict(exc.headers or {}),
    )


async def _server_error(request: Request, exc: Exception) -> Response:
    return Response(
        error_body("api_error", "internal_server_error", "The sandbox hit an unexpected error"),
        status_code=500,
        media_type="application/json",
    )


class FaultMiddleware:
    """Applies `Faults` around the app (see faults.py); a no-op while none are active."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        faults = self.faults
        if (
            scope["type"] != "http"
            or not faults.active
            or not faults.applies_to(scope["method"], scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        if faults.latency:
            await anyio.sleep(faults.latency)
        fault = faults.draw()
        if fault is None:
            await self.app(scope, receive, send)
            return
        kind, status = fault
        if kind == "error":
            status = status or faults.error_status
            code = "internal_server_error" if status == 500 else "service_unavailable"
            body = error_body("api_error", code, f"Injected fault: HTTP {status}")
            await _send(send, status, body, {})
        elif kind == "rate_limit":
            body = error_body(
                "invalid_request_error",
                "rate_limit_exceeded",
                "Too many requests; retry after the Retry-After seconds",
            )
            await _send(send, 429, body, {"retry-after": str(faults.retry_after)})
        else:

            async def drop_after_start(message: Message) -> None:
                if message["type"] == "http.response.start":
                    await send(message)
                    raise _connection_dropped()()
                await send(message)

            await self.app(scope, receive, drop_after_start)


async def _send(send: Send, status: int, body: bytes, headers: dict[str, str]) -> None:
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def create_app(
    store: SandboxStore,
    clock: Clock,
    *,
    jws_public_pems: Iterable[bytes | str] = (),
    faults: Faults | None = None,
    settle_after: float = DEFAULT_SETTLE_AFTER,
    base_url: str | None = None,
    secret_keys: Iterable[str] = (SANDBOX_SECRET_KEY,),
) -> Starlette:
    """The sandbox app over `store`, with time from `clock`.

    `jws_public_pems` are the organisation's registered JWS keys (more can be
    added at run time with `app.state.jws.add_public_key`). `faults` is shared,
    so a test can change it while the app runs. `base_url` fixes the origin of
    `Link` URLs; by default they use the request's own.
    """
    app = Starlette(
        routes=[
            *routes_account_numbers.ROUTES,  # before routes_accounts: its list has more filters
            *routes_statements.ROUTES,
            *routes_accounts.ROUTES,
            *routes_transfers.ROUTES,
            *routes_simulate.ROUTES,
            *routes_receipts.ROUTES,
            *routes_verifications.ROUTES,
            *routes_whoami.ROUTES,
        ],
        exception_handlers={
            SandboxError: _sandbox_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    app.router.routes.extend(routes_webhooks.ROUTES)
    app.state.store = store
    app.state.clock = clock
    app.state.jws = JWSVerifier(list(jws_public_pems), clock)
    app.state.faults = faults if faults is not None else Faults()
    app.state.settle_after = settle_after
    app.state.base_url = base_url
    app.state.secret_keys = tuple(secret_keys)
    app.add_middleware(FaultMiddleware, faults=app.state.faults)
    return app
