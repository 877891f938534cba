"""The Chilean destination on the transfer form: account number, RUT, holder, bank, type.

A section of the form (shown while the source account is in CLP; mounted the
first time it is needed, see `destination_sections`): it fills
itself from a prefill or a magic counterparty, says what is missing, and
gives the counterparty part of the `TransferRequest`. The two pickers show
an API error in the note under them (`#cl-institution-note`, …).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Select, Static

from fintoc_tui.banking import CL_ACCOUNT_TYPES, CL_INSTITUTIONS
from fintoc_tui.transfer.checks import check_cl_account_number
from fintoc_tui.transfer.input_rules import CL_ACCOUNT_NUMBER, HOLDER_NAME
from fintoc_tui.ui.transfer.rut_input import RutInput
from fintoc_tui.ui.transfer.transfer_field import TransferField

if TYPE_CHECKING:
    from fintoc_tui.sandbox.magic import MagicCounterparty
    from fintoc_tui.ui.transfer.draft import TransferPrefill


def _chosen(select: Select[str]) -> str:
    """A Select's value as text; "" when nothing is chosen (so the model names the field)."""
    value = select.value
    return value if isinstance(value, str) else ""


class CLCounterpartyFields(Vertical):
    """`#cl-counterparty`: every field Chile requires, bank and account type picked from lists."""

    def compose(self) -> ComposeResult:
        yield TransferField(
            "Account number",
            rule=CL_ACCOUNT_NUMBER,
            required=True,
            checker=check_cl_account_number,
            id="cl-account-number",
        )
        yield RutInput(id="rut")
        yield TransferField("Holder name", rule=HOLDER_NAME, required=True, id="cl-holder-name")
        yield Label("Institution", classes="field-label")
        yield Select(
            [(name, key) for key, name in CL_INSTITUTIONS.items()],
            prompt="Choose the bank…",
            id="cl-institution",
        )
        yield Static("", id="cl-institution-note", classes="select-note")
        yield Label("Account type", classes="field-label")
        yield Select(
            [(name, key) for key, name in CL_ACCOUNT_TYPES.items()],
            prompt="Choose the account type…",
            id="cl-account-type",
        )
        yield Static("", id="cl-account-type-note", classes="select-note")

    @property
    def _number(self) -> TransferField:
        return self.query_one("#cl-account-number", TransferField)

    @property
    def _holder_name(self) -> TransferField:
        return self.query_one("#cl-holder-name", TransferField)

    @property
    def _institution(self) -> Select[str]:
        return self.query_one("#cl-institution", Select)

    @property
    def _account_type(self) -> Select[str]:
        return self.query_one("#cl-account-type", Select)

    def prefill(self, prefill: TransferPrefill) -> None:
        self._number.value = prefill.account_number
        self.query_one(RutInput).value = prefill.holder_id
        self._holder_name.value = prefill.holder_name
        if prefill.institution_id in CL_INSTITUTIONS:
            self._institution.value = prefill.institution_id
        if prefill.account_type in CL_ACCOUNT_TYPES:
            self._account_type.value = prefill.account_type

    def fill_magic(self, magic: MagicCounterparty) -> None:
        self._number.value = magic.account_number
        self.query_one(RutInput).value = magic.holder_id or ""
        self._holder_name.value = magic.holder_name
        self._institution.value = magic.institution_id  # type: ignore[assignment]  # CL rows have one
        self._account_type.value = magic.account_type  # type: ignore[assignment]

    def fields(self) -> dict[str, str]:
        """This section's part of the core's `TransferFields`, as typed and chosen."""
        return {
            "account_number": self._number.value,
            "holder_id": self.query_one(RutInput).value,
            "holder_name": self._holder_name.value,
            "institution_id": _chosen(self._institution),
            "account_type": _chosen(self._account_type),
        }

    def targets(self) -> dict[str, Widget]:
        """The widget each API field name lands on (the pickers show theirs in a note)."""
        return {
            "account_number": self._number,
            "holder_id": self.query_one("#rut"),
            "holder_name": self._holder_name,
            "institution_id": self._institution,
            "account_type": self._account_type,
        }

    def clear(self) -> None:
        """Empty every field and picker (a new transfer)."""
        for text in (self._number, self.query_one(RutInput), self._holder_name):
            text.value = ""
        for select in (self._institution, self._account_type):
            select.clear()

    def focus_first(self) -> None:
        self._number.focus()
