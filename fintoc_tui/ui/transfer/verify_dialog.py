"""Confirm verifying a CLABE: it sends $0.01 MXN, so it asks first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.dialog import dialog_css


class VerifyAccountDialog(ModalScreen[bool]):
    """Says what a verification costs and does; dismisses True only on "Verify"."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.TRANSFER_VERIFY_DIALOG  # type: ignore[assignment]
    DEFAULT_CSS = dialog_css("VerifyAccountDialog")

    def __init__(self, clabe: str, *, bank: str | None, live: bool) -> None:
        super().__init__()
        self.clabe = clabe
        self.bank = bank
        self.live = live

    def compose(self) -> ComposeResult:
        from fintoc_tui.banking import format_clabe

        text = Text()
        text.append(format_clabe(self.clabe), style="bold")
        if self.bank:
            text.append(f" ({self.bank})")
        text.append(
            "\n\nFintoc sends $0.01 MXN from your root Mexican account to this CLABE and "
            "tells you who holds it, from the bank's SPEI receipt. It costs $0.01 MXN, "
            "signed with your JWS key like a transfer; the form stays as it is."
        )
        if self.live:
            text.append("\n\nLIVE: this moves real money.", style="bold red")
        with Vertical(id="dialog"):
            yield Static("Verify this account?", classes="dialog-title")
            yield Static(text)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="verify-cancel")
                yield Button("Verify ($0.01 MXN)", variant="primary", id="verify-confirm")

    def on_mount(self) -> None:
        self.query_one("#verify-cancel", Button).focus()

    @on(Button.Pressed, "#verify-confirm")
    def confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#verify-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
