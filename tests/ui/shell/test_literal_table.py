"""Tables show text as it is (`ui/widgets/literal_table.py`): no Rich markup, no emoji codes."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from fintoc_tui.ui.widgets.literal_table import LiteralTable

TRICKY = "Pago [b]marzo[/b] :ok: [link=https://evil.example]aquí[/link]"


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield LiteralTable()


def _cell_text(table: LiteralTable, row: int, column: int) -> Text:
    cell = table.get_row_at(row)[column]
    assert isinstance(cell, Text)
    return cell


async def test_labels_and_cells_are_shown_exactly_as_given():
    app = Host()
    async with app.run_test() as pilot:
        table = app.query_one(LiteralTable)
        table.add_columns(TRICKY, "Amount")
        key = table.add_row(TRICKY, "$590.13", key="row", label=":ok:")
        await pilot.pause()
        assert [column.label.plain for column in table.ordered_columns] == [TRICKY, "Amount"]
        assert _cell_text(table, 0, 0).plain == TRICKY
        assert not _cell_text(table, 0, 0).spans  # no style read from the brackets
        assert table.rows[key].label is not None and table.rows[key].label.plain == ":ok:"
        line = "".join(segment.text for segment in table.render_line(1))
        assert "[b]marzo[/b] :ok:" in line


async def test_a_styled_text_keeps_its_style_and_updates_stay_literal():
    app = Host()
    async with app.run_test() as pilot:
        table = app.query_one(LiteralTable)
        column = table.add_column("Status", key="status")
        row = table.add_row(Text("succeeded", style="green"), key="row")
        assert _cell_text(table, 0, 0).style == "green"
        table.update_cell(row, column, "[red]failed[/red]")
        await pilot.pause()
        assert _cell_text(table, 0, 0).plain == "[red]failed[/red]"
