"""A checked transfer and the confirm step's lines that restate it.

`TransferDraft` is the validated `TransferRequest` plus the words a person
reads it by (the bank named from the CLABE, the RUT formatted). `restate`
turns it into the lines the confirm screen and `fintoc-tui transfers create`
both show, label by label; the amount comes from the request's int, never
from the text that was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from fintoc_tui.banking import (
    CL_ACCOUNT_TYPES,
    CL_INSTITUTIONS,
    clabe_bank,
    format_clabe,
    format_rut,
)
from fintoc_tui.money import format_amount

if TYPE_CHECKING:
    from fintoc_tui.api.models import TransferRequest
    from fintoc_tui.environments import Environment

__all__ = [
    "RestatedLine",
    "SourceAccount",
    "TransferDraft",
    "build_draft",
    "environment_sentence",
    "restate",
]


class SourceAccount(Protocol):
    """What the checks need from the account the money leaves (an `api.models.Account`)."""

    @property
    def id(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def available_balance(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def description(self) -> str | None: ...


@dataclass(frozen=True)
class TransferDraft:
    """A validated request plus what the confirm step needs to restate it."""

    account: SourceAccount
    request: TransferRequest
    destination_name: str
    destination_bank: str
    destination_number: str
    destination_holder_id: str = ""
    destination_account_type: str = ""

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


def build_draft(account: SourceAccount, request: TransferRequest) -> TransferDraft:
    """The display strings for a validated request (the bank from the CLABE, the RUT formatted)."""
    cp = request.counterparty
    if request.currency == "MXN":
        bank = clabe_bank(cp.account_number)
        return TransferDraft(
            account=account,
            request=request,
            destination_name=cp.holder_name or "(holder name not given)",
            destination_bank=bank.name if bank else "unknown bank",
            destination_number=format_clabe(cp.account_number),
            destination_holder_id=cp.holder_id or "",
            destination_account_type="CLABE",
        )
    institution_id = getattr(cp, "institution_id", "")
    account_type = cp.account_type or ""
    return TransferDraft(
        account=account,
        request=request,
        destination_name=cp.holder_name or "",
        destination_bank=CL_INSTITUTIONS.get(institution_id, institution_id),
        destination_number=cp.account_number,
        destination_holder_id=format_rut(cp.holder_id) if cp.holder_id else "",
        destination_account_type=(
            CL_ACCOUNT_TYPES.get(account_type, account_type)
            if account_type
            else "not given"  # Fintoc's test mode takes a CL transfer without one
        ),
    )


def environment_sentence(environment: Environment | None) -> tuple[str, str]:
    """(label, explanation) for the environment line of a restatement."""
    if environment is None:
        return "?", "no environment"
    if environment.name == "live":
        return "LIVE", "real money will move"
    if environment.name == "test":
        return "TEST", "Fintoc test mode: no real money moves"
    return "SANDBOX", "the local emulator: no real money moves"


@dataclass(frozen=True)
class RestatedLine:
    """One line of the confirm step: `label`, the `value`, and a quieter `note`."""

    label: str
    value: str
    note: str = ""


def restate(draft: TransferDraft, environment: Environment | None) -> list[RestatedLine]:
    """What the confirm screen shows, line by line, from the stored ints (never typed text)."""
    request = draft.request
    account = draft.account
    env_label, env_text = environment_sentence(environment)
    balance = format_amount(account.available_balance, account.currency)
    lines = [
        RestatedLine("Environment", env_label, env_text),
        RestatedLine("From", f"{account.description or account.id}  ·  balance {balance}"),
        RestatedLine("To", draft.destination_name),
        RestatedLine("Bank", draft.destination_bank),
        RestatedLine("Account", draft.destination_number, f"({draft.destination_account_type})"),
    ]
    if draft.destination_holder_id:
        label = "RUT" if request.currency == "CLP" else "RFC / CURP"
        lines.append(RestatedLine(label, draft.destination_holder_id))
    lines.append(
        RestatedLine(
            "Amount",
            format_amount(request.amount, request.currency),
            f"amount={request.amount} (minor units sent)",
        )
    )
    lines.append(RestatedLine("Comment", request.comment or "—"))
    if request.currency == "MXN":
        lines.append(RestatedLine("Reference", request.reference_id or "—"))
    if request.metadata:
        pairs = ", ".join(f"{k}={v}" for k, v in request.metadata.items())
        lines.append(RestatedLine("Metadata", pairs))
    return lines
