"""Test mode: make an inbound transfer arrive at one of our account numbers.

`POST /v2/simulate/receive_transfer` exists only in test mode (sandbox and
Fintoc test); the history screen offers this dialog only there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from fintoc_tui.ui import messages
from fintoc_tui.ui.shell import bindings

if TYPE_CHECKING:
    from fintoc_tui.api.models import (
        AccountNumber,
        SimulateReceiveTransferRequest,
        Transfer,  # noqa: F401  # the dialog's result type
    )
    from fintoc_tui.ui.shell.app import FintocApp


def number_label(number: AccountNumber, currency: str) -> str:
    text = number.number
    if len(text) == 18 and text.isdigit():
        from fintoc_tui.banking import format_clabe

        text = format_clabe(text)
    description = number.description or ("root" if number.is_root else "")
    return f"{text} · {description} ({currency})" if description else f"{text} ({currency})"


class SimulateInboundDialog(ModalScreen["Transfer | None"]):
    """Dismisses with the new inbound `Transfer`, or None on cancel."""

    app: FintocApp

    BINDINGS: ClassVar[list[BindingType]] = bindings.HISTORY_SIMULATE_DIALOG  # type: ignore[assignment]

    DEFAULT_CSS = """
    SimulateInboundDialog { align: center middle; }
    SimulateInboundDialog > Vertical {
        width: 84; height: auto; padding: 1 2;
        border: thick $success; background: $surface;
    }
    SimulateInboundDialog Grid {
        grid-size: 2; grid-columns: 18 1fr; grid-rows: auto; height: auto;
    }
    SimulateInboundDialog Grid Label { padding: 1 0 0 0; }
    SimulateInboundDialog #simulate-error { color: $text-error; height: auto; }
    SimulateInboundDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    SimulateInboundDialog Button { margin-left: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.currency_of: dict[str, str] = {}
        """account_number_id → currency of its account."""
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Simulate an incoming transfer (test mode)", style="bold"))
            with Grid():
                yield Label("To account number")
                yield Select([], prompt="Loading account numbers…", id="simulate-number")
                yield Label("Amount")
                yield Input(placeholder="e.g. 1,250.00", id="simulate-amount")
                yield Label("Comment")
                yield Input(placeholder="optional, up to 40 characters", id="simulate-comment")
                yield Label("Sender name")
                yield Input(placeholder="optional", id="simulate-holder")
                yield Label("Sender account")
                yield Input(
                    placeholder="optional: CLABE (MX) or account number", id="simulate-from"
                )
            yield Static("", id="simulate-error")
            with Horizontal():
                yield Button("Cancel", id="simulate-cancel")
                yield Button("Send it in", variant="success", id="simulate-send")

    def on_mount(self) -> None:
        self.load_numbers()

    @work(exclusive=True, group="history-simulate-load", exit_on_error=False)
    async def load_numbers(self) -> None:
        client = self.app.client
        if client is None:
            return
        try:
            accounts = await client.list_accounts()
            numbers = await client.list_account_numbers()
        except Exception as error:
            self.post_message(messages.InboundSimulationFailed(error))
            return
        self.post_message(messages.HistoryAccountsLoaded(accounts, numbers))

    @on(messages.HistoryAccountsLoaded)
    def _numbers_loaded(self, message: messages.HistoryAccountsLoaded) -> None:
        message.stop()
        currency = {a.id: str(a.currency).upper() for a in message.accounts}
        options = []
        # Root numbers first: the account's main CLABE is the usual destination.
        ordered = sorted(message.account_numbers, key=lambda n: not n.is_root)
        for number in ordered:
            if str(number.status) != "enabled":
                continue
            code = currency.get(number.account_id, "")
            self.currency_of[number.id] = code
            options.append((number_label(number, code), number.id))
        select = self.query_one("#simulate-number", Select)
        select.set_options(options)
        select.prompt = "Choose an account number" if options else "No account numbers"
        if options:
            select.value = options[0][1]

    def build_request(self) -> SimulateReceiveTransferRequest:
        """The request body from the form; raises ValueError with a sentence for a person."""
        from pydantic import ValidationError

        from fintoc_tui.api.models import SimulateReceiveTransferRequest
        from fintoc_tui.money import parse_amount

        number_id = self.query_one("#simulate-number", Select).value
        if number_id is Select.NULL:
            raise ValueError("Choose the account number the money arrives at.")
        code = self.currency_of.get(str(number_id), "MXN")
        amount = parse_amount(self.query_one("#simulate-amount", Input).value, code)
        comment = self.query_one("#simulate-comment", Input).value.strip() or None
        holder = self.query_one("#simulate-holder", Input).value.strip() or None
        sender = self.query_one("#simulate-from", Input).value.strip().replace(" ", "") or None
        try:
            return SimulateReceiveTransferRequest(
                account_number_id=str(number_id),
                amount=amount,
                currency=code,
                comment=comment,
                counterparty_holder_name=holder,
                counterparty_account_number=sender,
            )
        except ValidationError as error:
            first = error.errors()[0]
            raise ValueError(str(first.get("msg", "Check the fields."))) from None

    @on(Button.Pressed, "#simulate-send")
    @on(Input.Submitted)
    def send(self) -> None:
        if self.sending:
            return
        try:
            request = self.build_request()
        except ValueError as error:
            self._error(str(error))
            return
        self.sending = True
        self.query_one("#simulate-send", Button).disabled = True
        self._error("")
        self.simulate(request)

    @work(exclusive=True, group="history-simulate", exit_on_error=False)
    async def simulate(self, request: SimulateReceiveTransferRequest) -> None:
        client = self.app.client
        if client is None:
            return
        try:
            transfer = await client.simulate_receive_transfer(request)
        except Exception as error:
            self.post_message(messages.InboundSimulationFailed(error))
            return
        self.post_message(messages.InboundTransferSimulated(transfer))

    @on(messages.InboundTransferSimulated)
    def _simulated(self, message: messages.InboundTransferSimulated) -> None:
        # Not stopped: it bubbles to the app, which says money moved (balances, history).
        self.dismiss(message.transfer)

    @on(messages.InboundSimulationFailed)
    def _failed(self, message: messages.InboundSimulationFailed) -> None:
        message.stop()
        from fintoc_tui.ui.shell.problems import describe

        self.sending = False
        self.query_one("#simulate-send", Button).disabled = False
        self._error(describe(message.error).title)

    def _error(self, text: str) -> None:
        self.query_one("#simulate-error", Static).update(Text(text))

    @on(Button.Pressed, "#simulate-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
