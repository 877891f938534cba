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
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from fintoc_tui.api.jws import HEADER_NAME, JWSError
from fintoc_tui.sandbox import idempotency, lifecycle, limits, verifications
from fintoc_tui.sandbox.auth import authenticate
from fintoc_tui.sandbox.errors import SandboxError
from fintoc_tui.sandbox.store import SandboxStore, dumps

Handler = Callable[[Request], Awaitable[Response]]


def prepare(request: Request) -> None:
    state = request.app.state
    now = state.clock.time()
    lifecycle.settle_due(state.store, now, state.settle_after)
    verifications.settle_due(state.store, now)
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


async def read_body(request: Request) -> bytes:
    """The request body, refused with a 413 once it passes `limits.MAX_BODY_BYTES`.

    Read in chunks rather than with `request.body()`, so a client that sends
    (or announces) a gigabyte is stopped at the limit, not after it.
    """
    announced = request.headers.get("content-length", "")
    # Length first: int() refuses past 4,300 digits, and 13 are already 1 TB.
    if (
        announced.isascii()
        and announced.isdigit()
        and (len(announced) > 12 or int(announced) > limits.MAX_BODY_BYTES)
    ):
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limits.MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> SandboxError:
    return SandboxError(
        413,
        "request_too_large",
        f"The request body is larger than {limits.MAX_BODY_BYTES // 1024} KiB; "
        "no valid request is that large",
    )


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def parse_body(request: Request, body: bytes) -> dict[str, Any]:
    """A JSON object body; form-encoded bodies (as in Fintoc's curl examples) work too.

    Whatever the body holds is then checked against `limits` (control
    characters, oversized numbers, text lengths), so every bad value is a 400
    naming its param before any model or the store sees it.
    """
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        data = _form(body)
    elif not body.strip():
        data = {}
    else:
        try:
            data = json.loads(body, parse_int=limits.parse_int, parse_constant=_not_json)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise SandboxError(400, "invalid_json", "The request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise SandboxError(400, "invalid_request", "The request body must be a JSON object")
    limits.check_body(data)
    return data


#: `outer[inner]`, the one level of nesting form bodies may use (`counterparty[holder_name]`).
_NESTED_KEY = re.compile(r"([^\[\]]+)\[([^\[\]]+)\]")
_INTEGER = re.compile(r"[+-]?[0-9]+")
#: More fields than any request has (a CL transfer with 50 metadata entries has ~60).
_MAX_FORM_FIELDS = 200


def _form(body: bytes) -> dict[str, Any]:
    """A form-encoded body as the JSON object it stands for; every oddity is a 400 naming the param."""
    try:
        # latin-1 maps each byte to one character and back, so the UTF-8 check
        # below can run per field and name the one that is not UTF-8.
        pairs = parse_qsl(
            body.decode("latin-1"),
            keep_blank_values=True,
            encoding="latin-1",
            max_num_fields=_MAX_FORM_FIELDS,
        )
    except ValueError:
        raise SandboxError(
            400, "invalid_request", f"A form body has at most {_MAX_FORM_FIELDS} fields"
        ) from None
    data: dict[str, Any] = {}
    for raw_key, raw_value in pairs:
        key = _utf8(raw_key, None)
        value = _utf8(raw_value, key)
        item: Any = value
        if key == "amount" and _INTEGER.fullmatch(value):
            item = limits.parse_int(value)
        if "[" not in key and "]" not in key:
            if isinstance(data.get(key), dict):
                raise _mixed(key)
            data[key] = item
            continue
        nested = _NESTED_KEY.fullmatch(key)
        if nested is None:
            outer = key.split("[", 1)[0] or key
            raise SandboxError(
                400,
                "invalid_request",
                f"{key!r} is not a form field name; nest one level only, as in "
                "counterparty[holder_name]",
                param=outer,
            )
        outer, inner = nested.groups()
        group = data.setdefault(outer, {})
        if not isinstance(group, dict):
            raise _mixed(outer)
        group[inner] = item
    return data


def _mixed(key: str) -> SandboxError:
    return SandboxError(
        400,
        "invalid_request",
        f"{key} is given both as a value ({key}=…) and as an object ({key}[…]=…); send one",
        param=key,
    )


def _utf8(raw: str, key: str | None) -> str:
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        where = f"the value of {key}" if key is not None else "a field name"
        raise SandboxError(
            400, "invalid_request", f"{where} is not valid UTF-8 text", param=key
        ) from None


def api_post(*, jws: bool) -> Callable[[Operation], Handler]:
    """Wrap an operation `(request, db, data) -> (status, object)` run in a write transaction."""

    def decorate(op: Operation) -> Handler:
        @functools.wraps(op)
        async def wrapper(request: Request) -> Response:
            prepare(request)
            body = await read_body(request)
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
