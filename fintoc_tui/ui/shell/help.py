"""F1 / ? help: every binding with the keys it has now (after remapping) and its id."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.literal_table import LiteralTable

if TYPE_CHECKING:
    from fintoc_tui.ui.shell.app import FintocApp

COLUMNS = ("Where", "Keys", "Does", "Id")
#: Columns that wrap when the terminal is narrow, first to last: Does, Where, Keys.
WRAP_ORDER = (2, 0, 1)
#: DataTable's cell_padding: one cell each side of every column.
CELL_PADDING = 2
#: The panel is as wide as its table needs, up to this.
PANEL_MAX_WIDTH = 112
#: Cells the panel spends on its border (2), padding (2) and the table's scrollbar (2).
PANEL_CHROME = 6


def config_path_hint() -> str:
    """The config file's path as a person would type it: `~` for home, no secrets.

    Under FINTOC_TUI_HOME it stays relative to the variable: tests set it to a
    new tmp dir each run, and the help snapshot must not change with it.
    """
    from fintoc_tui import paths
    from fintoc_tui.api.errors import redact

    if os.environ.get("FINTOC_TUI_HOME"):
        return "$FINTOC_TUI_HOME/config/config.toml"
    path = paths.config_file()
    home = Path.home()
    shown = f"~/{path.relative_to(home).as_posix()}" if path.is_relative_to(home) else str(path)
    return redact(shown)  # a path is no secret, but a home dir could be named like one


def config_hint() -> Text:
    """The footer line, built as Text: `[keys]` must stay literal, not Rich markup."""
    return Text.assemble(
        "Remap a key by its id under ",
        ("[keys]", "bold"),
        " in ",
        (config_path_hint(), "bold"),
        ', e.g. accounts = "1,a". See docs/keys-and-config.md.',
    )


class HelpScreen(ModalScreen[None]):
    """Every binding: where it works, its keys now, what it does, its id for config.toml."""

    app: FintocApp

    BINDINGS = bindings.HELP_SCREEN  # type: ignore[assignment]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > #help-panel {
        height: 100%;
        max-height: 34;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; height: 1; }
    HelpScreen #help-keys { height: 1fr; }
    HelpScreen #help-config { height: auto; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, Text, str, Text]] = []
        self._laid_out_for: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="help-panel"):
            yield Static("Keys — Esc closes", id="help-title")
            yield LiteralTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(config_hint(), id="help-config")

    def on_mount(self) -> None:
        keymap = self.app.user_config.keys
        listed: set[str] = set()
        for section, section_bindings in bindings.SECTIONS.items():
            for binding in section_bindings:
                self._rows.append(self._row(section, binding, keymap))
                listed.add(binding.id or "")
        # Anything the screen underneath binds that the table does not know yet.
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        for declared in below.BINDINGS if below is not None else []:
            if isinstance(declared, Binding) and declared.show and declared.id not in listed:
                self._rows.append(self._row("This screen", declared, keymap))
        self._fill(self.app.size.width)
        self.query_one(DataTable).focus()

    def on_resize(self, event: Resize) -> None:
        self._fill(event.size.width)

    def _row(
        self, section: str, binding: Binding, keymap: dict[str, str]
    ) -> tuple[str, Text, str, Text]:
        keys = bindings.effective_keys(binding, keymap)
        shown = "  ".join(self.app.get_key_display(Binding(key, binding.action)) for key in keys)
        return (
            section,
            Text(shown, style="bold"),
            binding.description or binding.action,
            Text(binding.id or "", style="dim"),
        )

    def column_widths(self, available: int) -> list[int]:
        """Each column as wide as its longest cell; if that is too wide, Does, then Where,
        then Keys wrap (never mid-word). Ids are what a person copies into config.toml,
        so they are never wrapped or cut.
        """
        cells = [
            [label, *(str(row[index]) for row in self._rows)] for index, label in enumerate(COLUMNS)
        ]
        widths = [max(len(cell) for cell in column) for column in cells]
        narrowest = [max(len(word) for cell in column for word in cell.split()) for column in cells]
        excess = sum(widths) + CELL_PADDING * len(COLUMNS) - available
        for index in WRAP_ORDER:
            if excess <= 0:
                break
            give = min(excess, widths[index] - narrowest[index])
            widths[index] -= give
            excess -= give
        return widths

    def _fill(self, screen_width: int) -> None:
        """(Re)build the table for a terminal `screen_width` cells wide."""
        available = min(screen_width, PANEL_MAX_WIDTH) - PANEL_CHROME
        if available == self._laid_out_for:
            return
        self._laid_out_for = available
        widths = self.column_widths(available)
        table_width = sum(widths) + CELL_PADDING * len(COLUMNS)
        self.query_one("#help-panel").styles.width = min(screen_width, table_width + PANEL_CHROME)
        wraps = any(
            width < len(str(row[index])) for row in self._rows for index, width in enumerate(widths)
        )
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        for label, width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width=width)
        for row in self._rows:
            table.add_row(*row, height=None if wraps else 1)
        table.move_cursor(row=cursor, animate=False)

    def action_close(self) -> None:
        self.dismiss()
