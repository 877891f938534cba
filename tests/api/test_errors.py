"""The error hierarchy: the status picks the class, the body fills the detail."""

from __future__ import annotations

import json

import pytest

from fintoc_tui.api.errors import (
    AuthenticationError,
    ConflictError,
    FintocError,
    InvalidRequestError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    error_from_response,
    redact,
)

# What Fintoc answers with (recorded: fintoc-ruby spec/vcr, `application/json; charset=utf-8`).
JSON = "application/json; charset=utf-8"


def fintoc_body(type_: str, code: str, message: str, param: str | None = None) -> bytes:
    return json.dumps(
        {
            "error": {
                "type": type_,
                "code": code,
                "message": message,
                "param": param,
                "doc_url": None,
            }
        }
    ).encode()


@pytest.mark.parametrize(
    ("status", "type_", "code", "cls"),
    [
        (400, "invalid_request_error", "invalid_clabe", InvalidRequestError),
        (401, "authentication_error", "invalid_api_key", AuthenticationError),
        (403, "invalid_request_error", "account_not_active", InvalidRequestError),
        (404, "invalid_request_error", "missing_resource", NotFoundError),
        (409, "invalid_request_error", "insufficient_balance", ConflictError),
        (422, "invalid_request_error", "not_supported_mode", InvalidRequestError),
        (429, "invalid_request_error", "rate_limit_exceeded", RateLimitError),
        (500, "api_error", "internal_server_error", ServerError),
        (503, "api_error", "unavailable", ServerError),
    ],
)
def test_status_picks_class_and_body_fills_detail(status, type_, code, cls):
    error = error_from_response(
        status, fintoc_body(type_, code, "Something precise.", "amount"), content_type=JSON
    )
    assert type(error) is cls
    assert isinstance(error, FintocError)
    assert (error.status, error.type, error.code, error.param) == (status, type_, code, "amount")
    assert error.message == "Something precise."
    assert "Something precise." in str(error) and f"status={status}" in str(error)


def test_not_found_and_conflict_are_invalid_requests():
    assert issubclass(NotFoundError, InvalidRequestError)
    assert issubclass(ConflictError, InvalidRequestError)
    assert not issubclass(ServerError, InvalidRequestError)


def test_conflict_kinds():
    def conflict(code: str) -> ConflictError:
        error = error_from_response(409, fintoc_body("x", code, "m"), content_type=JSON)
        assert isinstance(error, ConflictError)
        return error

    assert conflict("insufficient_balance").is_insufficient_balance
    assert conflict("invalid_duplicated_transfer").is_duplicate
    assert conflict("invalid_transfer_status").is_wrong_status
    assert not conflict("insufficient_balance").is_duplicate


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "HTTP 502 with an empty body"),
        (b"<html><body>502 Bad Gateway</body></html>", "HTTP 502, application/json"),
        (b'{"detail": "nope"}', "HTTP 502, application/json"),
        (b'["error"]', "HTTP 502, application/json"),
        (b"\xff\xfe garbage", "HTTP 502, application/json"),
    ],
)
def test_non_json_or_empty_body_is_not_fintocs_answer(body, fragment):
    """Even with a JSON content type, no Fintoc error object means not Fintoc's word."""
    error = error_from_response(502, body, content_type=JSON)
    assert type(error) is UnexpectedResponseError
    assert error.status == 502
    assert fragment in error.message and "did not come from Fintoc" in error.message
    assert error.type == "unexpected_response"
    assert error.code is None


def test_error_without_message_gets_a_default():
    error = error_from_response(
        401, b'{"error": {"type": "authentication_error"}}', content_type=JSON
    )
    assert isinstance(error, AuthenticationError)
    assert error.message == "Fintoc did not accept the credentials."


def test_unexpected_2xx_status_class():
    assert isinstance(error_from_response(302, b"", content_type=None), UnexpectedResponseError)


def test_retry_after_is_carried():
    error = error_from_response(
        429, fintoc_body("x", "rate_limit_exceeded", "slow"), content_type=JSON, retry_after=2.5
    )
    assert error.retry_after == 2.5


# A fake live key, assembled so no live-key-shaped literal sits in the repository.
SECRET = "sk_live_" + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c"
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"


def test_secrets_echoed_by_a_server_never_reach_the_exception():
    body = fintoc_body(
        "authentication_error", "invalid_api_key", f"Invalid API Key provided: {SECRET} {PEM}"
    )
    error = error_from_response(401, body, content_type=JSON)
    for text in (str(error), repr(error), error.message, str(error.args)):
        assert SECRET not in text
        assert "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" not in text
    assert "sk_live_…" in error.message
    assert "[private key redacted]" in error.message


def test_redact_leaves_ordinary_text_alone():
    assert redact("No such transfer: tr_2vF4uGnUFqtZ0Tk2bnJtGOhaAkd") == (
        "No such transfer: tr_2vF4uGnUFqtZ0Tk2bnJtGOhaAkd"
    )


def test_outcome_unknown_carries_key_and_cause():
    cause = ServerError("boom", status=500, code="internal_server_error")
    error = OutcomeUnknownError("unsure", idempotency_key="k-1", last_error=cause)
    assert error.idempotency_key == "k-1"
    assert error.last_error is cause
    assert error.status == 500 and error.type == "outcome_unknown"
    assert isinstance(error, FintocError)
