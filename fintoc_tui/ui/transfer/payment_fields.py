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

from fintoc_tui.api.models import COMMENT_MAX_LENGTH
from fintoc_tui.money import minor_to_decimal_str
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.field_checks import check_comment, check_reference, upper_first
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
            max_length=COMMENT_MAX_LENGTH,
            checker=check_comment,
            id="comment",
        )
        yield TransferField(
            "Reference id (optional: up to 7 digits, no leading 0)",
            restrict=r"\d*",
            max_length=7,
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

    def prefill_amount(self, minor: int, currency: str) -> None:
        self.query_one(AmountInput).value = minor_to_decimal_str(minor, currency)

    def reasons(self, currency: str) -> list[str]:
        """What is missing or wrong here, in reading order."""
        reasons: list[str] = []
        amount = self.query_one(AmountInput)
        if amount.error:
            reasons.append("fix the amount")
        elif amount.minor is None:
            reasons.append("finish the amount" if amount.value.strip() else "enter the amount")
        if self._comment.error:
            reasons.append("fix the comment")
        if currency == "MXN" and self._reference.error:
            reasons.append("fix the reference id")
        if self.query_one(TransferMetadata).error:
            reasons.append("fix the metadata")
        return reasons

    def show_reasons(self, reasons: list[str]) -> None:
        """Review is pressable only when nothing is missing; the line beside it says why not."""
        self.query_one("#review", Button).disabled = bool(reasons)
        reason = self.query_one("#submit-reason", Static)
        if reasons:
            text = "To review: " + ", ".join(reasons) + "."
            reason.update(Content.assemble((upper_first(text), "$text-warning")))
        else:
            reason.update(Content("Ready. Nothing is sent until you confirm on the next screen."))

    def request_fields(self, currency: str) -> dict[str, object]:
        """This section's part of the `TransferRequest`, as typed."""
        reference = self._reference.value.strip()
        metadata = self.query_one(TransferMetadata).pairs
        return {
            "amount": self.query_one(AmountInput).minor or 0,
            "comment": self._comment.value or None,
            "reference_id": (reference or None) if currency == "MXN" else None,
            "metadata": metadata or None,
        }

    def targets(self) -> dict[str, Widget]:
        """The widget each API field name lands on."""
        return {
            "amount": self.query_one(AmountInput),
            "comment": self._comment,
            "reference_id": self._reference,
            "metadata": self.query_one(TransferMetadata),
        }
