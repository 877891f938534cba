"""The right-hand section of the transfer form: amount, comment, reference, metadata, Review.

The amount is previewed and checked against the source account's balance
and currency as it is typed (`AmountInput`); the reference id exists only
in Mexico (hidden for CLP by the form's CSS). The Review button and the
line beside it say what is still missing, in reading order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from fintoc_tui.transfer.checks import (
    COMMENT_MAX_LENGTH,
    REFERENCE_ID_MAX_DIGITS,
    check_comment,
    check_reference,
    upper_first,
)
from fintoc_tui.transfer.input_rules import COMMENT, REFERENCE_ID
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.transfer_field import TransferField
from fintoc_tui.ui.transfer.transfer_metadata import TransferMetadata

if TYPE_CHECKING:
    from fintoc_tui.ui.transfer.draft import TransferPrefill


class PaymentFields(Vertical):
    """`#col-right`: `#amount`, `#comment`, `#reference-id`, `#metadata`, `#review`."""

    def compose(self) -> ComposeResult:
        yield Label("Amount", classes="field-label")
        yield AmountInput("MXN", id="amount")
        yield TransferField(
            f"Comment (optional, up to {COMMENT_MAX_LENGTH})",
            rule=COMMENT,
            checker=check_comment,
            id="comment",
        )
        yield TransferField(
            f"Reference id (optional: up to {REFERENCE_ID_MAX_DIGITS} digits, no leading 0)",
            rule=REFERENCE_ID,
            checker=check_reference,
            id="reference-id",
        )
        yield TransferMetadata(id="metadata")
        with Horizontal(id="submit-row"):
            yield Button("Review transfer", id="review", variant="primary")
            yield Static(Content(""), id="submit-reason", markup=False)

    @property
    def _comment(self) -> TransferField:
        return self.query_one("#comment", TransferField)

    @property
    def _reference(self) -> TransferField:
        return self.query_one("#reference-id", TransferField)

    def prefill_notes(self, prefill: TransferPrefill) -> None:
        """Comment, reference and metadata from a prefill (the amount waits for the account)."""
        if prefill.comment:
            self._comment.value = prefill.comment
        if prefill.reference_id:
            self._reference.value = prefill.reference_id
        if prefill.metadata:
            self.query_one(TransferMetadata).set_pairs(prefill.metadata)

    def prefill_amount(self, minor: int, currency: str | None) -> None:
        """A repeated transfer's amount, only if it is in the account's currency."""
        self.query_one(AmountInput).prefill(minor, currency)

    def show_reasons(self, reasons: list[str]) -> None:
        """Review is pressable only when nothing is missing; the line beside it says why not."""
        self.query_one("#review", Button).disabled = bool(reasons)
        reason = self.query_one("#submit-reason", Static)
        if reasons:
            text = "To review: " + ", ".join(reasons) + "."
            reason.update(Content.assemble((upper_first(text), "$text-warning")))
        else:
            reason.update(Content("Ready. Nothing is sent until you confirm on the next screen."))

    def fields(self, currency: str) -> dict[str, object]:
        """This section's part of the core's `TransferFields`, as typed."""
        return {
            "amount": self.query_one(AmountInput).value,
            "comment": self._comment.value,
            "reference_id": self._reference.value if currency == "MXN" else "",
            "metadata": tuple(self.query_one(TransferMetadata).rows_as_typed),
        }

    def targets(self) -> dict[str, Widget]:
        """The widget each API field name lands on."""
        return {
            "amount": self.query_one(AmountInput),
            "comment": self._comment,
            "reference_id": self._reference,
            "metadata": self.query_one(TransferMetadata),
        }
