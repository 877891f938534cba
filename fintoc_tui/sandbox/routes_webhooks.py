"""`/v1/webhook_endpoints`: register where the sandbox sends events (additions §9.4).

Create returns the signing `secret` once; every later response has
`"secret": null`, as Fintoc documents. The sandbox only delivers to this
machine (a loopback host), so a URL elsewhere is refused when it is given,
not silently never called. `POST …/{id}/test` queues a test event for that
one endpoint; like every event it is sent by the background dispatcher
(webhook_delivery.py), never inside the request.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sqlite3
from typing import Any, Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fintoc_tui.sandbox import webhooks
from fintoc_tui.sandbox.endpoint import api_get, api_post, json_response
from fintoc_tui.sandbox.errors import SandboxError, brief, not_found
from fintoc_tui.sandbox.limits import TextLimit

#: Sandbox choices (Fintoc documents none of these limits).
MAX_ENDPOINTS: Final = 20
URL_LIMIT: Final = TextLimit(2048, "invalid_url")
DESCRIPTION_LIMIT: Final = TextLimit(255)
MAX_EVENTS: Final = 50

_EVENT_NAME = re.compile(r"[a-z_]+(\.[a-z_]+)+")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bad(code: str, message: str, param: str) -> SandboxError:
    return SandboxError(400, code, message, param=param)


def parse_url(value: Any) -> str:
    """An http(s) URL on a loopback host, or the 400 that says why not."""
    if not isinstance(value, str) or not value.strip():
        raise _bad("missing_parameter" if value is None else "invalid_url", _URL_HELP, "url")
    if len(value) > URL_LIMIT.max_length:
        raise _bad(
            URL_LIMIT.code,
            f"url can have at most {URL_LIMIT.max_length} characters, has {len(value):,}",
            "url",
        )
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname or ""
        _ = parts.port  # raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise _bad("invalid_url", f"url {brief(value)!r} is not a valid URL", "url") from None
    if parts.scheme not in ("http", "https") or not host:
        raise _bad("invalid_url", f"url {brief(value)!r} is not an http(s) URL. {_URL_HELP}", "url")
    if not _is_loopback(host):
        raise _bad(
            "invalid_url",
            f"The sandbox only delivers webhooks to this machine, not to {brief(host)}: "
            "use a loopback host (localhost, 127.0.0.1 or [::1]), e.g. "
            "http://127.0.0.1:8000/webhooks/fintoc. To receive Fintoc's real test-mode events "
            "on a public URL, register it with Fintoc itself.",
            "url",
        )
    return value.strip()


_URL_HELP = (
    "Give url, the http(s) address of your webhook handler on this machine, "
    "e.g. http://127.0.0.1:8000/webhooks/fintoc"
)


def parse_events(value: Any) -> list[str]:
    """A non-empty list of event types the sandbox knows, without repeats."""
    known = ", ".join(sorted(webhooks.KNOWN_EVENT_TYPES))
    if value is None:
        raise _bad(
            "missing_parameter",
            f"Give enabled_events, a list of the event types to send, from: {known}",
            "enabled_events",
        )
    if not isinstance(value, list) or not value:
        raise _bad(
            "invalid_enabled_events",
            f"enabled_events must be a non-empty list of event types, from: {known}",
            "enabled_events",
        )
    if len(value) > MAX_EVENTS:
        raise _bad(
            "invalid_enabled_events",
            f"enabled_events can have at most {MAX_EVENTS} items, has {len(value):,}",
            "enabled_events",
        )
    events: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in webhooks.KNOWN_EVENT_TYPES:
            shown = brief(item) if isinstance(item, str) else f"a {type(item).__name__}"
            hint = (
                ""
                if isinstance(item, str) and _EVENT_NAME.fullmatch(item)
                else " (not an event name)"
            )
            raise _bad(
                "invalid_enabled_events",
                f"The sandbox sends no event {shown!r}{hint}; it sends: {known}",
                f"enabled_events.{index}",
            )
        if item not in events:
            events.append(item)
    return events


def parse_description(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad("invalid_request", "description must be text", "description")
    if len(value) > DESCRIPTION_LIMIT.max_length:
        raise _bad(
            DESCRIPTION_LIMIT.code,
            f"description can have at most {DESCRIPTION_LIMIT.max_length} characters, "
            f"has {len(value):,}",
            "description",
        )
    return value


def parse_status(data: dict[str, Any]) -> str | None:
    """`status` ("enabled"/"disabled", as the docs) or `disabled` (a bool, as the Ruby SDK)."""
    if "status" in data:
        status = data["status"]
        if status not in ("enabled", "disabled"):
            raise _bad("invalid_status", "status must be enabled or disabled", "status")
        return str(status)
    if "disabled" in data:
        disabled = data["disabled"]
        if not isinstance(disabled, bool):
            raise _bad("invalid_request", "disabled must be true or false", "disabled")
        return "disabled" if disabled else "enabled"
    return None


def _endpoint_row(db: sqlite3.Connection, endpoint_id: str) -> dict[str, Any]:
    row = db.execute("SELECT data FROM webhook_endpoints WHERE id = ?", (endpoint_id,)).fetchone()
    if row is None:
        raise not_found("webhook_endpoint", endpoint_id)
    endpoint: dict[str, Any] = json.loads(row[0])
    return endpoint


def _save(db: sqlite3.Connection, endpoint: dict[str, Any]) -> None:
    db.execute(
        "UPDATE webhook_endpoints SET status = ?, data = ? WHERE id = ?",
        (endpoint["status"], webhooks.dumps(endpoint), endpoint["id"]),
    )


@api_post(jws=False)
def create_endpoint(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    url = parse_url(data.get("url"))
    events = parse_events(data.get("enabled_events"))
    description = parse_description(data.get("description"))
    status = parse_status(data) or "enabled"
    (count,) = db.execute("SELECT COUNT(*) FROM webhook_endpoints").fetchone()
    if count >= MAX_ENDPOINTS:
        raise SandboxError(
            409,
            "webhook_endpoints_limit_reached",
            f"The sandbox keeps at most {MAX_ENDPOINTS} webhook endpoints; delete one first",
        )
    now = request.app.state.clock.time()
    endpoint = {
        "id": webhooks.runtime_id(db, "we"),
        "object": "webhook_endpoint",
        "created_at": webhooks.iso(now),
        "description": description,
        "enabled_events": events,
        "mode": "test",
        "secret": None,
        "status": status,
        "url": url,
    }
    secret = webhooks.new_secret()
    db.execute(
        "INSERT INTO webhook_endpoints (id, status, secret, data) VALUES (?, ?, ?, ?)",
        (endpoint["id"], status, secret, webhooks.dumps(endpoint)),
    )
    return 201, {**endpoint, "secret": secret}


@api_get
async def list_endpoints(request: Request) -> Response:
    """Every endpoint, newest first, in one page (there are at most `MAX_ENDPOINTS`)."""
    with request.app.state.store.reading() as db:
        rows = [r[0] for r in db.execute("SELECT data FROM webhook_endpoints ORDER BY seq DESC")]
    body = ("[" + ",".join(rows) + "]").encode("utf-8")
    return Response(body, media_type="application/json", headers={"link": ""})


@api_get
async def get_endpoint(request: Request) -> Response:
    with request.app.state.store.reading() as db:
        endpoint = _endpoint_row(db, request.path_params["id"])
    return json_response(200, endpoint)


@api_post(jws=False)
def update_endpoint(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    endpoint = _endpoint_row(db, request.path_params["id"])
    if "url" in data:
        endpoint["url"] = parse_url(data["url"])
    if "enabled_events" in data:
        endpoint["enabled_events"] = parse_events(data["enabled_events"])
    if "description" in data:
        endpoint["description"] = parse_description(data["description"])
    status = parse_status(data)
    if status is not None:
        endpoint["status"] = status
        if status == "disabled":
            now = request.app.state.clock.time()
            webhooks.cancel_pending_for(
                db, endpoint["id"], now=now, reason="the endpoint was disabled"
            )
    _save(db, endpoint)
    return 200, endpoint


@api_post(jws=False)
def delete_endpoint(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    endpoint = _endpoint_row(db, request.path_params["id"])
    now = request.app.state.clock.time()
    webhooks.cancel_pending_for(db, endpoint["id"], now=now, reason="the endpoint was deleted")
    db.execute("DELETE FROM webhook_endpoints WHERE id = ?", (endpoint["id"],))
    return 200, endpoint


@api_post(jws=False)
def test_endpoint(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """Queue one event of `type` (default: the endpoint's first) for this endpoint only."""
    endpoint = _endpoint_row(db, request.path_params["id"])
    raw_type = data.get("type")
    if raw_type is None:
        event_type = endpoint["enabled_events"][0]
    else:
        (event_type,) = parse_events([raw_type]) if isinstance(raw_type, str) else [None]
        if event_type is None:
            raise _bad("invalid_request", "type must be an event type, as text", "type")
    if endpoint["status"] != "enabled":
        raise SandboxError(
            409,
            "webhook_endpoint_disabled",
            f"Webhook endpoint {endpoint['id']} is disabled, so nothing is sent to it; "
            'enable it first (PATCH with {"status": "enabled"})',
        )
    now = request.app.state.clock.time()
    event_id = webhooks.publish_event(
        db, event_type, _sample(db, event_type), now=now, only_endpoint=endpoint["id"]
    )
    (body,) = db.execute("SELECT body FROM webhook_events WHERE id = ?", (event_id,)).fetchone()
    event: dict[str, Any] = json.loads(body)
    return 200, event


def _sample(db: sqlite3.Connection, event_type: str) -> dict[str, Any]:
    """The resource a test event carries: the newest transfer it could be about, or a stand-in."""
    parts = event_type.split(".")
    if parts[0] == "transfer" and len(parts) == 3:
        row = db.execute(
            "SELECT data FROM transfers WHERE direction = ? ORDER BY seq DESC LIMIT 1", (parts[1],)
        ).fetchone()
        if row is not None:
            transfer: dict[str, Any] = json.loads(row[0])
            return transfer
    return {"object": parts[0], "id": None, "mode": "test"}


ROUTES = [
    Route("/v1/webhook_endpoints", create_endpoint, methods=["POST"]),
    Route("/v1/webhook_endpoints", list_endpoints, methods=["GET"]),
    Route("/v1/webhook_endpoints/{id}", get_endpoint, methods=["GET"]),
    Route("/v1/webhook_endpoints/{id}", update_endpoint, methods=["PATCH"]),
    Route("/v1/webhook_endpoints/{id}", delete_endpoint, methods=["DELETE"]),
    Route("/v1/webhook_endpoints/{id}/test", test_endpoint, methods=["POST"]),
]
