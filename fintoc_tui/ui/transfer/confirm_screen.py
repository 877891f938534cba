"""The confirm screen: restate the transfer, then journal and send it exactly once.

Everything shown here comes from the validated `TransferRequest` (the amount
from its int, never from the typed text), line by line as the core restates
it (`transfer.restate`, the lines `fintoc-tui transfers create` prints). In live mode the person types the
last four digits of the destination before Send unlocks, and a JWS key must
be loaded. Pressing Send mints the idempotency key and journals the exact body
(`TransferSubmitter.prepare`) before the first byte leaves; the client signs
each attempt as it goes out. A second press, a retry after a network failure
and a retry after an unknown outcome all reuse that one journal entry.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Digits, Input, Label, Static

from fintoc_tui.api.errors import (
    AuthenticationError,
    InvalidRequestError,
    NetworkError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
)
from fintoc_tui.money import format_amount
from fintoc_tui.transfer.restate import restate
from fintoc_tui.ui import messages
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.transfer.send_advice import auth_advice, retry_words
from fintoc_tui.ui.transfer.source_balance import SourceBalanceLine
from fintoc_tui.ui.transfer.submitter import transfer_submitter
from fintoc_tui.ui.widgets.footer import KeysFooter
from fintoc_tui.ui.widgets.header import FintocHeader

if TYPE_CHECKING:
    from fintoc_tui.api.submit import TransferSubmitter
    from fintoc_tui.journal import JournalEntry
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.transfer.draft import TransferDraft

#: The restated values a person must not misread: shown bold.
_BOLD = {"Environment", "To", "Account"}

CANCEL = bindings.TRANSFER_CONFIRM_CANCEL
SEND = bindings.TRANSFER_CONFIRM_SEND


class TransferConfirmScreen(Screen["InvalidRequestError | None"]):
    """Restates the draft; Send journals and sends; Back returns to the kept form.

    Dismisses with None (cancelled) or with a definite `InvalidRequestError`
    for the form to place on its field. On success or an unknown outcome it
    is replaced by the result screen.
    """

    app: FintocApp

    BINDINGS = [CANCEL, SEND]
    DEFAULT_CSS = """
    TransferConfirmScreen #confirm-body { padding: 0 2; }
    TransferConfirmScreen #confirm-title { text-style: bold; height: 1; margin-bottom: 1; }
    TransferConfirmScreen .row { height: auto; }
    TransferConfirmScreen .row > .key { width: 16; color: $text-muted; }
    TransferConfirmScreen .row > .value { width: 1fr; }
    TransferConfirmScreen #amount-row { height: auto; margin: 1 0; }
    TransferConfirmScreen #amount-digits { width: auto; color: $accent; }
    TransferConfirmScreen #amount-code { width: auto; padding: 1 1 0 1; text-style: bold; }
    TransferConfirmScreen #amount-minor { width: 1fr; padding: 1 1 0 1; color: $text-muted; }
    TransferConfirmScreen.-live #amount-digits { color: $error; }
    TransferConfirmScreen #live-check { height: auto; margin-top: 1; border: round $error; padding: 0 1; }
    TransferConfirmScreen #attention { width: 20; }
    TransferConfirmScreen #confirm-status { height: auto; margin-top: 1; }
    TransferConfirmScreen #confirm-buttons { height: auto; margin-top: 1; }
    TransferConfirmScreen #confirm-buttons Button { margin-right: 2; }
    TransferConfirmScreen #confirm-buttons Button.-hidden { display: none; }
    """

    def __init__(self, draft: TransferDraft) -> None:
        super().__init__()
        self.draft = draft
        self.entry: JournalEntry | None = None
        self.busy = False
        self.done = False
        self.attempts = 0
        self._pending_result: Screen[None] | None = None
        """The result screen, when the answer came while another mode was showing."""

    @property
    def live(self) -> bool:
        environment = self.app.environment
        return bool(environment and environment.is_live)

    def compose(self) -> ComposeResult:
        request = self.draft.request
        yield FintocHeader()
        with VerticalScroll(id="confirm-body"):
            yield Static("Confirm the transfer", id="confirm-title")
            for line in restate(self.draft, self.app.environment):
                if line.label == "From":  # the balance of now, reloaded when money moves
                    yield Horizontal(
                        Static("From", classes="key"), SourceBalanceLine(self.draft), classes="row"
                    )
                    continue
                if line.label == "Amount":
                    with Horizontal(id="amount-row"):
                        yield Digits(
                            format_amount(request.amount, request.currency, with_code=False),
                            id="amount-digits",
                        )
                        yield Static(request.currency, id="amount-code")
                        yield Static(Content(line.note), id="amount-minor")
                    continue
                value = (line.value, "bold") if line.label in _BOLD else line.value
                if line.label == "Environment":
                    note = f"  ·  {line.note}"
                else:
                    note = f"  {line.note}" if line.note else ""
                yield self._row(line.label, Content.assemble(value, note))
            if self.live:
                with Vertical(id="live-check"):
                    yield Label(
                        Content.assemble(
                            ("Live: real money moves. ", "bold $text-error"),
                            "Type the last four digits of the destination account to unlock Send.",
                        )
                    )
                    yield Input(
                        placeholder="last 4 digits",
                        restrict=r"\d*",
                        max_length=4,
                        id="attention",
                    )
            yield Static(Content(""), id="confirm-status", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    "Send transfer",
                    id="send",
                    variant="error" if self.live else "success",
                )
                yield Button("Back to edit", id="cancel")
                yield Button("Discard (never sent)", id="discard", classes="-hidden")
        yield KeysFooter()

    @staticmethod
    def _row(key: str, value: Content) -> Horizontal:
        return Horizontal(
            Static(key, classes="key"), Static(value, classes="value", markup=False), classes="row"
        )

    def on_mount(self) -> None:
        self.set_class(self.live, "-live")
        self._update_send()
        if self.live:
            self.query_one("#attention", Input).focus()
        else:
            self.query_one("#send", Button).focus()

    # -- gating -----------------------------------------------------------------------------

    def blockers(self) -> list[str]:
        """Why Send is locked (live checks and a missing client)."""
        reasons: list[str] = []
        client = self.app.client
        if client is None:
            reasons.append("not connected to Fintoc (press e)")
        elif self.live and not client.has_signer:
            reasons.append(
                "a live transfer must be signed: add your JWS private key on the environment "
                "screen (press e) and upload its public key to the Fintoc dashboard"
            )
        if self.live:
            typed = self.query_one("#attention", Input).value
            if typed != self.draft.last_four:
                reasons.append("type the last four digits of the destination account")
        return reasons

    def _update_send(self) -> None:
        if self.busy or self.done:
            self.query_one("#send", Button).disabled = True
            return
        reasons = self.blockers()
        self.query_one("#send", Button).disabled = bool(reasons)
        if reasons and self.entry is None:
            self._status(
                Content.assemble(("To send: " + "; ".join(reasons) + ".", "$text-warning"))
            )
        elif self.entry is None:
            self._status(
                Content(
                    "Nothing has been sent yet. Send keeps a record of the transfer on this "
                    "computer, then sends it once: if the connection breaks, the app can check "
                    "with Fintoc later without paying twice."
                )
            )

    @on(Input.Changed, "#attention")
    def _attention_changed(self) -> None:
        self._update_send()

    def _status(self, content: Content) -> None:
        self.query_one("#confirm-status", Static).update(content)

    # -- actions ----------------------------------------------------------------------------

    @on(Button.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.action_send()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#discard")
    def _discard_pressed(self) -> None:
        """Drop a journaled transfer that never reached Fintoc (only offered then)."""
        if self.busy or self.entry is None:
            return
        self.busy = True
        for button in self.query("#confirm-buttons Button").results(Button):
            button.disabled = True
        self._discard(self.entry)

    @work(exclusive=True, group="transfer-send", exit_on_error=False)
    async def _discard(self, entry: JournalEntry) -> None:
        try:
            submitter = await transfer_submitter(self.app)
            entry = await submitter.discard(entry)
        except Exception as error:
            self.post_message(messages.JournalEntryDiscarded(entry, error=error))
        else:
            self.post_message(messages.JournalEntryDiscarded(entry))

    def on_journal_entry_discarded(self, message: messages.JournalEntryDiscarded) -> None:
        self.busy = False
        if message.error is None:
            self.done = True
            self.notify("Discarded: it never reached Fintoc, so nothing was made.")
            self.dismiss(None)
            return
        self.query_one("#cancel", Button).disabled = False
        self.query_one("#discard", Button).add_class("-hidden")
        self._update_send()
        self._status(Content.assemble(("Not discarded: ", "bold $text-error"), str(message.error)))

    @on(Input.Submitted, "#attention")
    def _attention_submitted(self) -> None:
        self.action_send()

    def action_cancel(self) -> None:
        if self.busy:
            self.app.bell()
            return
        self.dismiss(None)

    def action_send(self) -> None:
        """Send once; a second press while busy (or after success) does nothing."""
        if self.busy or self.done:
            return
        if self.blockers():
            self.app.bell()
            self._update_send()
            return
        self.busy = True
        self.attempts += 1
        self.query_one("#send", Button).disabled = True
        self.query_one("#cancel", Button).disabled = True
        self._status(Content.assemble(("Sending…", "bold"), "  journaling the request first"))
        self._submit(self.entry)

    @work(exclusive=True, group="transfer-send", exit_on_error=False)
    async def _submit(self, entry: JournalEntry | None) -> None:
        submitter: TransferSubmitter | None = None
        try:
            submitter = await transfer_submitter(self.app)
            if entry is None:
                entry = await submitter.prepare(self.draft.request)
                self.post_message(messages.TransferJournaled(entry))
            transfer = await submitter.send(entry)
        except OutcomeUnknownError as error:
            self.post_message(messages.TransferOutcomeUnknown(entry, error))
        except Exception as error:
            if entry is not None and submitter is not None:
                # What the journal now knows (attempts, never-sent) decides Discard.
                journal = submitter.journal
                entry = await asyncio.to_thread(journal.get, entry.idempotency_key) or entry
            self.post_message(messages.TransferSendFailed(entry, error))
        else:
            self.post_message(messages.TransferSent(entry, transfer))

    def on_transfer_journaled(self, message: messages.TransferJournaled) -> None:
        self.entry = message.entry
        self._status(
            Content.assemble(
                ("Sending…", "bold"),
                f"  journaled with idempotency key …{message.entry.idempotency_key[-8:]}",
            )
        )

    def on_transfer_sent(self, message: messages.TransferSent) -> None:
        self.busy, self.done = False, True
        result = self.app.navigator.transfer_result(
            self.draft, entry=message.entry, transfer=message.transfer
        )
        self._show_result(result, f"Transfer sent: {message.transfer.status}.")

    def on_transfer_outcome_unknown(self, message: messages.TransferOutcomeUnknown) -> None:
        self.busy, self.done = False, True
        self._show_result(
            self.app.navigator.transfer_result(
                self.draft, entry=message.entry, unknown=message.error
            ),
            "The transfer's outcome is not known yet: open the transfer screen (2) to resolve it.",
        )

    def _show_result(self, result: Screen[None], summary: str) -> None:
        """Replace this screen with the result, now or when the person comes back to it.

        `switch_screen` replaces the top of the *current* mode's stack: if the
        person moved to another mode while the request was out, it would
        replace that mode's screen instead. So wait for this one to be shown
        again, and say meanwhile what happened.
        """
        if self.app.screen is self:
            self.app.switch_screen(result)
            return
        self._pending_result = result
        self.app.notify(summary, title="Transfer")

    def on_screen_resume(self) -> None:
        result, self._pending_result = self._pending_result, None
        if result is not None:
            self.app.switch_screen(result)

    def on_transfer_send_failed(self, message: messages.TransferSendFailed) -> None:
        self.busy = False
        self.query_one("#cancel", Button).disabled = False
        error = message.error
        if message.entry is not None:
            self.entry = message.entry
        if isinstance(error, InvalidRequestError):
            # Definite refusal (400/403/404/409/422): nothing was made; the form shows
            # it at the field, and a new confirm mints a new key.
            self.done = True
            self.dismiss(error)
            return
        send = self.query_one("#send", Button)
        if isinstance(error, AuthenticationError):
            self.done = True  # recorded as refused; a new confirm gets a new key
            send.disabled = True
            self._status(
                Content.assemble(
                    ("Not sent: Fintoc refused the credentials. ", "bold $text-error"),
                    auth_advice(error),
                )
            )
            return
        if isinstance(error, NetworkError | RateLimitError | ServerError):
            from fintoc_tui.api.submit import never_sent

            send.label = "Retry (same key)"
            entry = self.entry
            self.query_one("#discard", Button).set_class(
                entry is None or not never_sent(entry), "-hidden"
            )
            self._update_send()
            self._status(Content.assemble(*retry_words(error)))
            return
        from fintoc_tui.ui.shell.problems import describe

        self.done = True
        send.disabled = True
        problem = describe(error)
        self._status(
            Content.assemble(
                ("Not sent: ", "bold $text-error"),
                f"{problem.title} {problem.advice} Go back to edit if you want to change it.",
            )
        )
