"""What prefills a transfer form: "new transfer from this account", "repeat this transfer".

`TransferPrefill` carries every field optionally, the amount in int minor
units *with its currency*, so a form whose account is in another currency
can refuse to reinterpret it. The checked transfer the confirm, result and
journal screens pass along is the core's `TransferDraft`
(`fintoc_tui.transfer.restate`), the same one the CLI restates; it is
re-exported here for the screens that already name it from this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fintoc_tui.transfer.restate import TransferDraft

if TYPE_CHECKING:
    from fintoc_tui.api.models import Transfer

__all__ = ["TransferDraft", "TransferPrefill"]


@dataclass(frozen=True)
class TransferPrefill:
    """What to put in a fresh form; every field optional.

    `amount` is int minor units of `currency`; without a currency it is
    taken to be the chosen account's (a prefill made for that account).
    """

    account_id: str | None = None
    account_number: str = ""
    holder_name: str = ""
    holder_id: str = ""
    institution_id: str | None = None
    account_type: str | None = None
    amount: int | None = None
    currency: str | None = None
    comment: str = ""
    reference_id: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_transfer(cls, transfer: Transfer) -> TransferPrefill:
        """ "Repeat this transfer": the same destination, amount and comment, from the same account."""
        cp = transfer.counterparty
        institution = cp.institution
        number = transfer.account_number
        return cls(
            account_id=number.account_id if number is not None else None,
            account_number=cp.account_number or "",
            holder_name=cp.holder_name or "",
            holder_id=cp.holder_id or "",
            institution_id=institution.id if institution and transfer.currency == "CLP" else None,
            account_type=cp.account_type if transfer.currency == "CLP" else None,
            amount=transfer.amount,
            currency=str(transfer.currency).upper(),
            comment=transfer.comment or "",
            metadata={str(k): str(v) for k, v in (transfer.metadata or {}).items()},
        )
