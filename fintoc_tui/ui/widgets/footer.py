"""The footer every screen composes: Textual's `Footer`, made to fit.

Compact spacing, and below 100 cells the mode keys (1 2 3 e) leave the
footer so the screen's own keys, help and quit still fit at 80x24. They keep
working, and help (`?`) and the palette (ctrl+p) still list them. Which keys a
screen shows at all is chosen in `shell/bindings.py` (`show=False`).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from fintoc_tui.ui.widgets.narrow import is_narrow

_MODE_ACTION = "app.show_mode("
"""The action prefix of the mode keys (Accounts, Transfer, History, Environment)."""


class KeysFooter(Footer):
    """A compact footer that drops the mode keys on a narrow terminal."""

    DEFAULT_CSS = """
    KeysFooter.-narrow FooterKey.-mode { display: none; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action.startswith(_MODE_ACTION):
                widget.add_class("-mode")
            yield widget

    def on_mount(self) -> None:
        super().on_mount()
        self.set_class(is_narrow(self.app), "-narrow")

    def on_resize(self, event: Resize) -> None:
        self.set_class(is_narrow(self.app), "-narrow")
