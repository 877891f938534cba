"""The Mexican destination on the transfer form: CLABE, holder name, RFC or CURP.

A section of the form (shown while the source account is in MXN): it fills
itself from a prefill or a magic counterparty, says what is missing, and
gives the counterparty part of the `TransferRequest`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from fintoc_tui.ui.transfer.clabe_input import ClabeInput
from fintoc_tui.ui.transfer.field_checks import check_mx_holder_id
from fintoc_tui.ui.transfer.transfer_field import TransferField

if TYPE_CHECKING:
    from fintoc_tui.sandbox.magic import MagicCounterparty
    from fintoc_tui.ui.transfer.draft import TransferPrefill


class MXCounterpartyFields(Vertical):
    """`#mx-counterparty`: CLABE (required), holder name and RFC/CURP (optional)."""

    def compose(self) -> ComposeResult:
        yield ClabeInput(id="clabe")
        yield TransferField("Holder name (optional)", max_length=100, id="mx-holder-name")
        yield TransferField(
            "Holder RFC or CURP (optional)",
            max_length=18,
            restrict=r"[A-Za-z0-9&Ññ]*",
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

    def reasons(self) -> list[str]:
        """Why the destination is not ready yet, in reading order."""
        reasons: list[str] = []
        clabe = self.query_one(ClabeInput)
        if clabe.error:
            reasons.append("fix the CLABE")
        elif clabe.clabe is None:
            reasons.append("finish the CLABE" if clabe.incomplete else "enter the CLABE")
        if self._holder_id.error:
            reasons.append("fix the holder RFC/CURP")
        return reasons

    def counterparty(self) -> dict[str, str | None]:
        """The request's `counterparty` as typed (the model validates it)."""
        return {
            "account_number": self.query_one(ClabeInput).clabe or "",
            "holder_name": self._holder_name.value or None,
            "holder_id": self._holder_id.value.upper() or None,
            "account_type": "clabe",
        }

    def targets(self) -> dict[str, Widget]:
        """The widget each API field name lands on."""
        return {
            "account_number": self.query_one(ClabeInput),
            "holder_id": self._holder_id,
            "holder_name": self._holder_name,
        }

    def focus_first(self) -> None:
        self.query_one(ClabeInput).focus()
