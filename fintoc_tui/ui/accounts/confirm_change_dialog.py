"""Yes or no before an account number changes; the body restates what will happen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.dialog import dialog_css


class ConfirmChangeDialog(ModalScreen[bool]):
    """True when the person chose the confirm button; Escape and Cancel say no."""

    BINDINGS = bindings.ACCOUNT_DETAIL_DIALOGS  # type: ignore[assignment]
    DEFAULT_CSS = dialog_css("ConfirmChangeDialog")

    def __init__(self, title: str, body: str, confirm_label: str, *, danger: bool) -> None:
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
