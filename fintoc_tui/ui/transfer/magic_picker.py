"""Test-mode picker of the sandbox's magic counterparties (one per outcome).

Choosing one fills the counterparty fields, so trying "failed" or "rejected"
takes two keys instead of remembering an 18-digit CLABE. The other way round
too: the picker always names what the fields hold (`show`), so after a new
transfer (`n`) or a repeat (`p`) it never shows a stale choice. Shown only in
the sandbox and test environments; the table is pure data (`sandbox/magic.py`).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Select

from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES, MagicCounterparty

_OUTCOME_LABEL = {
    "succeeded": "succeeds",
    "failed": "fails",
    "rejected": "is rejected",
    "returned": "succeeds, then is returned",
}


def magic_options(currency: str) -> list[tuple[str, str]]:
    """(label, account number) for each magic counterparty of `currency`."""
    return [
        (
            f"{_OUTCOME_LABEL.get(m.outcome, m.outcome)} — {m.account_number} · {m.holder_name}",
            m.account_number,
        )
        for m in MAGIC_COUNTERPARTIES
        if m.currency == currency.upper()
    ]


class MagicPicker(Vertical):
    """A `Select` of magic counterparties for the current currency."""

    DEFAULT_CSS = """
    MagicPicker {
        height: auto;
    }
    MagicPicker > .field-label {
        padding: 0 1;
        color: $text-muted;
    }
    MagicPicker SelectCurrent Static#label {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    class Picked(Message):
        """A magic counterparty was chosen: fill the form with it."""

        def __init__(self, picker: MagicPicker, magic: MagicCounterparty) -> None:
            super().__init__()
            self.picker = picker
            self.magic = magic

        @property
        def control(self) -> MagicPicker:
            return self.picker

    def __init__(self, currency: str = "MXN", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._currency = currency.upper()

    def compose(self) -> ComposeResult:
        yield Label("Test counterparty (forces an outcome)", classes="field-label")
        yield Select(
            magic_options(self._currency),
            prompt="Pick a magic counterparty…",
            id="magic-select",
        )

    def set_currency(self, currency: str) -> None:
        if currency.upper() == self._currency:
            return
        self._currency = currency.upper()
        self.query_one("#magic-select", Select).set_options(magic_options(self._currency))

    def show(self, account_number: str) -> None:
        """Name the magic counterparty `account_number` is, or none; fills nothing."""
        select = self.query_one("#magic-select", Select)
        known = any(value == account_number for _label, value in magic_options(self._currency))
        with self.prevent(Select.Changed):
            if known:
                select.value = account_number
            elif select.value is not Select.NULL:
                select.clear()

    def pick(self, account_number: str) -> None:
        """Choose by account number (also what selecting in the list does)."""
        self.query_one("#magic-select", Select).value = account_number

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.NULL:
            return
        for magic in MAGIC_COUNTERPARTIES:
            if magic.currency == self._currency and magic.account_number == event.value:
                self.post_message(self.Picked(self, magic))
                return
