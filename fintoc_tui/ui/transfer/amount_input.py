"""The amount field: a guarded `Input` for the text, and a live preview below it.

The text stays in a Textual `Input` so the cursor, paste, backspace and delete
behave natively; on every change the preview line is recomputed with the
core's `transfer.checks.check_amount` (pure string work, no I/O, no Babel)
and pushed into a `Static` with `update()` — no widget is mounted or removed
while typing. A line under it says what happened to the last edit
that did not go in as typed (`-`, a letter, `1e5`, a pasted sentence:
`transfer.input_rules.AmountRule`), or why the amount was emptied: an amount
never changes currency, so a switch of the source account to another
currency clears it and says so.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from fintoc_tui.money import minor_to_decimal_str
from fintoc_tui.transfer.checks import (
    check_amount,
    currency_switch_notice,
    prefill_currency_notice,
)
from fintoc_tui.transfer.input_rules import AmountRule
from fintoc_tui.ui.transfer.guarded_input import GuardedInput

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
    AmountInput > .amount-notice {
        display: none;
        height: auto;
        padding: 0 1;
        color: $text-warning;
    }
    AmountInput > .amount-notice.-shown {
        display: block;
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
        self.minor: int | None = None
        self.error: str | None = None
        self.notice: str | None = None
        self._display = ""
        self._keep_notice = False
        self._server_error: str | None = None

    def compose(self) -> ComposeResult:
        yield GuardedInput(
            self._initial,
            rule=AmountRule(self._currency),
            placeholder=_HINT.get(self._currency, ""),
            id="amount-text",
            select_on_focus=False,
        )
        yield Static(Content(""), classes="amount-preview", id="amount-preview", markup=False)
        yield Static(Content(""), classes="amount-notice", id="amount-notice", markup=False)

    def on_mount(self) -> None:
        self._refresh_preview(self._initial)

    # -- public API --------------------------------------------------------

    @property
    def currency(self) -> str:
        return self._currency

    @property
    def _text(self) -> GuardedInput:
        return self.query_one("#amount-text", GuardedInput)

    @property
    def value(self) -> str:
        return self._text.value

    @value.setter
    def value(self, text: str) -> None:
        self.notice = None
        self._text.value = text

    def set_context(self, currency: str, balance: int | None) -> None:
        """The source account changed: re-check against its balance, never in a new currency.

        The same currency keeps the text. Another currency clears it and says
        so beside the field: `15000` typed for MXN must not quietly become
        $15.000 CLP.
        """
        currency = currency.upper()
        field = self._text
        changed = currency != self._currency
        self._currency = currency
        self._balance = balance
        field.rule = AmountRule(currency)
        field.placeholder = _HINT.get(currency, "")
        if changed and field.value.strip():
            was = self._display or field.value.strip()
            self._clear_with_notice(currency_switch_notice(was, currency))
            return
        self._refresh_preview(field.value)

    def prefill(self, minor: int, currency: str | None) -> None:
        """Put in a repeated transfer's amount, only in the currency it was made in."""
        if currency is not None and currency.upper() != self._currency:
            self._clear_with_notice(prefill_currency_notice(minor, currency, self._currency))
            return
        self.value = minor_to_decimal_str(minor, self._currency)

    def _clear_with_notice(self, notice: str) -> None:
        """Empty the field and say why; the notice outlives the change it causes."""
        self.notice = notice
        if self._text.value:
            self._keep_notice = True
            self._text.value = ""
        self._refresh_preview("")

    def set_server_error(self, message: str | None) -> None:
        """Show an error the API returned for the amount until the text changes."""
        self._server_error = message
        self._refresh_preview(self.value)

    def focus_text(self) -> None:
        self._text.focus()

    # -- internals ---------------------------------------------------------

    def check(self, text: str) -> tuple[str, int | None, str | None]:
        """(display, minor-or-None, problem-or-None) for `text`; pure, called per key."""
        checked = check_amount(text, self._currency, self._balance)
        return checked.display, checked.minor, checked.problem

    def _refresh_preview(self, text: str) -> None:
        checked = check_amount(text, self._currency, self._balance)
        display, minor, error = checked.display, checked.minor, checked.problem
        if self._server_error and not error:
            minor, error = None, self._server_error
        if error:
            line = Content.assemble(
                (display, "bold") if display else "",
                ("  " + error if display else error, "$text-error"),
            )
        elif minor is not None:
            line = Content.assemble((display, "bold $text"), (f"  ·  sends amount={minor}", ""))
        elif checked.hint:
            line = Content.assemble((display, "$text"), (f"  {checked.hint}", "$text-warning"))
        elif display:
            line = Content.assemble((display, "$text"))
        else:
            line = Content("Type an amount; the exact figure to be sent shows here.")
        # Fixed height: the preview never changes size, so skip the layout pass.
        self.query_one("#amount-preview", Static).update(line, layout=False)
        notice = self.query_one("#amount-notice", Static)
        if str(notice.content) != (self.notice or ""):  # a layout pass only when it changes
            notice.update(Content(self.notice or ""))
            notice.set_class(bool(self.notice), "-shown")
        self._display = display if minor is not None else ""
        self.minor = minor
        self.error = error
        self.post_message(self.Changed(self, minor, error))

    def on_guarded_input_noticed(self, event: GuardedInput.Noticed) -> None:
        event.stop()
        self.notice = event.notice
        self._refresh_preview(self.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "amount-text":
            return
        event.stop()
        self._server_error = None
        if not event.value:  # emptied by the person: the last notice is history
            if self._keep_notice:
                self._keep_notice = False
            else:
                self.notice = None
        self._refresh_preview(event.value)
