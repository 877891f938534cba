"""API-key authentication: the raw key (as Fintoc's SDKs send it) or `Bearer <key>`."""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from fintoc_tui.sandbox.errors import SandboxError

#: The one secret key a sandbox accepts unless told otherwise. Fixed and
#: obviously fake on purpose: the sandbox is local, test-only and moves no money.
SANDBOX_SECRET_KEY = "sk_test_sandbox_0000000000000000000000"


def key_from_header(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    return value or None


def authenticate(header: str | None, accepted: Iterable[str]) -> str:
    """Return the key if it is accepted; otherwise raise the 401 the API would answer."""
    key = key_from_header(header)
    if key is None:
        raise SandboxError(
            401,
            "invalid_api_key",
            "No API key given: send your secret key in the Authorization header",
        )
    if key.startswith("sk_live_"):
        raise SandboxError(
            401,
            "invalid_api_key_mode",
            "This is the local fintoc-tui sandbox, which only works in test mode: "
            "use its test secret key (printed when it starts), never a live key",
        )
    # compare_digest on every candidate so timing says nothing about the key.
    if not any(hmac.compare_digest(key.encode(), good.encode()) for good in accepted):
        raise SandboxError(
            401,
            "invalid_api_key",
            "Invalid API key: use the sandbox's test secret key (printed when it starts)",
        )
    return key
