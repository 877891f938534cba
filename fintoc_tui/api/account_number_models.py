"""Account numbers a person manages: the object with its options, and the create/update bodies.

Kept apart from `api/models.py` (issue 14): `AccountNumber` there is what
every list and transfer carries; `ManagedAccountNumber` adds the fields the
current docs list (`options`, `last_transfer_at`, `deleted_at`; additions
§4.2), which real responses have been seen without, so each is optional.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from fintoc_tui.api.models import (
    AccountNumber,
    Timestamp,
    _error,
    _metadata,
    _optional_text,
    _positive,
    _RequestBody,
    _required_text,
)

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "AccountNumberCreateRequest",
    "AccountNumberOptions",
    "AccountNumberUpdateRequest",
    "ManagedAccountNumber",
]

#: "description (≤40 chars)" (additions §4.2).
DESCRIPTION_MAX_LENGTH = 40
#: The statuses a PATCH may set; `blocked` and `deleted` are Fintoc's to set.
SETTABLE_STATUSES = ("enabled", "disabled")


class AccountNumberOptions(BaseModel):
    """`options.min_amount` / `max_amount`: the inbound amounts a number accepts (minor units)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    min_amount: int | None = None
    max_amount: int | None = None

    @field_validator("min_amount", "max_amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Any:
        if value is None:
            return None
        if type(value) is not int:
            raise _error("invalid_amount", "must be a whole number of minor units (cents)")
        return _positive(value)

    @model_validator(mode="after")
    def _ordered(self) -> AccountNumberOptions:
        low, high = self.min_amount, self.max_amount
        if low is not None and high is not None and low > high:
            raise _error("invalid_amount", "min_amount must not be larger than max_amount")
        return self

    def accepts(self, amount: int) -> bool:
        """Whether an inbound transfer of `amount` is inside the range."""
        low, high = self.min_amount, self.max_amount
        return (low is None or amount >= low) and (high is None or amount <= high)


class ManagedAccountNumber(AccountNumber):
    """An account number with the fields of the current docs object."""

    options: AccountNumberOptions | None = None
    last_transfer_at: Timestamp | None = None
    deleted_at: Timestamp | None = None

    @property
    def range(self) -> tuple[int | None, int | None]:
        options = self.options
        return (None, None) if options is None else (options.min_amount, options.max_amount)


def _description(value: str | None) -> str | None:
    """At most 40 characters, counted as sent (spaces too), then trimmed; empty means none."""
    if value is not None and len(value) > DESCRIPTION_MAX_LENGTH:
        raise _error(
            "invalid_description",
            f"description can have at most {DESCRIPTION_MAX_LENGTH} characters, has {len(value)}",
        )
    return _optional_text(value)


class AccountNumberCreateRequest(_RequestBody):
    """The body of POST /v2/account_numbers."""

    account_id: str
    description: str | None = None
    metadata: dict[str, str] | None = None
    options: AccountNumberOptions | None = None

    _description = field_validator("description")(_description)
    _metadata = field_validator("metadata", mode="before")(_metadata)

    @field_validator("account_id")
    @classmethod
    def _account_id(cls, value: str) -> str:
        return _required_text(value, "account_id")


class AccountNumberUpdateRequest(_RequestBody):
    """The body of PATCH /v2/account_numbers/{id}; only what is given changes."""

    description: str | None = None
    status: str | None = None
    metadata: dict[str, str] | None = None
    options: AccountNumberOptions | None = None

    _description = field_validator("description")(_description)
    _metadata = field_validator("metadata", mode="before")(_metadata)

    @field_validator("status")
    @classmethod
    def _status(cls, value: str | None) -> str | None:
        if value is not None and value not in SETTABLE_STATUSES:
            raise _error("invalid_status", "status must be enabled or disabled")
        return value
