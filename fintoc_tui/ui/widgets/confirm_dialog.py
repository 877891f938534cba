"""A yes/no question before a change: deleting a key, changing an account number.

Cancel has the focus, so Enter alone never confirms; `danger` paints the
confirm button red for what cannot be undone.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from fintoc_tui.ui.widgets.dialog import CANCEL, dialog_css


class ConfirmDialog(ModalScreen[bool]):
    """Returns True when the person chose `confirm_label`; Escape says no."""

    BINDINGS = [CANCEL]
    DEFAULT_CSS = dialog_css("ConfirmDialog")

    def __init__(self, title: str, body: str, confirm_label: str, *, danger: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.confirm_label = confirm_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.body, id="confirm-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(
                    self.confirm_label, variant="error" if self.danger else "primary", id="confirm"
                )

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
