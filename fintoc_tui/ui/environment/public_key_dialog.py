"""The public half of a new JWS pair: shown, saved to a file, with what to do with it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from fintoc_tui.ui.messages import JWSKeyGenerated
from fintoc_tui.ui.widgets.dialog import CANCEL, dialog_css


def kept_where(source: str) -> str:
    """Where the private half stays, as a phrase: `source` names a place, not a verb."""
    return f"kept for {source}" if source.startswith("this session") else f"kept in {source}"


class PublicKeyDialog(ModalScreen[None]):
    BINDINGS = [CANCEL]
    DEFAULT_CSS = (
        dialog_css("PublicKeyDialog")
        + """
    PublicKeyDialog > #dialog { width: 90; }
    PublicKeyDialog TextArea { height: 11; margin-top: 1; }
    """
    )

    def __init__(self, generated: JWSKeyGenerated) -> None:
        super().__init__()
        self.generated = generated

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Upload this public key to the Fintoc dashboard", style="bold")
        text.append(
            f" ({self.generated.mode} mode, JWS / API keys section). Fintoc refuses signed "
            "transfers until it is there.\n\n"
        )
        text.append("Saved to    ", style="dim")
        text.append(f"{self.generated.path}\n")
        text.append("Fingerprint ", style="dim")
        text.append(f"{self.generated.fingerprint}\n")
        text.append("Private key ", style="dim")
        text.append(f"{kept_where(self.generated.source)}. ")
        text.append("It stays on this machine: do not upload it.")
        with Vertical(id="dialog"):
            yield Static(f"New {self.generated.mode.upper()} JWS key pair", classes="dialog-title")
            yield Static(text)
            yield TextArea(self.generated.public_pem, read_only=True, id="public-pem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Done", variant="primary", id="done")

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()

    @on(Button.Pressed, "#done")
    def action_cancel(self) -> None:
        self.dismiss(None)
