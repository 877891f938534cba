"""The Mexican destination on the transfer form: CLABE (and "Verify account"), holder, RFC or CURP.

A section of the form (shown while the source account is in MXN): it fills
itself from a prefill or a magic counterparty, says what is missing, and
gives the counterparty part of the `TransferRequest`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from fintoc_tui.transfer.checks import check_mx_holder_id
from fintoc_tui.transfer.input_rules import HOLDER_NAME, MX_HOLDER_ID
from fintoc_tui.ui.transfer.account_verifier import AccountVerifier
from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.transfer_field import TransferField

if TYPE_CHECKING:
    from fintoc_tui.sandbox.magic import MagicCounterparty
    from fintoc_tui.ui.transfer.draft import TransferPrefill


class MXCounterpartyFields(Vertical):
    """`#mx-counterparty`: CLABE (required), holder name and RFC/CURP (optional)."""

    def compose(self) -> ComposeResult:
        yield ClabeInput(id="clabe")
        yield AccountVerifier(id="account-verifier")
        yield TransferField("Holder name (optional)", rule=HOLDER_NAME, id="mx-holder-name")
        yield TransferField(
            "Holder RFC or CURP (optional)",
            rule=MX_HOLDER_ID,
            checker=check_mx_holder_id,
            id="mx-holder-id",
        )

    @property
    def _holder_name(self) -> TransferField:
        return self.query_one("#mx-holder-name", TransferField)

    @property
    def _holder_id(self) -> TransferField:
        return self.query_one("#mx-holder-id", TransferField)

    def prefill(self, prefill: TransferPrefill) -> None:
        self.query_one(ClabeInput).value = prefill.account_number
        self._holder_name.value = prefill.holder_name
        self._holder_id.value = prefill.holder_id

    def fill_magic(self, magic: MagicCounterparty) -> None:
        self.query_one(ClabeInput).value = magic.account_number
        self._holder_name.value = magic.holder_name

    def fields(self) -> dict[str, str]:
        """This section's part of the core's `TransferFields`, as typed."""
        return {
            "account_number": self.query_one(ClabeInput).value,
            "holder_name": self._holder_name.value,
            "holder_id": self._holder_id.value,
        }

    def targets(self) -> dict[str, Widget]:
        """The widget each API field name lands on."""
        return {
            "account_number": self.query_one(ClabeInput),
            "holder_id": self._holder_id,
            "holder_name": self._holder_name,
        }

    def clear(self) -> None:
        """Empty every field (a new transfer)."""
        for text in (self.query_one(ClabeInput), self._holder_name, self._holder_id):
            text.value = ""

    @on(TransferField.Changed, "#mx-holder-name")
    def _holder_name_changed(self) -> None:
        """The verifier compares its registered holder with this name, as typed now."""
        self.query_one(AccountVerifier).typed_name_changed(self._holder_name.value)

    def focus_first(self) -> None:
        self.query_one(ClabeInput).focus()
