"""The account's numbers (CLABEs) with their status and the inbound amounts each accepts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from fintoc_tui.ui.widgets.cells import account_number_text, amount_text, status_text
from fintoc_tui.ui.widgets.literal_table import LiteralTable

if TYPE_CHECKING:
    from fintoc_tui.api.models import AccountNumber


def accepts_text(number: AccountNumber, currency: str) -> str:
    """`any amount`, `$1.00 MXN – $500.00 MXN`, `from $1.00 MXN`, `up to $500.00 MXN`."""
    options = getattr(number, "options", None)
    low = getattr(options, "min_amount", None)
    high = getattr(options, "max_amount", None)
    if low is None and high is None:
        return "any amount"
    if low is not None and high is not None:
        return f"{amount_text(low, currency)} – {amount_text(high, currency)}"
    if low is not None:
        return f"from {amount_text(low, currency)}"
    return f"up to {amount_text(high or 0, currency)}"


class AccountNumbersPanel(LiteralTable):
    """One row per number that is not deleted; `selected` is the highlighted one."""

    def __init__(self, currency: str, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=True, cursor_type="row")
        self.currency = currency
        self.numbers: list[AccountNumber] = []

    def on_mount(self) -> None:
        self.add_columns("Number", "Bank", "Description", "Status", "Accepts", "Root")

    def show(self, numbers: list[AccountNumber]) -> None:
        row = self.cursor_row
        self.numbers = [n for n in numbers if n.status != "deleted"]
        self.clear()
        for number in self.numbers:
            grouped, bank = account_number_text(number.number, self.currency)
            self.add_row(
                grouped,
                bank,
                Text(number.description or ""),
                status_text(number.status),
                accepts_text(number, self.currency),
                "yes" if number.is_root else "",
                key=number.id,
            )
        if self.numbers:
            self.move_cursor(row=min(row, len(self.numbers) - 1))

    @property
    def selected(self) -> AccountNumber | None:
        if not self.numbers or not 0 <= self.cursor_row < len(self.numbers):
            return None
        return self.numbers[self.cursor_row]
