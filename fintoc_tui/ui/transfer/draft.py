"""A transfer before it is sent: what prefills a form, and what the confirm screen restates.

`TransferPrefill` carries "new transfer from this account" and "repeat this
transfer" into the form (every field optional, the amount in int minor
units). `TransferDraft` is the validated `TransferRequest` plus the words the
confirm, result and journal screens show for it (bank name, grouped number).
Neither is a screen: the history's detail builds a prefill, the form a draft,
and the transfer screens pass them along.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fintoc_tui.api.models import Account, Transfer, TransferRequest


@dataclass(frozen=True)
class TransferPrefill:
    """What to put in a fresh form; every field optional. `amount` is int minor units."""

    account_id: str | None = None
    account_number: str = ""
    holder_name: str = ""
    holder_id: str = ""
    institution_id: str | None = None
    account_type: str | None = None
    amount: int | None = None
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
            comment=transfer.comment or "",
            metadata={str(k): str(v) for k, v in (transfer.metadata or {}).items()},
        )


@dataclass(frozen=True)
class TransferDraft:
    """A validated request plus what the confirm screen needs to restate it."""

    account: Account
    request: TransferRequest
    destination_name: str
    destination_bank: str
    destination_number: str
    destination_holder_id: str = ""
    destination_account_type: str = ""

    @classmethod
    def from_request(cls, account: Account, request: TransferRequest) -> TransferDraft:
        """The draft of a request the model accepted: bank and number as a person reads them."""
        from fintoc_tui.api.models import CLCounterparty
        from fintoc_tui.banking import (
            CL_ACCOUNT_TYPES,
            CL_INSTITUTIONS,
            clabe_bank,
            format_clabe,
            format_rut,
        )

        cp = request.counterparty
        if not isinstance(cp, CLCounterparty):
            bank = clabe_bank(cp.account_number)
            return cls(
                account=account,
                request=request,
                destination_name=cp.holder_name or "(holder name not given)",
                destination_bank=bank.name if bank else "unknown bank",
                destination_number=format_clabe(cp.account_number),
                destination_holder_id=cp.holder_id or "",
                destination_account_type="CLABE",
            )
        return cls(
            account=account,
            request=request,
            destination_name=cp.holder_name,
            destination_bank=CL_INSTITUTIONS.get(cp.institution_id, cp.institution_id),
            destination_number=cp.account_number,
            destination_holder_id=format_rut(cp.holder_id),
            destination_account_type=(
                CL_ACCOUNT_TYPES.get(cp.account_type, cp.account_type)
                if cp.account_type
                else "not given"  # Fintoc's test mode takes a CL transfer without one
            ),
        )

    @property
    def currency(self) -> str:
        return self.request.currency

    @property
    def amount(self) -> int:
        return self.request.amount

    @property
    def last_four(self) -> str:
        """The last four digits of the destination, typed back in live mode."""
        return self.request.counterparty.account_number[-4:]
