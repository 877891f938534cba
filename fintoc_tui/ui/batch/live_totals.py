"""Live: the person types each currency's total before a batch can be sent.

As `fintoc-tui batch` asks on a terminal: the total is read with the form's
own amount parser (`money.parse_amount`, so `12,345.67` and `12345.67` both
count) and must equal, to the minor unit, what the batch will send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from fintoc_tui.money import AmountError, parse_amount

if TYPE_CHECKING:
    from fintoc_tui.batch.preview import Total

__all__ = ["LiveTotals", "typed_total_matches"]


def typed_total_matches(typed: str, total: Total) -> bool:
    """True when `typed` is exactly `total`'s amount in its currency."""
    try:
        return parse_amount(typed, total.currency) == total.amount
    except AmountError:
        return False


class LiveTotals(Vertical):
    """One field per currency; `confirmed` once every total is typed exactly."""

    DEFAULT_CSS = """
    LiveTotals { height: auto; border: round $error; padding: 0 1; margin-top: 1; }
    LiveTotals .live-row { height: 1; }
    LiveTotals .live-row Label { width: 44; }
    LiveTotals .live-row Input { width: 24; }
    """

    def __init__(self, totals: list[Total], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.totals = totals

    def compose(self) -> ComposeResult:
        yield Label(
            Text.assemble(
                ("Live: real money moves. ", "bold red"),
                "Type each total to unlock Send.",
            )
        )
        for total in self.totals:
            with Horizontal(classes="live-row"):
                yield Label(f"Total in {total.currency} ({total.count:,} transfers)")
                yield Input(
                    placeholder=total.formatted,
                    id=f"live-total-{total.currency.lower()}",
                    compact=True,
                )

    def confirmed(self) -> bool:
        """Every total typed exactly (False until the fields are there)."""
        typed = {field.id: field.value for field in self.query(Input)}
        return all(
            typed_total_matches(typed.get(f"live-total-{t.currency.lower()}", ""), t)
            for t in self.totals
        )
