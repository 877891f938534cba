"""One error hierarchy for everything the Fintoc API (or the network) can say.

Every error carries the HTTP status, Fintoc's `type`, `code`, `message` and
`param`, so screens can point at the field that was wrong. Messages are put
through `redact()` before they are stored: a server (or a proxy) that echoes
a request back must not get an API key or a PEM into exception text, logs or
notifications.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
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
    "redact",
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
    """A 2xx whose body is not what the API promises."""


class NetworkError(FintocError):
    """No HTTP answer: connection refused or dropped, DNS, TLS, timeout."""

    default_type = "network_error"


class OutcomeUnknownError(FintocError):
    """A money-moving POST may or may not have happened.

    Raised when retries ran out after at least one attempt that might have
    reached Fintoc. It is *not* a failure: re-send with the same
    `idempotency_key` (the journal does) to learn the outcome without paying twice.
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


def _status_class(status: int) -> type[FintocError]:
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
    if 400 <= status < 500:
        return InvalidRequestError
    return UnexpectedResponseError


_DEFAULT_MESSAGES = {
    401: "Fintoc did not accept the credentials.",
    404: "Not found.",
    409: "The request conflicts with the current state.",
    429: "Too many requests; slow down.",
}


def error_from_response(
    status: int, body: bytes, *, retry_after: float | None = None
) -> FintocError:
    """Build the right `FintocError` from a non-2xx response.

    Works with Fintoc's `{"error": {...}}` body and with anything else (an
    HTML page from a proxy, an empty body): the status still picks the class
    and the message says what came back.
    """
    cls = _status_class(status)
    detail: dict[str, Any] = {}
    try:
        parsed = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
        detail = parsed["error"]

    def text(name: str) -> str | None:
        value = detail.get(name)
        return value if isinstance(value, str) and value else None

    message = text("message")
    if message is None:
        if detail:
            message = _DEFAULT_MESSAGES.get(status, f"Fintoc answered HTTP {status}.")
        elif not body:
            message = f"Fintoc answered HTTP {status} with an empty body."
        else:
            message = f"Fintoc answered HTTP {status} with a body that is not a Fintoc error."
    return cls(
        message,
        status=status,
        type=text("type"),
        code=text("code"),
        param=text("param"),
        doc_url=text("doc_url"),
        retry_after=retry_after,
    )
