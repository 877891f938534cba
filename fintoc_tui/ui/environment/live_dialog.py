"""The guard in front of live mode: say what live means, then ask for the word typed.

Escape, Cancel, an empty answer or any other text leave the app where it was;
only typing `live` returns True.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from fintoc_tui.ui.widgets.dialog import CANCEL, dialog_css

CONFIRM_WORD = "live"


def live_meaning(key_line: str | None) -> Text:
    text = Text()
    text.append("Live mode moves real money.\n\n", style="bold")
    text.append(
        "• Transfers you confirm leave your organisation's real accounts and reach real "
        "bank accounts. A sent transfer cannot be called back from here.\n"
        "• Balances, accounts and history are your organisation's real ones.\n"
        "• Every transfer is signed with your live JWS key and asks for more on confirm.\n"
        "• The header turns red while you are in live.\n"
    )
    if key_line:
        text.append(f"\nLive key: {key_line}\n", style="dim")
    return text


class LiveConfirmDialog(ModalScreen[bool]):
    """Returns True only when `live` was typed."""

    BINDINGS = [CANCEL]
    DEFAULT_CSS = (
        dialog_css("LiveConfirmDialog")
        + """
    LiveConfirmDialog > #dialog { border: thick $error; }
    LiveConfirmDialog .dialog-title { color: $error; }
    """
    )

    def __init__(self, key_line: str | None = None) -> None:
        super().__init__()
        self.key_line = key_line

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Switch to LIVE?", classes="dialog-title")
            yield Static(live_meaning(self.key_line))
            yield Static(f"Type {CONFIRM_WORD} to switch, or press Escape to stay.")
            yield Input(placeholder=CONFIRM_WORD, id="confirm-input")
            yield Static("", id="confirm-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Stay where I am", id="cancel")
                yield Button("Switch to live", variant="error", id="confirm")

    def on_mount(self) -> None:
        self.query_one("#confirm-input", Input).focus()

    @on(Input.Submitted, "#confirm-input")
    @on(Button.Pressed, "#confirm")
    def _confirm(self, event: Input.Submitted | Button.Pressed) -> None:
        typed = self.query_one("#confirm-input", Input).value.strip()
        if typed.lower() == CONFIRM_WORD:
            self.dismiss(True)
            return
        problem = self.query_one("#confirm-problem", Static)
        if not typed:
            problem.update(f"Type {CONFIRM_WORD} first; nothing has changed.")
        else:
            problem.update(f"That is not {CONFIRM_WORD!r}; nothing has changed.")
        self.query_one("#confirm-input", Input).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
