"""`GET /v2/transfers/{id}/receipt` (additions §2): JSON holding a signed, expiring PDF link.

The field names are not in the public record (UNKNOWN), so the link is read
from whichever string field holds an http(s) URL, known names first.
"""

from __future__ import annotations

from typing import Any

from fintoc_tui.api.models import FintocObject, Timestamp

__all__ = ["TransferReceipt"]

#: Where the link is most likely to be, in order (statements use `download_url`).
_URL_FIELDS = ("url", "download_url", "signed_url", "receipt_url", "link")


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


class TransferReceipt(FintocObject):
    """The receipt answer; every field optional, since only "a signed URL" is documented."""

    object: str | None = None
    transfer_id: str | None = None
    expires_at: Timestamp | None = None

    @property
    def download_url(self) -> str | None:
        """The signed link to the PDF, or None if the answer holds no URL at all."""
        fields: dict[str, Any] = {**self.model_dump(), **(self.model_extra or {})}
        for name in _URL_FIELDS:
            if _is_url(fields.get(name)):
                return str(fields[name])
        return next((str(value) for value in fields.values() if _is_url(value)), None)
