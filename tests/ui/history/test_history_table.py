"""The history's table: fixed header, row cursor, paging signals, cheap appends."""

from __future__ import annotations

from textual.app import App, ComposeResult

from fintoc_tui.ui.history.history_table import Column, HistoryTable, fit

COLUMNS = [
    Column("Name", None, min_width=10),
    Column("Amount", 12, justify="right"),
    Column("Status", 10, style=lambda s: "history-table--bad" if s == "failed" else None),
]


def rows(start: int, count: int) -> list[tuple[str, str, str]]:
    return [
        (f"row {i}", f"${i}.00", "failed" if i % 2 else "ok") for i in range(start, start + count)
    ]


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield HistoryTable(COLUMNS, near_end=10)

    def on_history_table_highlighted(self, event: HistoryTable.Highlighted) -> None:
        self.events.append(("highlighted", event.row))

    def on_history_table_selected(self, event: HistoryTable.Selected) -> None:
        self.events.append(("selected", event.row))

    def on_history_table_near_end(self, event: HistoryTable.NearEnd) -> None:
        self.events.append(("near_end", event.table.row_count))


def test_fit_pads_cuts_and_justifies():
    assert fit("abc", 5) == "abc  "
    assert fit("abc", 5, "right") == "  abc"
    assert fit("abcdef", 4) == "abc…"
    assert fit("ñandú", 5) == "ñandú"
    assert fit("x", 0) == ""


async def test_header_then_rows_with_amounts_right_aligned():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(HistoryTable)
        table.append_rows(rows(0, 3))
        await pilot.pause()
        header = table.render_line(0).text
        assert header.startswith("Name") and "Amount" in header
        first = table.render_line(1).text
        assert first.startswith("row 0")
        # The amount column ends where its header ends: right-aligned.
        assert first.index("$0.00") + len("$0.00") == header.index("Amount") + len("Amount")
        assert table.render_line(4).text.strip() == ""


async def test_cursor_moves_pages_and_asks_for_more_near_the_end():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(HistoryTable)
        table.focus()
        table.append_rows(rows(0, 30))
        await pilot.pause()
        assert ("highlighted", 0) in app.events
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("pagedown")
        body = table.scrollable_content_region.height - 1
        assert table.cursor_row == 2 + body
        assert not any(kind == "near_end" for kind, _ in app.events)
        await pilot.press("end")
        assert table.cursor_row == 29
        assert ("near_end", 30) in app.events
        # The viewport followed the cursor: the last row is on screen.
        assert any("row 29" in table.render_line(y).text for y in range(1, 12))
        await pilot.press("enter")
        assert ("selected", 29) in app.events
        # A new page keeps the cursor where it was and extends the table.
        table.append_rows(rows(30, 30))
        await pilot.pause()
        assert table.row_count == 60 and table.cursor_row == 29
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_offset.y == 0


async def test_set_rows_replaces_and_resets_the_cursor():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(HistoryTable)
        table.focus()
        table.append_rows(rows(0, 50))
        await pilot.press("end")
        table.set_rows([r for r in rows(0, 50) if r[0].endswith("7")])
        await pilot.pause()
        assert table.row_count == 5
        assert table.cursor_row == 0
        assert table.render_line(1).text.startswith("row 7")
        table.clear()
        await pilot.pause()
        assert table.row_count == 0
        await pilot.press("down", "enter")
        assert not any(kind == "selected" for kind, _ in app.events)


async def test_click_moves_the_cursor_and_double_click_opens():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(HistoryTable)
        table.append_rows(rows(0, 5))
        await pilot.pause()
        await pilot.click(HistoryTable, offset=(2, 3))
        assert table.cursor_row == 2
        await pilot.click(HistoryTable, offset=(2, 3), times=2)
        assert ("selected", 2) in app.events


async def test_appending_many_pages_keeps_only_what_is_visible_rendered():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(HistoryTable)
        for start in range(0, 20_000, 300):
            table.append_rows(rows(start, 300))
        await pilot.pause()
        assert table.row_count == 20_100
        assert table.virtual_size.height == 20_101
        table.focus()
        await pilot.press("end")
        assert table.cursor_row == 20_099
        assert any("row 20099" in table.render_line(y).text for y in range(1, 12))
