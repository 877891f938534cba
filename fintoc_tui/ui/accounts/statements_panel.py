"""The account's monthly statements: opening and closing balance, money in and out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from fintoc_tui.ui.widgets.cells import amount_text
from fintoc_tui.ui.widgets.literal_table import LiteralTable

if TYPE_CHECKING:
    from fintoc_tui.api.statement_models import AccountStatement


class StatementsPanel(LiteralTable):
    """One row per statement, newest first; `selected` is the highlighted one."""

    def __init__(self, currency: str, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=True, cursor_type="row")
        self.currency = currency
        self.statements: list[AccountStatement] = []

    def show(self, statements: list[AccountStatement]) -> None:
        self.statements = list(statements)
        self.clear(columns=True)
        rows = [
            (
                s.period,
                amount_text(s.initial_balance_cents, self.currency),
                amount_text(s.total_credited_cents, self.currency),
                amount_text(s.total_debited_cents, self.currency),
                amount_text(s.final_balance_cents, self.currency),
            )
            for s in self.statements
        ]
        headers = ("Period", "Opening", "Money in", "Money out", "Closing")
        widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
        self.add_column(headers[0], key="period")
        for index, header in enumerate(headers[1:], start=1):
            self.add_column(Text(header.rjust(widths[index])), key=header.lower())
        for statement, row in zip(self.statements, rows, strict=True):
            cells = [Text(cell.rjust(widths[i])) for i, cell in enumerate(row) if i]
            self.add_row(row[0], *cells, key=statement.id)
        if not rows:
            self.add_row(Text("No statements yet.", style="dim"), "", "", "", "")

    @property
    def selected(self) -> AccountStatement | None:
        if not self.statements or not 0 <= self.cursor_row < len(self.statements):
            return None
        return self.statements[self.cursor_row]
