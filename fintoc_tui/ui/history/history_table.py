"""A read-only table built for tens of thousands of rows.

Why not Textual's `DataTable`: measured on this machine (bench/bench_history.py,
`table` section) it spends about 0.3 ms of event-loop time per added row —
it measures every cell of every new row with Rich to size its columns — so a
page of 300 rows costs ~90 ms and 10,000 rows freeze the app for ~3 s. Here
columns have fixed widths (one column flexes to fill the screen), rows are
plain tuples of already formatted strings, and only the visible lines are
rendered (Textual's Line API), so adding a page is a `list.extend` and a
frame costs the same at 100 rows or 100,000.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from fintoc_tui.ui.shell import bindings

Justify = Literal["left", "right"]


@dataclass(frozen=True)
class Column:
    """`width=None` makes the column take what the others leave (at least `min_width`).

    `style` maps a cell's text to one of the table's component classes (for
    example a status to its colour), or None for the row's own style.
    """

    label: str
    width: int | None
    justify: Justify = "left"
    min_width: int = 8
    style: Callable[[str], str | None] | None = None
    weight: int = 1
    """How flexible columns share the spare width."""
    hide_below: int | None = None
    """Drop the column when the table is narrower than this (its content shows elsewhere)."""
    fit_content: bool = False
    """Width follows the widest cell loaded (never cut: amounts); `width` is the floor."""


def fit(text: str, width: int, justify: Justify = "left") -> str:
    """Pad or cut `text` to exactly `width` cells, with an ellipsis when cut."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    if justify == "right":
        return " " * (width - length) + text
    return text + " " * (width - length)


class HistoryTable(ScrollView, can_focus=True):
    """Rows of strings under a fixed header, with a row cursor.

    Posts `Highlighted` when the cursor moves, `Selected` on enter or click,
    and `NearEnd` when the cursor or the viewport comes within `near_end`
    rows of the last row (the screen fetches the next page then).
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings.HISTORY_TABLE  # type: ignore[assignment]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "history-table--header",
        "history-table--cursor",
        "history-table--even-row",
        "history-table--odd-row",
        "history-table--good",
        "history-table--bad",
        "history-table--waiting",
        "history-table--muted",
        "history-table--inbound",
        "history-table--outbound",
    }

    DEFAULT_CSS = """
    HistoryTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .history-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .history-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .history-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .history-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .history-table--even-row { background: $surface-darken-1 40%; }
        & > .history-table--good { color: $text-success; }
        & > .history-table--bad { color: $text-error; }
        & > .history-table--waiting { color: $text-warning; }
        & > .history-table--muted { color: $text-muted; }
        & > .history-table--inbound { color: $text-success; }
        & > .history-table--outbound { color: $text-secondary; }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=False)

    class Highlighted(Message):
        def __init__(self, table: HistoryTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> HistoryTable:
            return self.table

    class Selected(Message):
        def __init__(self, table: HistoryTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> HistoryTable:
            return self.table

    class NearEnd(Message):
        """The person is close to the last loaded row: time to fetch more."""

        def __init__(self, table: HistoryTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> HistoryTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        near_end: int = 60,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: tuple[Column, ...] = tuple(columns)
        self.near_end = near_end
        self._rows: list[Sequence[str]] = []
        self._widths: list[int] = [c.width or c.min_width for c in self.columns]
        self._content_widths: list[int] = [cell_len(c.label) for c in self.columns]
        """Per column, the widest cell loaded so far (used by `fit_content` columns)."""

    # -- data ---------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def row(self, index: int) -> Sequence[str]:
        return self._rows[index]

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        """Replace every row (a new filter or search); the cursor goes to the top."""
        self._rows = list(rows)
        self._content_widths = [cell_len(c.label) for c in self.columns]
        self._measure(self._rows, relayout=True)
        self._update_virtual_size()
        self.cursor_row = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self._post_highlight()

    def append_rows(self, rows: Sequence[Sequence[str]]) -> None:
        """Add a page at the bottom: O(page), whatever is already loaded."""
        was_empty = not self._rows
        self._rows.extend(rows)
        self._measure(rows)
        self._update_virtual_size()
        self.refresh()
        if was_empty and self._rows:
            self._post_highlight()

    def replace_row(self, match: Callable[[Sequence[str]], bool], row: Sequence[str]) -> bool:
        """Swap the first row `match` accepts for `row`; True if one was found."""
        for index, current in enumerate(self._rows):
            if match(current):
                self._rows[index] = row
                self._measure([row])
                self.refresh()
                return True
        return False

    def clear(self) -> None:
        self.set_rows([])

    # -- geometry -----------------------------------------------------------

    @property
    def _body_height(self) -> int:
        """Lines available for rows: the widget's height less the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _measure(self, rows: Sequence[Sequence[str]], relayout: bool = False) -> None:
        """Widen `fit_content` columns to their widest new cell: O(rows added)."""
        grew = False
        for i, column in enumerate(self.columns):
            if not column.fit_content:
                continue
            widest = max((cell_len(row[i]) for row in rows if i < len(row)), default=0)
            if widest > self._content_widths[i]:
                self._content_widths[i] = widest
                grew = True
        if (grew or relayout) and self.is_mounted:
            self._layout_widths(self.scrollable_content_region.width)

    def _shown(self, column: Column, total: int) -> bool:
        return column.hide_below is None or total >= column.hide_below

    def _layout_widths(self, total: int) -> None:
        """Fixed columns first, then flexible ones share what is left (a narrow
        terminal drops `hide_below` columns rather than cutting the others)."""
        shown = [self._shown(c, total) for c in self.columns]
        fixed_widths = [
            max(c.width or 0, self._content_widths[i]) if c.fit_content else c.width
            for i, c in enumerate(self.columns)
        ]
        fixed = sum(w for w, on in zip(fixed_widths, shown, strict=True) if on and w is not None)
        gaps = sum(shown) - 1
        flexible = [c for c, on in zip(self.columns, shown, strict=True) if on and c.width is None]
        weights = sum(c.weight for c in flexible) or 1
        spare = max(0, total - fixed - gaps)
        for i, column in enumerate(self.columns):
            width = fixed_widths[i]
            if not shown[i]:
                self._widths[i] = 0
            elif width is not None:
                self._widths[i] = width
            else:
                self._widths[i] = max(column.min_width, spare * column.weight // weights)
        self.refresh()

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width or sum(self._widths)
        self.virtual_size = Size(width, len(self._rows) + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_widths(self.scrollable_content_region.width)
        self._update_virtual_size()

    # -- rendering ----------------------------------------------------------

    def _line(self, cells: Sequence[str], base: Style, cell_styles: bool) -> Strip:
        segments: list[Segment] = []
        last = max((i for i, w in enumerate(self._widths) if w), default=0)
        for i, column in enumerate(self.columns):
            if not self._widths[i]:
                continue
            text = cells[i] if i < len(cells) else ""
            style = base
            if cell_styles and column.style is not None:
                component = column.style(text)
                if component is not None:
                    style = base + self.get_component_rich_style(component, partial=True)
            segments.append(Segment(fit(text, self._widths[i], column.justify), style))
            if i != last:
                segments.append(Segment(" ", base))
        return Strip(segments)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = base + self.get_component_rich_style("history-table--header", partial=True)
            strip = self._line([c.label for c in self.columns], header, cell_styles=False)
            return strip.extend_cell_length(width, header).crop(0, width)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, base)
        if index == self.cursor_row:
            style = base + self.get_component_rich_style("history-table--cursor", partial=True)
            strip = self._line(self._rows[index], style, cell_styles=False)
        else:
            zebra = "history-table--even-row" if index % 2 == 0 else "history-table--odd-row"
            style = base + self.get_component_rich_style(zebra, partial=True)
            strip = self._line(self._rows[index], style, cell_styles=True)
        return strip.extend_cell_length(width, style).crop(0, width)

    # -- cursor -------------------------------------------------------------

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self._post_highlight()
        self._check_near_end(new)

    def _post_highlight(self) -> None:
        if self._rows:
            self.post_message(self.Highlighted(self, self.cursor_row))

    def _scroll_cursor_into_view(self) -> None:
        top = int(self.scroll_offset.y)
        body = self._body_height
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + body:
            self.scroll_to(y=self.cursor_row - body + 1, animate=False, immediate=True)

    def _check_near_end(self, row: int) -> None:
        if self._rows and row >= len(self._rows) - self.near_end:
            self.post_message(self.NearEnd(self))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._check_near_end(int(new) + self._body_height)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self._body_height

    def action_page_down(self) -> None:
        self.cursor_row += self._body_height

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._rows) - 1

    def action_select(self) -> None:
        if self._rows:
            self.post_message(self.Selected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if 0 <= index < len(self._rows):
            if index == self.cursor_row and event.chain >= 2:
                self.action_select()
            self.cursor_row = index
