"""What every sandbox endpoint does before its own work.

1. settle whatever the clock says is due (see lifecycle.py);
2. authenticate the API key;
3. for POST: read the body, verify the JWS where the endpoint needs one, then
   run the operation under the idempotency key, in one store transaction.

Endpoints are plain async functions; SQLite work is synchronous and short, so
it runs on the event loop under the store's lock rather than in a thread pool
(which would need a connection per thread for no gain on a local server).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from fintoc_tui.api.jws import HEADER_NAME, JWSError
from fintoc_tui.sandbox import idempotency, lifecycle
from fintoc_tui.sandbox.auth import authenticate
from fintoc_tui.sandbox.errors import SandboxError
from fintoc_tui.sandbox.store import SandboxStore, dumps

Handler = Callable[[Request], Awaitable[Response]]


def prepare(request: Request) -> None:
    state = request.app.state
    lifecycle.settle_due(state.store, state.clock.time(), state.settle_after)
    authenticate(request.headers.get("authorization"), state.secret_keys)


def api_get(fn: Handler) -> Handler:
    @functools.wraps(fn)
    async def wrapper(request: Request) -> Response:
        prepare(request)
        return await fn(request)

    return wrapper


Operation = Callable[[Request, Any, dict[str, Any]], tuple[int, dict[str, Any]]]


def json_response(status: int, obj: Any) -> Response:
    return Response(dumps(obj).encode("utf-8"), status_code=status, media_type="application/json")


def parse_body(request: Request, body: bytes) -> dict[str, Any]:
    """A JSON object body; form-encoded bodies (as in Fintoc's curl examples) work too."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return _form(body)
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise SandboxError(400, "invalid_json", "The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise SandboxError(400, "invalid_request", "The request body must be a JSON object")
    return data


def _form(body: bytes) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        item: Any = int(value) if key == "amount" and value.isascii() and value.isdigit() else value
        if "[" in key and key.endswith("]"):
            outer, inner = key[:-1].split("[", 1)
            data.setdefault(outer, {})[inner] = item
        else:
            data[key] = item
    return data


def api_post(*, jws: bool) -> Callable[[Operation], Handler]:
    """Wrap an operation `(request, db, data) -> (status, object)` run in a write transaction."""

    def decorate(op: Operation) -> Handler:
        @functools.wraps(op)
        async def wrapper(request: Request) -> Response:
            prepare(request)
            body = await request.body()
            state = request.app.state
            if jws:
                try:
                    state.jws.verify(request.headers.get(HEADER_NAME), body)
                except JWSError as exc:
                    raise SandboxError(
                        401, exc.code, exc.message, type="authentication_error"
                    ) from None
            key = idempotency.check_key(request.headers.get(idempotency.HEADER))
            store: SandboxStore = state.store
            fingerprint = idempotency.fingerprint(request.method, request.url.path, body)
            with store.transaction() as db:
                if key is not None:
                    cutoff = state.clock.time() - idempotency.TTL_SECONDS
                    db.execute(
                        "DELETE FROM idempotency WHERE key = ? AND created_at < ?", (key, cutoff)
                    )
                    stored = store.idempotent_response(key)
                    if stored is not None:
                        return idempotency.replay(stored, fingerprint)
                db.execute("SAVEPOINT operation")
                try:
                    status, obj = op(request, db, parse_body(request, body))
                    db.execute("RELEASE operation")
                    payload = dumps(obj).encode("utf-8")
                except SandboxError as exc:
                    db.execute("ROLLBACK TO operation")
                    db.execute("RELEASE operation")
                    if key is None:
                        raise
                    status, payload = exc.status, exc.body()
                if key is not None:
                    store.save_idempotent_response(
                        db, key, fingerprint, status, payload, state.clock.time()
                    )
            return Response(payload, status_code=status, media_type="application/json")

        return wrapper

    return decorate
