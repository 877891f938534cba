"""What each change to an account number does, in the words its confirmation shows.

Kept out of the dialogs so the wording is one function per change, testable
without a screen: each returns (title, body, confirm label).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fintoc_tui.ui.widgets.cells import account_number_text, amount_text

if TYPE_CHECKING:
    from fintoc_tui.api.models import AccountNumber


@dataclass(frozen=True)
class NumberForm:
    """What the create/edit dialog collected; amounts in minor units."""

    description: str | None = None
    min_amount: int | None = None
    max_amount: int | None = None
    metadata: dict[str, str] = field(default_factory=dict)


Confirmation = tuple[str, str, str]


def _range(form: NumberForm, currency: str) -> str:
    low, high = form.min_amount, form.max_amount
    if low is None and high is None:
        return "inbound transfers of any amount"
    if low is not None and high is not None:
        return (
            f"inbound transfers from {amount_text(low, currency)} to {amount_text(high, currency)}"
        )
    if low is not None:
        return f"inbound transfers of {amount_text(low, currency)} or more"
    return f"inbound transfers of up to {amount_text(high or 0, currency)}"


def _details(form: NumberForm, currency: str) -> str:
    described = f"“{form.description}”" if form.description else "no description"
    metadata = ", ".join(f"{k}={v}" for k, v in form.metadata.items()) or "none"
    return (
        f"Description: {described}\nAccepts: {_range(form, currency)}; Fintoc rejects any "
        f"other amount and returns it to the sender.\nMetadata: {metadata}"
    )


def _number(number: AccountNumber, currency: str) -> str:
    grouped, _bank = account_number_text(number.number, currency)
    described = f" (“{number.description}”)" if number.description else ""
    return f"{grouped}{described}"


def confirm_create(form: NumberForm, account_label: str, currency: str) -> Confirmation:
    return (
        "Create a new account number?",
        f"Fintoc will issue a new CLABE for {account_label}. Money sent to it lands in this "
        f"account.\n{_details(form, currency)}",
        "Create",
    )


def confirm_edit(number: AccountNumber, form: NumberForm, currency: str) -> Confirmation:
    return (
        "Save these changes?",
        f"Account number {_number(number, currency)} will now have:\n{_details(form, currency)}",
        "Save",
    )


def confirm_toggle(number: AccountNumber, currency: str) -> Confirmation:
    if number.is_enabled:
        return (
            "Disable this account number?",
            f"{_number(number, currency)} will refuse every inbound transfer: Fintoc rejects "
            "them and returns the money to the sender. You can enable it again later.",
            "Disable",
        )
    return (
        "Enable this account number?",
        f"{_number(number, currency)} will accept inbound transfers again.",
        "Enable",
    )


def confirm_delete(number: AccountNumber, currency: str) -> Confirmation:
    return (
        "Delete this account number for good?",
        f"{_number(number, currency)} will be deleted. This cannot be undone: money sent to it "
        "afterwards goes back to the sender, and after about 30 days Fintoc may give the "
        "CLABE to someone else.",
        "Delete",
    )
