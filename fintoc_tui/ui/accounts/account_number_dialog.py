"""Create or edit an account number: description, the inbound amounts it accepts, metadata."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from fintoc_tui.api.account_number_models import DESCRIPTION_MAX_LENGTH
from fintoc_tui.money import AmountError, format_amount, parse_amount
from fintoc_tui.ui.accounts.number_changes import NumberForm
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.dialog import dialog_css


def parse_metadata(text: str) -> dict[str, str]:
    """`order=42, channel=web` → a dict; ValueError in words for a pair without `=`."""
    metadata: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"Metadata is key=value pairs separated by commas; “{part}” is not.")
        metadata[key.strip()] = value.strip()
    return metadata


def _amount(text: str, currency: str, what: str) -> int | None:
    if not text.strip():
        return None
    try:
        return parse_amount(text, currency)
    except AmountError as error:
        raise ValueError(f"{what}: {error}") from None


class AccountNumberDialog(ModalScreen[NumberForm | None]):
    """Dismisses with what was typed (checked), or None when cancelled."""

    BINDINGS = bindings.ACCOUNT_DETAIL_DIALOGS  # type: ignore[assignment]
    DEFAULT_CSS = (
        dialog_css("AccountNumberDialog")
        + """
    AccountNumberDialog Grid { grid-size: 2; grid-columns: 14 1fr; height: auto; }
    AccountNumberDialog Grid Label { padding: 1 0 0 0; }
    """
    )

    def __init__(self, title: str, currency: str, current: NumberForm | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.currency = currency
        self.current = current or NumberForm()

    def _shown(self, amount: int | None) -> str:
        return "" if amount is None else format_amount(amount, self.currency, with_code=False)

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            with Grid():
                yield Label("Description")
                yield Input(
                    current.description or "",
                    placeholder=f"up to {DESCRIPTION_MAX_LENGTH} characters",
                    max_length=DESCRIPTION_MAX_LENGTH,
                    id="number-description",
                )
                yield Label("Min amount")
                yield Input(
                    self._shown(current.min_amount),
                    placeholder=f"{self.currency}, empty for no minimum",
                    id="number-min",
                )
                yield Label("Max amount")
                yield Input(
                    self._shown(current.max_amount),
                    placeholder=f"{self.currency}, empty for no maximum",
                    id="number-max",
                )
                yield Label("Metadata")
                yield Input(
                    ", ".join(f"{k}={v}" for k, v in current.metadata.items()),
                    placeholder="key=value, key=value",
                    id="number-metadata",
                )
            yield Static(
                "Inbound transfers outside min–max are rejected and returned to the sender.",
                classes="dialog-note",
            )
            yield Static("", id="number-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="number-cancel")
                yield Button("Continue", variant="primary", id="number-continue")

    def collect(self) -> NumberForm:
        value = {
            name: self.query_one(f"#number-{name}", Input).value
            for name in ("description", "min", "max", "metadata")
        }
        low = _amount(value["min"], self.currency, "Min amount")
        high = _amount(value["max"], self.currency, "Max amount")
        if low is not None and high is not None and low > high:
            raise ValueError("Min amount is larger than max amount: swap them or clear one.")
        return NumberForm(
            description=value["description"].strip() or None,
            min_amount=low,
            max_amount=high,
            metadata=parse_metadata(value["metadata"]),
        )

    @on(Button.Pressed, "#number-continue")
    @on(Input.Submitted)
    def submit(self) -> None:
        try:
            form = self.collect()
        except ValueError as error:
            self.query_one("#number-problem", Static).update(str(error))
            return
        self.dismiss(form)

    @on(Button.Pressed, "#number-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
