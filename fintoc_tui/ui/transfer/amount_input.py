"""The amount field: a plain `Input` for the text, and a live preview below it.

The text stays in a Textual `Input` so the cursor, paste, backspace and delete
behave natively; on every change the preview line is recomputed with
`money.preview_amount` (pure string work, no I/O, no Babel) and pushed into a
`Static` with `update()` — no widget is mounted or removed while typing.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from fintoc_tui.banking import MAX_CLP_TRANSFER
from fintoc_tui.money import format_amount, preview_amount

# Digits, separators, a `$` and a trailing currency code, so that pasting
# `$1,234.56 MXN` is accepted while letters in the middle are refused.
AMOUNT_RESTRICT = r"\s*\$?\s*[\d., ]*\s*[MXNCLPmxnclp]{0,3}\s*"

_HINT = {"MXN": "e.g. 1,234.56", "CLP": "e.g. 1.234.567"}


class AmountInput(Vertical):
    """Amount text plus a preview of exactly what will be sent."""

    DEFAULT_CSS = """
    AmountInput {
        height: auto;
    }
    AmountInput > .amount-preview {
        height: 2;
        padding: 0 1;
        color: $text-muted;
    }
    """

    class Changed(Message):
        """The amount (or its problem) changed; `minor` is None unless it can be sent."""

        def __init__(self, amount_input: AmountInput, minor: int | None, error: str | None):
            super().__init__()
            self.amount_input = amount_input
            self.minor = minor
            self.error = error

        @property
        def control(self) -> AmountInput:
            return self.amount_input

    def __init__(
        self,
        currency: str = "MXN",
        *,
        balance: int | None = None,
        value: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._currency = currency.upper()
        self._balance = balance
        self._initial = value
        self._limit_messages()
        self.minor: int | None = None
        self.error: str | None = None
        self._server_error: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            self._initial,
            placeholder=_HINT.get(self._currency, ""),
            restrict=AMOUNT_RESTRICT,
            id="amount-text",
            select_on_focus=False,
        )
        yield Static(Content(""), classes="amount-preview", id="amount-preview", markup=False)

    def on_mount(self) -> None:
        self._refresh_preview(self._initial)

    # -- public API --------------------------------------------------------

    @property
    def currency(self) -> str:
        return self._currency

    @property
    def value(self) -> str:
        return self.query_one("#amount-text", Input).value

    @value.setter
    def value(self, text: str) -> None:
        self.query_one("#amount-text", Input).value = text

    def set_context(self, currency: str, balance: int | None) -> None:
        """The source account changed: re-check the same text against it."""
        self._currency = currency.upper()
        self._balance = balance
        self._limit_messages()
        field = self.query_one("#amount-text", Input)
        field.placeholder = _HINT.get(self._currency, "")
        self._refresh_preview(field.value)

    def set_server_error(self, message: str | None) -> None:
        """Show an error the API returned for the amount until the text changes."""
        self._server_error = message
        self._refresh_preview(self.value)

    def focus_text(self) -> None:
        self.query_one("#amount-text", Input).focus()

    # -- internals ---------------------------------------------------------

    def _limit_messages(self) -> None:
        """Pre-format the limit sentences once per context, not once per key."""
        self._balance_msg = (
            None
            if self._balance is None
            else f"More than the balance ({format_amount(self._balance, self._currency)})"
        )
        self._cap_msg = (
            f"More than {format_amount(MAX_CLP_TRANSFER, 'CLP')}, the most one transfer can carry"
            if self._currency == "CLP"
            else None
        )

    def check(self, text: str) -> tuple[str, int | None, str | None]:
        """(display, minor-or-None, problem-or-None) for `text`; pure, called per key."""
        text = text.strip()
        if not text:
            return "", None, None
        preview = preview_amount(text, self._currency)
        if preview.error:
            return preview.display, None, preview.error
        minor = preview.minor
        if minor is None:
            return preview.display, None, None
        if minor < 1:
            return preview.display, None, "The amount must be more than zero"
        if self._cap_msg is not None and minor > MAX_CLP_TRANSFER:
            return preview.display, None, self._cap_msg
        if self._balance_msg is not None and minor > self._balance:  # type: ignore[operator]
            return preview.display, None, self._balance_msg
        if not preview.complete:
            return preview.display, None, None
        return preview.display, minor, None

    def _refresh_preview(self, text: str) -> None:
        display, minor, error = self.check(text)
        if self._server_error and not error:
            minor, error = None, self._server_error
        preview = self.query_one("#amount-preview", Static)
        if error:
            content = Content.assemble(
                (display, "bold") if display else "",
                ("  " + error if display else error, "$text-error"),
            )
        elif minor is not None:
            content = Content.assemble((display, "bold $text"), (f"  ·  sends amount={minor}", ""))
        elif display:
            content = Content.assemble((display, "$text"))
        else:
            content = Content("Type an amount; the exact figure to be sent shows here.")
        # Fixed height: the preview never changes size, so skip the layout pass.
        preview.update(content, layout=False)
        self.minor = minor
        self.error = error
        self.post_message(self.Changed(self, minor, error))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "amount-text":
            return
        event.stop()
        self._server_error = None
        self._refresh_preview(event.value)
