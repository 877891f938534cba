"""Import a JWS private key from a PEM file, or ask for a new pair: and where to keep it.

Import reads and checks the file in a worker before closing, so a wrong path
or a public key is reported here, in the dialog, not later.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioSet, Static

from fintoc_tui.credentials import (
    InvalidPrivateKey,
    KeyringStatus,
    Mode,
    Where,
    validate_jws_private_key,
)
from fintoc_tui.ui.environment.where_choice import chosen_where, where_choice
from fintoc_tui.ui.widgets.dialog import CANCEL, dialog_css

MAX_PEM_BYTES = 64 * 1024


@dataclass(frozen=True)
class JWSRequest:
    """What to do: store an imported PEM, or generate a new pair; and where."""

    action: Literal["import", "generate"]
    where: Where
    pem: SecretStr | None = None
    path: str | None = None


def read_private_pem(path_text: str) -> str:
    """The checked PEM text at `path_text`; raises InvalidPrivateKey saying why not."""
    path = Path(path_text.strip()).expanduser()
    if not path_text.strip():
        raise InvalidPrivateKey("Give the path of the private key's PEM file.")
    try:
        if path.stat().st_size > MAX_PEM_BYTES:
            raise InvalidPrivateKey(f"{path} is too large to be a PEM private key.")
        raw = path.read_bytes()
    except IsADirectoryError:
        raise InvalidPrivateKey(f"{path} is a folder, not a PEM file.") from None
    except OSError as error:
        raise InvalidPrivateKey(f"{path} cannot be read ({error.strerror}).") from None
    return validate_jws_private_key(raw)


class PemRead(Message):
    """The dialog's own worker read the file: the checked PEM, or why not."""

    def __init__(self, pem: str | None, problem: str | None) -> None:
        super().__init__()
        self.pem = pem
        self.problem = problem


class JWSKeyDialog(ModalScreen[JWSRequest | None]):
    """Returns a `JWSRequest`, or None when cancelled."""

    BINDINGS = [CANCEL]
    DEFAULT_CSS = dialog_css("JWSKeyDialog")

    def __init__(
        self,
        mode: Mode,
        action: Literal["import", "generate"],
        keyring: KeyringStatus | None,
        current: str | None = None,
    ) -> None:
        super().__init__()
        self.mode = mode
        self.action = action
        self.keyring = keyring
        self.current = current

    def compose(self) -> ComposeResult:
        radio, note = where_choice(self.mode, self.keyring)
        label = self.mode.upper()
        with Vertical(id="dialog"):
            if self.action == "import":
                yield Static(f"Import the {label} JWS private key", classes="dialog-title")
                yield Static(
                    "The RSA private key (PEM, 2048 bits or more) whose public half is "
                    "registered in the Fintoc dashboard. It is copied into the place chosen "
                    "below; the file is left as it is.",
                    classes="dialog-note",
                )
                yield Input(placeholder="~/keys/private_key.pem", id="path-input")
                yield Static("", id="jws-problem", classes="dialog-problem")
            else:
                yield Static(f"Generate a {label} JWS key pair", classes="dialog-title")
                yield Static(
                    "A new 2048-bit RSA pair. The private key is kept in the place chosen "
                    "below; the public key is shown and saved to a file for you to upload "
                    f"to the Fintoc dashboard ({self.mode} mode). Until it is uploaded, "
                    "Fintoc refuses signed transfers.",
                    classes="dialog-note",
                )
            if self.current:
                yield Static(
                    f"This replaces the current key ({self.current}).", classes="dialog-note"
                )
            yield radio
            if note:
                yield Static(note, id="where-note", classes="dialog-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                verb = "Import key" if self.action == "import" else "Generate pair"
                yield Button(verb, variant="primary", id="go")

    def on_mount(self) -> None:
        if self.action == "import":
            self.query_one("#path-input", Input).focus()
        else:
            self.query_one("#go", Button).focus()

    @on(Input.Submitted, "#path-input")
    @on(Button.Pressed, "#go")
    def _go(self, event: Input.Submitted | Button.Pressed) -> None:
        where = chosen_where(self.query_one(RadioSet))
        if self.action == "generate":
            self.dismiss(JWSRequest("generate", where))
            return
        self.query_one("#go", Button).disabled = True
        self._read(self.query_one("#path-input", Input).value)

    @work(thread=True, exclusive=True, group="jws-read", exit_on_error=False)
    def _read(self, path_text: str) -> None:
        try:
            pem = read_private_pem(path_text)
        except InvalidPrivateKey as error:
            self.post_message(PemRead(None, error.message))
        else:
            self.post_message(PemRead(pem, None))

    def on_pem_read(self, message: PemRead) -> None:
        self.query_one("#go", Button).disabled = False
        if message.pem is None:
            self.query_one("#jws-problem", Static).update(message.problem or "")
            self.query_one("#path-input", Input).focus()
            return
        path = self.query_one("#path-input", Input).value.strip()
        where = chosen_where(self.query_one(RadioSet))
        self.dismiss(JWSRequest("import", where, SecretStr(message.pem), path))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
