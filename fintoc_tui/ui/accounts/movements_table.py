"""Every movement of an account, a page at a time as the cursor nears the end.

The first page comes with the screen; the next one (the API's `Link`,
`next_url`) is asked for when the cursor or the scroll gets within
`LOAD_AHEAD` rows of the last one, so a person can scroll from today back
to the account's first movement without waiting for all of it up front.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message

from fintoc_tui.ui.widgets.cells import amount_text
from fintoc_tui.ui.widgets.literal_table import LiteralTable
from fintoc_tui.ui.widgets.narrow import is_narrow

if TYPE_CHECKING:
    from fintoc_tui.api.models import Movement

#: Movements per request: a few screens' worth.
PAGE_SIZE = 50
#: Ask for the next page when the cursor (or the bottom of the view) is this close to the end.
LOAD_AHEAD = 10


@dataclass(frozen=True)
class MovementFilters:
    """The API filters of the movements list; dates are whole UTC days, both inclusive."""

    direction: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.direction or self.since or self.until)

    def describe(self) -> str:
        parts = [f"{self.direction} only"] if self.direction else []
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        return ", ".join(parts) if parts else "all"

    def api_params(self) -> dict[str, str | None]:
        return {
            "direction": self.direction,
            "since": f"{self.since.isoformat()}T00:00:00Z" if self.since else None,
            "until": f"{self.until.isoformat()}T23:59:59Z" if self.until else None,
        }


def movement_row(movement: Movement) -> tuple[str, str, str, str, str]:
    """Date, type, direction, signed amount, balance after; outbound movements read negative."""
    sign = -1 if movement.direction == "outbound" else 1
    return (
        movement.transaction_date.strftime("%Y-%m-%d %H:%M"),
        movement.type.replace("_", " "),
        movement.direction,
        amount_text(sign * movement.amount, movement.currency, signed=True),
        # Every source but one old docs page sends the balance; none is shown as such.
        "—" if movement.balance is None else amount_text(movement.balance, movement.currency),
    )


class MovementsTable(LiteralTable):
    """The movements shown so far, and where the next page is (`next_url`)."""

    class Scrolled(Message):
        """The view moved (wheel, page keys): the screen checks whether to load more."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.Scrolled())

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=True, cursor_type="row")
        self.movements: list[Movement] = []
        self.next_url: str | None = None
        self.loading_more = False
        self._widths = (0, 0)
        self._narrow: bool | None = None
        """Whether the rows on screen were laid out for a narrow terminal."""

    def show_first(self, movements: list[Movement], next_url: str | None) -> None:
        """Replace everything with the first page (a load, a refresh, new filters)."""
        self.movements = list(movements)
        self.next_url = next_url
        self.loading_more = False
        self._render_all()
        self.move_cursor(row=0)

    def add_page(self, movements: list[Movement], next_url: str | None) -> None:
        self.loading_more = False
        self.next_url = next_url
        start = len(self.movements)
        self.movements.extend(movements)
        if self._needed_widths() != self._widths:
            row = self.cursor_row
            self._render_all()
            self.move_cursor(row=row)
            return
        for movement in self.movements[start:]:
            self._add(movement)

    @property
    def wants_more(self) -> bool:
        """The cursor or the view is near the last row and another page exists."""
        if self.next_url is None or self.loading_more or not self.movements:
            return False
        last_visible = int(self.scroll_y) + self.size.height
        near = max(self.cursor_row, last_visible)
        return near >= len(self.movements) - LOAD_AHEAD

    def _needed_widths(self) -> tuple[int, int]:
        rows = [movement_row(m) for m in self.movements]
        amount = max([len("Amount"), *(len(r[3]) for r in rows)])
        balance = max([len("Balance after"), *(len(r[4]) for r in rows)])
        return amount, balance

    def _render_all(self) -> None:
        self.clear(columns=True)
        self._widths = amount, balance = self._needed_widths()
        self._narrow = is_narrow(self.app)
        self.add_column("Date (UTC)", key="date")
        self.add_column("Type", key="type")
        if not self._narrow:  # the amount's sign says it; a narrow screen needs the room
            self.add_column("Direction", key="direction")
        self.add_column(Text("Amount".rjust(amount)), key="amount")
        self.add_column(Text("Balance after".rjust(balance)), key="balance")
        for movement in self.movements:
            self._add(movement)
        if not self.movements:
            blanks = ["", ""] if self._narrow else ["", "", ""]
            self.add_row("", Text("No movements here.", style="dim"), *blanks)

    def on_resize(self) -> None:
        """Lay the rows out again when the terminal crosses the narrow width."""
        if self._narrow is not None and self._narrow != is_narrow(self.app):
            row = self.cursor_row
            self._render_all()
            self.move_cursor(row=row)

    def _add(self, movement: Movement) -> None:
        date_, kind, direction, amount, balance = movement_row(movement)
        amount_width, balance_width = self._widths
        self.add_row(
            date_,
            kind,
            *([] if self._narrow else [direction]),
            Text(amount.rjust(amount_width)),
            Text(balance.rjust(balance_width)),
            key=movement.id,
        )
