"""Fintoc's webhook events for transfers: their names, their envelope, their signature.

The sandbox has no webhook endpoints yet (issue 14 delivers events); this
module is what that work builds on, written now against what is known
(fintoc-api-additions.md §9):

- names: `transfer.<direction>.<what happened>`, one per transition the
  sandbox's lifecycle makes (`transfer_event_type`);
- the envelope: `{id, object: "event", type, mode, created_at, data}` with
  the whole resource as `data` (the key set beyond `id, object, created_at,
  data, type` is INFERRED);
- the signature: `Fintoc-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
  "<t>.<raw body>" keyed by the endpoint's secret>`, exactly as the official
  SDKs verify it.

Standard library only: building or checking an event needs nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

__all__ = [
    "OUTBOUND_RETURNED_ALIASES",
    "SIGNATURE_HEADER",
    "SIGNATURE_TOLERANCE",
    "TRANSFER_EVENT_TYPES",
    "SignatureError",
    "event_body",
    "event_object",
    "signature_header",
    "transfer_event_type",
    "verify_signature",
]

SIGNATURE_HEADER = "Fintoc-Signature"
#: The official SDKs refuse a signature older than this many seconds.
SIGNATURE_TOLERANCE = 300

#: (direction, status before, status after) → event type, for every transition
#: the sandbox makes. Sources: the payouts and returns guides (current docs)
#: for all but `transfer.inbound.succeeded`, which only third-party handlers
#: use (the docs say "handle inbound transfer events"): the best guess.
TRANSFER_EVENT_TYPES: dict[tuple[str, str, str], str] = {
    ("outbound", "pending", "succeeded"): "transfer.outbound.succeeded",
    ("outbound", "pending", "failed"): "transfer.outbound.failed",
    ("outbound", "pending", "rejected"): "transfer.outbound.rejected",
    ("outbound", "succeeded", "returned"): "transfer.outbound.returned",
    ("inbound", "pending", "succeeded"): "transfer.inbound.succeeded",
    ("inbound", "return_pending", "returned"): "transfer.inbound.returned",
    ("inbound", "return_pending", "succeeded"): "transfer.inbound.return_failed",
}

#: The docs disagree on a returned outbound transfer's event: the types-of-events
#: page says `.returned`, the outbound guide only knows `.rejected`. A receiver
#: should take both as "the money came back".
OUTBOUND_RETURNED_ALIASES = frozenset({"transfer.outbound.returned", "transfer.outbound.rejected"})


def transfer_event_type(direction: str, before: str, after: str) -> str | None:
    """The event Fintoc sends when a transfer goes from `before` to `after`, if any.

    Creating a transfer, and asking for a return, send none (none is documented).
    """
    return TRANSFER_EVENT_TYPES.get((direction, before, after))


def event_object(
    event_id: str,
    event_type: str,
    data: dict[str, Any],
    *,
    created_at: str,
    mode: str = "test",
) -> dict[str, Any]:
    """The event envelope; `data` is the resource itself (a Transfer), not wrapped."""
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "mode": mode,
        "created_at": created_at,
        "data": data,
    }


def event_body(event: dict[str, Any]) -> bytes:
    """The exact bytes POSTed (and signed): compact UTF-8 JSON."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _digest(body: bytes, secret: str, timestamp: int) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(body: bytes, secret: str, timestamp: int) -> str:
    """`t=1620870928,v1=4df9…` for `body` sent at `timestamp` (Unix seconds)."""
    return f"t={timestamp},v1={_digest(body, secret, timestamp)}"


class SignatureError(ValueError):
    """A `Fintoc-Signature` that does not prove the body came from the secret's holder."""


def verify_signature(
    body: bytes,
    header: str,
    secret: str,
    *,
    now: float,
    tolerance: int = SIGNATURE_TOLERANCE,
) -> None:
    """Raise `SignatureError` unless `header` signs `body` with `secret` within `tolerance`.

    Stricter than the Python SDK in one way, as the Node SDK is: a timestamp
    more than `tolerance` seconds in the future is refused too.
    """
    pairs: dict[str, str] = {}
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise SignatureError("the header is not a list of key=value pairs")
        pairs.setdefault(key, value)
    raw_t, signature = pairs.get("t", ""), pairs.get("v1", "")
    if not raw_t.isascii() or not raw_t.isdigit() or len(raw_t) > 12:
        raise SignatureError("the header has no timestamp t")
    if not signature:
        raise SignatureError("the header has no v1 signature")
    timestamp = int(raw_t)
    if abs(now - timestamp) > tolerance:
        raise SignatureError(f"the timestamp is more than {tolerance} seconds from now")
    if not hmac.compare_digest(_digest(body, secret, timestamp), signature):
        raise SignatureError("the signature does not match the body")
