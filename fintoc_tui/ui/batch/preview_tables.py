"""The preview of a batch as tables: totals per currency, per source account, per bank, the largest.

Drawn from `batch.preview.BatchPreview` (the command prints the same object
as lines), amounts from their ints in each currency's home style, right-aligned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from fintoc_tui.money import format_amount

if TYPE_CHECKING:
    from fintoc_tui.batch.preview import BatchPreview

__all__ = ["details_tables", "to_send_table"]


def _table(title: str) -> Table:
    return Table(
        title=Text(title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        expand=False,
    )


def to_send_table(preview: BatchPreview) -> Table:
    """What the one confirmation sends, per currency."""
    totals = _table("To send")
    totals.add_column("Currency")
    totals.add_column("Transfers", justify="right")
    totals.add_column("Total", justify="right")
    for total in preview.by_currency:
        totals.add_row(total.currency, f"{total.count:,}", Text(total.formatted, style="bold"))
    return totals


def details_tables(preview: BatchPreview) -> Group:
    """Per source account (with what is left after), per bank, and the largest payments."""
    accounts = _table("From")
    accounts.add_column("Account")
    accounts.add_column("Rows", justify="right")
    accounts.add_column("Total", justify="right")
    accounts.add_column("Available", justify="right")
    accounts.add_column("After", justify="right")
    for label, total, balance in preview.by_account:
        accounts.add_row(
            label,
            f"{total.count:,}",
            total.formatted,
            format_amount(balance, total.currency),
            format_amount(balance - total.amount, total.currency),
        )

    banks = _table("By bank")
    banks.add_column("Bank")
    banks.add_column("Rows", justify="right")
    banks.add_column("Total", justify="right")
    for bank, total in preview.by_bank:
        banks.add_row(bank, f"{total.count:,}", total.formatted)
    return Group(accounts, banks, _largest_table(preview))


def _largest_table(preview: BatchPreview) -> Table:
    """The largest payments of each currency: the ones a typo hurts most."""
    table = _table("Largest payments")
    table.add_column("Row", justify="right")
    table.add_column("Amount", justify="right")
    table.add_column("To")
    table.add_column("Bank")
    table.add_column("Account")
    for row in preview.largest:
        table.add_row(
            str(row.number),
            Text(format_amount(row.amount, row.currency), style="bold"),
            row.draft.destination_name,
            row.draft.destination_bank,
            row.draft.destination_number,
        )
    return table
