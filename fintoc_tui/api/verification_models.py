"""Account verifications (additions §3): the request body and the object Fintoc answers.

MX only. Verifying a CLABE sends 0.01 MXN from the root account; the object
starts `pending` with no holder and ends `succeeded` (holder name and RFC from
the CEP) or `failed` (with a `reason`).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import field_validator

from fintoc_tui.api.models import Counterparty, FintocObject, Timestamp, _banking, _RequestBody
from fintoc_tui.banking import validate_clabe

__all__ = [
    "AccountVerification",
    "AccountVerificationRequest",
    "AccountVerificationStatus",
]


class AccountVerificationStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class AccountVerificationRequest(_RequestBody):
    """The body of `POST /v2/account_verifications`: the CLABE and nothing else (SDK-RB, REC-MX)."""

    account_number: str

    @field_validator("account_number")
    @classmethod
    def _clabe(cls, value: str) -> str:
        return _banking("invalid_clabe", validate_clabe, value)


class AccountVerification(FintocObject):
    """`accv_…`; `counterparty.holder_*` stay null until it succeeds. No `created_at` (REC-MX)."""

    object: str = "account_verification"
    id: str
    status: str
    reason: str | None = None
    transfer_id: str | None = None
    counterparty: Counterparty
    mode: str | None = None
    receipt_url: str | None = None
    transaction_date: Timestamp | None = None

    @property
    def is_final(self) -> bool:
        """Succeeded or failed (an unknown status is treated as still moving)."""
        return self.status in (
            AccountVerificationStatus.SUCCEEDED,
            AccountVerificationStatus.FAILED,
        )
