"""What the history keeps per transfer: a row of display strings, cheap to keep and search.

The history screen, its export and its table read these; a transfer's full
detail is fetched only when it is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import TYPE_CHECKING, NamedTuple

from fintoc_tui.ui.history.history_table import Column
from fintoc_tui.ui.widgets.cells import amount_text, institution_name, signed_minor

if TYPE_CHECKING:
    from fintoc_tui.api.models import Transfer

_GOOD = frozenset({"succeeded"})
_BAD = frozenset({"failed", "rejected", "reject_failed"})
# `partially_succeeded` (documented, never seen) is final but not all good: amber.
_WAITING = frozenset({"pending", "return_pending", "partially_succeeded"})
_MUTED = frozenset({"returned"})


def status_class(status: str) -> str | None:
    if status in _GOOD:
        return "history-table--good"
    if status in _BAD:
        return "history-table--bad"
    if status in _WAITING:
        return "history-table--waiting"
    if status in _MUTED:
        return "history-table--muted"
    return None


def direction_class(text: str) -> str | None:
    if text.endswith("in"):
        return "history-table--inbound"
    if text.endswith("out"):
        return "history-table--outbound"
    return None


COLUMNS: tuple[Column, ...] = (
    Column("Date (UTC)", 16),
    # Below 100 cells the amount's sign tells the direction, so "Dir" goes first.
    Column("Dir", 5, style=direction_class, hide_below=100),
    Column("Counterparty", None, min_width=14, weight=3),
    Column("Amount", 15, justify="right", fit_content=True),
    Column("Status", 14, style=status_class),
    Column("Comment / reference", None, min_width=10, weight=2),
)


class HistoryRow(NamedTuple):
    """What the history keeps per transfer: display cells, the id, a search key."""

    date: str
    direction: str
    counterparty: str
    amount: str
    status: str
    note: str
    id: str
    haystack: str


def history_row(transfer: Transfer) -> HistoryRow:
    """One transfer as a row: cheap to keep, cheap to search."""
    when = transfer.transaction_date
    date = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if when else ""
    direction = str(transfer.direction)
    arrow = "↓ in" if direction == "inbound" else "↑ out" if direction == "outbound" else direction
    counterparty = transfer.counterparty
    holder = str(counterparty.holder_name or "")
    bank = institution_name(counterparty)
    who = f"{holder} · {bank}" if holder and bank else holder or bank
    amount = amount_text(signed_minor(transfer), str(transfer.currency), signed=True)
    comment = str(transfer.comment or "")
    reference = str(transfer.reference_id or "")
    note = comment or (f"ref {reference}" if reference else "")
    haystack = " ".join(
        (transfer.id, comment, reference, holder, bank, str(transfer.tracking_key or ""))
    ).casefold()
    return HistoryRow(date, arrow, who, amount, str(transfer.status), note, transfer.id, haystack)


def matches(row: HistoryRow, needle: str) -> bool:
    return not needle or needle in row.haystack


def merge_newest(
    rows: Sequence[HistoryRow], newest: Sequence[HistoryRow]
) -> list[HistoryRow] | None:
    """`rows` with the first page fetched again: new transfers on top, known ones updated.

    None when the two do not meet (the first page holds none of the loaded
    transfers: more arrived than one page): then only a reload from the top
    is right, since a gap would hide transfers.
    """
    fresh = {row.id: row for row in newest}
    known = {row.id for row in rows}
    if rows and newest and known.isdisjoint(fresh):
        return None
    added = [row for row in newest if row.id not in known]
    return added + [fresh.get(row.id, row) for row in rows]
