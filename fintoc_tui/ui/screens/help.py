"""F1 / ? help: every binding with the keys it has now (after remapping) and its id."""

from __future__ import annotations

import os
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from fintoc_tui.ui import bindings


def config_path_hint() -> str:
    """Where config.toml lives, written so a snapshot does not depend on a tmp dir."""
    if os.environ.get("FINTOC_TUI_HOME"):
        return "$FINTOC_TUI_HOME/config/config.toml"
    from fintoc_tui import paths

    return str(paths.config_file())


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings.HELP_SCREEN
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90;
        height: 32;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; height: 1; }
    HelpScreen #help-keys { height: 1fr; }
    HelpScreen #help-config { height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Keys — Esc closes", id="help-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                f"Remap any key by its id in {config_path_hint()}, under [keys], e.g. "
                'accounts = "1,a". See docs/keys-and-config.md.',
                id="help-config",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Keys", "Does", "Id")
        keymap: dict[str, str] = (
            getattr(self.app, "user_config", None).keys if hasattr(self.app, "user_config") else {}
        )
        listed: set[str] = set()
        for section, section_bindings in bindings.SECTIONS.items():
            for binding in section_bindings:
                self._add(table, section, binding, keymap)
                listed.add(binding.id or "")
        # Anything the screen underneath binds that the table does not know yet.
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        for binding in getattr(below, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.show and binding.id not in listed:
                self._add(table, "This screen", binding, keymap)
        table.focus()

    def _add(self, table: DataTable[Any], section: str, binding: Binding, keymap: dict) -> None:
        keys = bindings.effective_keys(binding, keymap)
        shown = "  ".join(self.app.get_key_display(Binding(key, binding.action)) for key in keys)
        table.add_row(
            section,
            Text(shown, style="bold"),
            binding.description or binding.action,
            Text(binding.id or "", style="dim"),
        )

    def action_close(self) -> None:
        self.dismiss()
