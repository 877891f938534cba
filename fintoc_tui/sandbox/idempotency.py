"""`Idempotency-Key` on POST (fintoc-api.md §6).

The first response for a key (status and body, errors included) is stored in
the same transaction as whatever the request changed, and replayed byte for
byte afterwards. Reusing a key with different parameters answers 409
`idempotency_key_mismatch`. Parameters are compared as parsed JSON (key order
and spacing do not matter); a body that is not JSON is compared as bytes.
Keys are forgotten after 24 hours.
"""

from __future__ import annotations

import hashlib
import json

from starlette.responses import Response

from fintoc_tui.sandbox.errors import SandboxError

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
TTL_SECONDS = 24 * 3600
REPLAYED_HEADER = "Idempotent-Replayed"


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not key or len(key) > MAX_KEY_LENGTH:
        raise SandboxError(
            400,
            "invalid_request",
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters",
            param="Idempotency-Key",
        )
    return key


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What "the same parameters" means: method, path and the parsed body."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError, RecursionError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def replay(stored: tuple[str, int, bytes], expected_fingerprint: str) -> Response:
    stored_fingerprint, status, body = stored
    if stored_fingerprint != expected_fingerprint:
        raise SandboxError(
            409,
            "idempotency_key_mismatch",
            "This Idempotency-Key was already used with different parameters; "
            "use a new key for a new request",
            param="Idempotency-Key",
        )
    return Response(
        body, status_code=status, media_type="application/json", headers={REPLAYED_HEADER: "true"}
    )
