"""Set or replace a secret key: masked input, prefix checked as you type, where to keep it.

The dialog never saves anything itself; it returns the checked key and the
chosen place, and the environment screen saves it in a worker (the keyring
may block).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioSet, Static

from fintoc_tui.credentials import (
    SECRET_PREFIX,
    KeyPrefixError,
    KeyringStatus,
    Mode,
    Where,
    validate_secret_key,
)
from fintoc_tui.masking import mask_key
from fintoc_tui.ui.environment.where_choice import chosen_where, where_choice
from fintoc_tui.ui.widgets.dialog import CANCEL, dialog_css


@dataclass(frozen=True)
class KeyEntry:
    """A checked key and where to keep it."""

    value: SecretStr
    where: Where

    def __repr__(self) -> str:
        return f"KeyEntry(value={mask_key(self.value)!r}, where={self.where!r})"


class SetKeyDialog(ModalScreen[KeyEntry | None]):
    """Returns a `KeyEntry`, or None when cancelled."""

    BINDINGS = [CANCEL]
    DEFAULT_CSS = dialog_css("SetKeyDialog")

    def __init__(
        self, mode: Mode, keyring: KeyringStatus | None, current: str | None = None
    ) -> None:
        super().__init__()
        self.mode = mode
        self.keyring = keyring
        self.current = current

    def compose(self) -> ComposeResult:
        prefix = SECRET_PREFIX[self.mode]
        radio, note = where_choice(self.mode, self.keyring)
        verb = "Replace" if self.current else "Set"
        with Vertical(id="dialog"):
            yield Static(f"{verb} the {self.mode.upper()} secret key", classes="dialog-title")
            lines = Text(
                f"Paste the secret key from the Fintoc dashboard (API keys). "
                f"It starts with {prefix}."
            )
            if self.current:
                lines.append(f"\nNow: {self.current}", style="dim")
            yield Static(lines, classes="dialog-note")
            yield Input(placeholder=f"{prefix}…", password=True, id="key-input")
            yield Static("", id="key-problem", classes="dialog-problem")
            yield radio
            if note:
                yield Static(note, id="where-note", classes="dialog-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save key", variant="primary", id="save")

    def on_mount(self) -> None:
        self.query_one("#key-input", Input).focus()

    def _check(self) -> str | None:
        """The clean key, or None after showing what is wrong."""
        problem = self.query_one("#key-problem", Static)
        try:
            clean = validate_secret_key(self.mode, self.query_one("#key-input", Input).value)
        except KeyPrefixError as error:
            problem.set_class(False, "dialog-ok")
            problem.update(error.message)
            return None
        problem.set_class(True, "dialog-ok")
        problem.update(f"✓ {mask_key(clean)}")
        return clean

    @on(Input.Changed, "#key-input")
    def _typed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self._check()
        else:
            self.query_one("#key-problem", Static).update("")

    @on(Input.Submitted, "#key-input")
    @on(Button.Pressed, "#save")
    def _save(self, event: Input.Submitted | Button.Pressed) -> None:
        clean = self._check()
        if clean is None:
            self.query_one("#key-input", Input).focus()
            return
        self.dismiss(KeyEntry(SecretStr(clean), chosen_where(self.query_one(RadioSet))))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
