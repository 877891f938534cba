"""One error hierarchy for everything the Fintoc API (or the network) can say.

Every error carries the HTTP status, Fintoc's `type`, `code`, `message` and
`param`, so screens can point at the field that was wrong. Messages are put
through `redact()` before they are stored: a server (or a proxy) that echoes
a request back must not get an API key or a PEM into exception text, logs or
notifications.

Only Fintoc can say no. Between this app and Fintoc sit load balancers,
Cloudflare, corporate proxies and captive portals, and any of them can answer
in Fintoc's place (`408`, an HTML `403`, nginx's `499`, a `302` to a login
page). Such an answer says nothing about what Fintoc did with the request, so
`error_from_response` turns it into `UnexpectedResponseError`, never into a
refusal: an answer is Fintoc's own (`fintoc_error_envelope`) only when its
status is one Fintoc uses, its content type is JSON and its body holds
Fintoc's `{"error": {"type": ...}}` object.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "FINTOC_ERROR_STATUSES",
    "AuthenticationError",
    "ConflictError",
    "FintocError",
    "InvalidRequestError",
    "NetworkError",
    "NotFoundError",
    "OutcomeUnknownError",
    "RateLimitError",
    "ServerError",
    "UnexpectedResponseError",
    "error_from_response",
    "fintoc_error_envelope",
    "is_json_content_type",
    "redact",
    "refused_before_idempotency",
]

# Secret keys (sk_test_/sk_live_), public keys are harmless but look alike to a
# reader, and bearer-style "Authorization: ..." echoes; plus whole PEM blocks.
_KEY_RE = re.compile(r"\b(sk|pk)_(test|live)_[A-Za-z0-9_\-]+")
_PEM_RE = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.S
)
_MAX_MESSAGE = 500


def redact(text: str) -> str:
    """Mask anything that looks like a Fintoc key or a private-key PEM."""
    text = _PEM_RE.sub("[private key redacted]", text)
    return _KEY_RE.sub(lambda m: f"{m.group(1)}_{m.group(2)}_…", text)


class FintocError(Exception):
    """Base of every error the client raises.

    `status` is the HTTP status (None when no response came back).
    """

    default_type = "api_error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        doc_url: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = redact(message)[:_MAX_MESSAGE]
        self.status = status
        self.type = type or self.default_type
        self.code = code
        self.param = param
        self.doc_url = doc_url
        self.retry_after = retry_after
        super().__init__(self.message)

    def __str__(self) -> str:
        parts = [self.message]
        detail = ", ".join(
            f"{name}={value}"
            for name, value in (("status", self.status), ("code", self.code), ("param", self.param))
            if value is not None
        )
        if detail:
            parts.append(f"({detail})")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, type={self.type!r}, "
            f"code={self.code!r}, param={self.param!r}, message={self.message!r})"
        )


class AuthenticationError(FintocError):
    """401: bad or wrong-mode API key, or a JWS problem (see `code`)."""

    default_type = "authentication_error"


class InvalidRequestError(FintocError):
    """400/403/422 and other 4xx: the request itself is wrong; `param` names the field."""

    default_type = "invalid_request_error"


class NotFoundError(InvalidRequestError):
    """404: no such object."""


class ConflictError(InvalidRequestError):
    """409: insufficient balance, duplicated transfer, wrong status or direction."""

    @property
    def is_insufficient_balance(self) -> bool:
        return self.code == "insufficient_balance"

    @property
    def is_duplicate(self) -> bool:
        return self.code == "invalid_duplicated_transfer"

    @property
    def is_wrong_status(self) -> bool:
        return self.code in {"invalid_transfer_status", "invalid_transfer_direction"}


class RateLimitError(FintocError):
    """429: too many requests; `retry_after` in seconds when the server said."""

    default_type = "invalid_request_error"


class ServerError(FintocError):
    """5xx: Fintoc (or something in front of it) failed."""


class UnexpectedResponseError(FintocError):
    """An answer that is not Fintoc's word: never a refusal.

    Something other than Fintoc answered (a redirect, HTML, an empty body, a
    status Fintoc does not use, a body without Fintoc's error object), or a
    success came back whose body this app cannot read. For a money-moving
    POST the client turns it into `OutcomeUnknownError`; for a GET it is
    retried like a 5xx and raised when retries run out.
    """

    default_type = "unexpected_response"


class NetworkError(FintocError):
    """No HTTP answer: connection refused or dropped, DNS, TLS, timeout."""

    default_type = "network_error"


class OutcomeUnknownError(FintocError):
    """The outcome is unknown: a money-moving POST may or may not have happened.

    Raised when no answer from Fintoc itself settled a request that may have
    reached it: the connection broke after sending, Fintoc failed (5xx), or
    something else answered in Fintoc's place (`UnexpectedResponseError`). It
    is *not* a failure: re-send with the same `idempotency_key` (the journal
    keeps it, in state `unknown`) to learn the outcome without paying twice.
    `last_error` is what the last attempt got.
    """

    default_type = "outcome_unknown"

    def __init__(
        self, message: str, *, idempotency_key: str, last_error: FintocError | None = None
    ):
        super().__init__(
            message,
            status=last_error.status if last_error else None,
            code=last_error.code if last_error else None,
        )
        self.idempotency_key = idempotency_key
        self.last_error = last_error


#: The error statuses Fintoc answers with (fintoc-api.md §8), besides 5xx.
#: Any other status (408, 413, 499, a 3xx...) comes from something in between.
FINTOC_ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 422, 429})

#: 403 codes of Fintoc's IP allowlist (fintoc-api-additions.md §10): like a 401,
#: a check of who is asking, not of the request.
_ACCESS_CODES = frozenset(
    {"missing_allowed_cidr_blocks", "allowed_cidr_blocks_does_not_contain_ip"}
)


def refused_before_idempotency(error: FintocError) -> bool:
    """True for refusals of the caller, not the request: they settle no earlier attempt.

    Fintoc checks the key, the JWS signature and (when set) the IP allowlist
    before it looks up the idempotency key, so such a refusal on a retry says
    nothing about an earlier attempt that got through.
    """
    return isinstance(error, AuthenticationError) or (
        isinstance(error, InvalidRequestError)
        and error.status == 403
        and error.code in _ACCESS_CODES
    )


def is_json_content_type(content_type: str | None) -> bool:
    """`application/json` or `application/*+json`, with or without parameters."""
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def fintoc_error_envelope(
    status: int, body: bytes, content_type: str | None
) -> dict[str, Any] | None:
    """Fintoc's `error` object when this answer is Fintoc's own, else None.

    Fintoc's own error has a status Fintoc uses (`FINTOC_ERROR_STATUSES` or
    5xx), a JSON content type, and a body `{"error": {"type": "<non-empty>",
    ...}}`; the official SDKs rely on `error.type` being there. Anything else
    came from something between this app and Fintoc.
    """
    if status not in FINTOC_ERROR_STATUSES and not 500 <= status <= 599:
        return None
    if not is_json_content_type(content_type):
        return None
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if not isinstance(error, dict):
        return None
    kind = error.get("type")
    if not isinstance(kind, str) or not kind:
        return None
    return error


def _status_class(status: int) -> type[FintocError]:
    """The class of a Fintoc error by its status (only for Fintoc's own answers)."""
    if status == 401:
        return AuthenticationError
    if status == 404:
        return NotFoundError
    if status == 409:
        return ConflictError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return InvalidRequestError


_DEFAULT_MESSAGES = {
    401: "Fintoc did not accept the credentials.",
    404: "Not found.",
    409: "The request conflicts with the current state.",
    429: "Too many requests; slow down.",
}


def _not_fintoc_message(
    status: int, body: bytes, content_type: str | None, location: str | None
) -> str:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if 300 <= status <= 399:
        try:
            host = urlsplit(location).hostname if location else None
        except ValueError:  # a malformed Location is still a redirect
            host = None
        what = f"HTTP {status}, a redirect to {host}" if host else f"HTTP {status}, a redirect"
    elif not body:
        what = f"HTTP {status} with an empty body"
    elif media:
        what = f"HTTP {status}, {media}"
    else:
        what = f"HTTP {status} with no content type"
    return (
        f"The answer did not come from Fintoc ({what}): something between this app and "
        "Fintoc, such as a proxy, firewall, load balancer or captive portal, answered instead."
    )


def error_from_response(
    status: int,
    body: bytes,
    *,
    content_type: str | None,
    retry_after: float | None = None,
    location: str | None = None,
) -> FintocError:
    """Build the right `FintocError` for an answer that is not a success.

    Fintoc's own error (`fintoc_error_envelope`) gets the class its status
    names and Fintoc's type, code, message and param. Anything else (an HTML
    page, an empty body, a redirect, a status Fintoc does not use) is an
    `UnexpectedResponseError` whatever its status: it is no refusal.
    """
    detail = fintoc_error_envelope(status, body, content_type)
    if detail is None:
        return UnexpectedResponseError(
            _not_fintoc_message(status, body, content_type, location),
            status=status,
            retry_after=retry_after,
        )

    def text(name: str) -> str | None:
        value = detail.get(name)
        return value if isinstance(value, str) and value else None

    message = text("message") or _DEFAULT_MESSAGES.get(status, f"Fintoc answered HTTP {status}.")
    return _status_class(status)(
        message,
        status=status,
        type=text("type"),
        code=text("code"),
        param=text("param"),
        doc_url=text("doc_url"),
        retry_after=retry_after,
    )
