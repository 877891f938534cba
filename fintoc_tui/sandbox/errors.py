"""Fintoc-shaped error responses (fintoc-api.md §8).

Every non-2xx the sandbox sends has `{"error": {type, code, message, param,
doc_url}}`, because the official Python SDK breaks on anything else.
"""

from __future__ import annotations

from starlette.responses import Response

from fintoc_tui.sandbox.store import dumps

DOC_URL = "https://docs.fintoc.com/reference/errors"

_TYPE_FOR_STATUS = {401: "authentication_error", 500: "api_error", 503: "api_error"}


class SandboxError(Exception):
    """Raised anywhere in a request; the app turns it into the Fintoc error response."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        param: str | None = None,
        type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.type = type or _TYPE_FOR_STATUS.get(status, "invalid_request_error")
        self.headers = headers or {}

    def body(self) -> bytes:
        return error_body(self.type, self.code, self.message, self.param)

    def response(self) -> Response:
        return Response(
            self.body(),
            status_code=self.status,
            media_type="application/json",
            headers=self.headers,
        )


def error_body(type: str, code: str | None, message: str, param: str | None = None) -> bytes:
    # The shape of `api.models.ErrorBody.to_api_dict()`, built by hand so an
    # error needs no pydantic import (tests/sandbox/test_lazy_imports.py
    # checks both agree).
    error = {"type": type, "code": code, "message": message, "param": param, "doc_url": DOC_URL}
    return dumps({"error": error}).encode("utf-8")


def brief(text: str, limit: int = 64) -> str:
    """Client text quoted in a message, cut short: an error never echoes a 10 KB id back."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def not_found(kind: str, object_id: str, param: str = "id") -> SandboxError:
    return SandboxError(404, "missing_resource", f"No such {kind}: {brief(object_id)}", param=param)
