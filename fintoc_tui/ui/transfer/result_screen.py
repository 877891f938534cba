"""After Send: the transfer's id, status and tracking key, followed until it cannot change.

Two states. *Sent*: Fintoc answered with the transfer; the screen polls
`GET /v2/transfers/{id}` and shows each change (`pending → succeeded`). It
stops at a status that cannot change anymore (failed, rejected, returned);
after `succeeded` it keeps watching for a return for `return_watch_polls`
more polls (about a minute), and says so — a receiving bank can still send
the money back. Each change is money moving: it bubbles to the app as
`TransferStatusChanged`, and balances and the history reload everywhere.
The title says what happened, not just "sent".

*Outcome unknown*: no answer from Fintoc said what happened to a request
that may have reached it; the screen shows the error's own sentence (never
"failed") and offers a retry with the same idempotency key, which either
finds the transfer that was made or makes it now — never a second one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Digits, LoadingIndicator, Static

from fintoc_tui.api.errors import FintocError, InvalidRequestError, OutcomeUnknownError
from fintoc_tui.api.models import FINAL_TRANSFER_STATUSES
from fintoc_tui.money import format_amount
from fintoc_tui.ui import messages
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.transfer import result_text
from fintoc_tui.ui.transfer.submitter import transfer_submitter
from fintoc_tui.ui.widgets.footer import KeysFooter
from fintoc_tui.ui.widgets.header import FintocHeader

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.models import Transfer
    from fintoc_tui.journal import JournalEntry
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.transfer.draft import TransferDraft

NEW = bindings.TRANSFER_NEW
VIEW = bindings.TRANSFER_VIEW
POLL = bindings.TRANSFER_POLL
RETRY = bindings.TRANSFER_RETRY

#: Statuses no later event changes: following stops there. The models' final
#: statuses but `succeeded`, which a return can still change (two of them are
#: documented, never seen).
CANNOT_CHANGE = frozenset(str(status) for status in FINAL_TRANSFER_STATUSES) - {"succeeded"}
RETURN_WATCH_POLLS = 20
"""Polls after `succeeded` that still look for a return (20 × 3 s: about a minute)."""


class TransferResultScreen(Screen[None]):
    """Result of a send; see the module docstring."""

    app: FintocApp

    BINDINGS = [NEW, VIEW, POLL, RETRY]
    DEFAULT_CSS = """
    TransferResultScreen #result-body { padding: 0 2; }
    TransferResultScreen #result-title { text-style: bold; height: auto; margin-bottom: 1; }
    TransferResultScreen .row { height: auto; }
    TransferResultScreen .row > .key { width: 16; color: $text-muted; }
    TransferResultScreen .row > .value { width: 1fr; }
    TransferResultScreen #amount-row { height: auto; margin: 1 0; }
    TransferResultScreen #amount-digits { width: auto; }
    TransferResultScreen #amount-code { width: auto; padding: 1 1 0 1; text-style: bold; }
    TransferResultScreen #status-log { height: auto; margin-top: 1; color: $text-muted; }
    TransferResultScreen #result-watch { height: auto; color: $text-muted; }
    TransferResultScreen #unknown-panel { height: auto; border: round $warning; padding: 0 1; margin-top: 1; }
    TransferResultScreen #result-progress { height: 1; }
    TransferResultScreen #result-buttons { height: auto; margin-top: 1; }
    TransferResultScreen #result-buttons Button { margin-right: 2; }
    """

    def __init__(
        self,
        draft: TransferDraft,
        *,
        entry: JournalEntry | None,
        transfer: Transfer | None = None,
        unknown: Exception | None = None,
        poll_interval: float = 3.0,
        return_watch_polls: int = RETURN_WATCH_POLLS,
    ) -> None:
        super().__init__()
        self.draft = draft
        self.entry = entry
        self.transfer = transfer
        self.unknown = unknown
        self.poll_interval = poll_interval
        self.return_watch_polls = return_watch_polls
        self.watch_left: int | None = None
        """Polls left to watch for a return once `succeeded`; None before, 0 when done."""
        self.status_changes: list[tuple[str, str]] = []
        self.polling = False
        self.retrying = False
        self._timer: Timer | None = None

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        request = self.draft.request
        yield FintocHeader()
        with VerticalScroll(id="result-body"):
            yield Static(id="result-title")
            with Horizontal(id="amount-row"):
                yield Digits(
                    format_amount(request.amount, request.currency, with_code=False),
                    id="amount-digits",
                )
                yield Static(request.currency, id="amount-code")
            yield self._row("To", "to", self._destination())
            yield self._row("Status", "status", Content("—"))
            yield self._row("Transfer id", "id", Content("—"))
            yield self._row("Tracking key", "tracking", Content("—"))
            yield self._row(
                "Idempotency key", "key", Content(self.entry.idempotency_key if self.entry else "—")
            )
            yield Static(Content(""), id="status-log", markup=False)
            yield Static(Content(""), id="result-watch", markup=False)
            with Vertical(id="unknown-panel"):
                yield Static(Content(""), id="unknown-text", markup=False)
            yield LoadingIndicator(id="result-progress")
            with Horizontal(id="result-buttons"):
                yield Button("Retry with the same key", id="retry", variant="warning")
                yield Button("New transfer", id="new", variant="primary")
                yield Button("View in history", id="view")
        yield KeysFooter()

    def _destination(self) -> Content:
        d = self.draft
        return Content(f"{d.destination_name}  ·  {d.destination_bank}  ·  {d.destination_number}")

    @staticmethod
    def _row(key: str, name: str, value: Content) -> Horizontal:
        return Horizontal(
            Static(key, classes="key"),
            Static(value, classes="value", id=f"result-{name}", markup=False),
            classes="row",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Retry exists only while the outcome is unknown; checking status only once sent."""
        if action == "retry":
            return self.transfer is None
        if action == "refresh":
            return self.transfer is not None
        return True

    def on_mount(self) -> None:
        self._follow()
        self._render_state()

    @property
    def following(self) -> bool:
        """The status is still being checked on a timer."""
        return self._timer is not None

    def _follow(self) -> None:
        """Start, keep or stop the timer for the status now known."""
        transfer = self.transfer
        status = str(transfer.status) if transfer is not None else None
        if status == "succeeded" and self.watch_left is None:
            self.watch_left = self.return_watch_polls
        done = (
            status is None
            or status in CANNOT_CHANGE
            or (status == "succeeded" and self.watch_left == 0)
        )
        if done:
            self._stop()
        elif self._timer is None:
            self._timer = self.set_interval(self.poll_interval, self._tick)

    def _render_state(self) -> None:
        self.refresh_bindings()
        title = self.query_one("#result-title", Static)
        panel = self.query_one("#unknown-panel")
        retry = self.query_one("#retry", Button)
        progress = self.query_one("#result-progress")
        progress.display = self.retrying
        transfer = self.transfer
        if transfer is None:
            panel.display = True
            retry.display = True
            retry.disabled = self.retrying
            title.update(
                Content.assemble(
                    ("Outcome unknown: ", "bold $text-warning"),
                    "the transfer may or may not have been made",
                )
            )
            self.query_one("#result-status", Static).update(
                Content.assemble(("unknown", "bold $text-warning"))
            )
            said = result_text.unknown_sentence(self.unknown)
            self.query_one("#unknown-text", Static).update(
                Content.assemble(
                    ("This is not a failure. ", "bold"),
                    f"{said} ",
                    ("Retry with the same key", "bold"),
                    " asks Fintoc again with the same idempotency key: if the transfer was "
                    "made you will see it, if not it is made now, never twice. It stays in "
                    "the journal and is offered again at the next start until resolved.",
                )
            )
            self.query_one("#result-watch", Static).display = False
            return
        panel.display = False
        retry.display = False
        status = str(transfer.status)
        title.update(result_text.title(status))
        self.query_one("#result-status", Static).update(
            result_text.status_line(status, following=self.following)
        )
        watching = self.watch_left is not None and status == "succeeded"
        seconds = round(self.return_watch_polls * self.poll_interval)
        note = result_text.watch_note(watching, following=self.following, seconds=seconds)
        watch = self.query_one("#result-watch", Static)
        watch.update(note)
        watch.display = bool(note.plain)  # no blank row while there is nothing to say
        self.query_one("#result-id", Static).update(Content(transfer.id))
        self.query_one("#result-tracking", Static).update(
            Content(transfer.tracking_key or "— (assigned by the bank)")
        )
        if self.status_changes:
            lines = [f"status: {before} → {after}" for before, after in self.status_changes]
            self.query_one("#status-log", Static).update(Content("\n".join(lines)))

    # -- following the status ------------------------------------------------------------

    def _tick(self) -> None:
        """The timer: poll while the status can change; after a success, a bounded while."""
        transfer = self.transfer
        if transfer is None or str(transfer.status) in CANNOT_CHANGE:
            self._stop()
            return
        if str(transfer.status) == "succeeded" and self.watch_left is not None:
            if self.watch_left <= 0:
                self._stop()
                self._render_state()
                return
            self.watch_left -= 1
        self.action_refresh()

    def action_refresh(self) -> None:
        """Poll now, even after a final status (a success can still be returned later)."""
        if self.transfer is None or self.polling:
            return
        client = self.app.client
        if client is None:
            return
        self.polling = True
        self._poll(client, self.transfer.id)

    @work(exclusive=True, group="transfer-poll", exit_on_error=False)
    async def _poll(self, client: FintocClient, transfer_id: str) -> None:
        try:
            transfer = await client.get_transfer(transfer_id)
        except Exception as error:
            self.post_message(messages.TransferPollFailed(error))
        else:
            self.post_message(messages.TransferStatusPolled(transfer))

    def on_transfer_status_polled(self, message: messages.TransferStatusPolled) -> None:
        self.polling = False
        before = str(self.transfer.status) if self.transfer is not None else None
        self.transfer = message.transfer
        after = str(message.transfer.status)
        if before is not None and before != after:
            self.status_changes.append((before, after))
            # Bubbles to the app: balances and the history reload everywhere.
            self.post_message(messages.TransferStatusChanged(message.transfer, before))
        self._follow()
        self._render_state()

    def on_transfer_poll_failed(self, message: messages.TransferPollFailed) -> None:
        self.polling = False
        error = message.error
        text = error.message if isinstance(error, FintocError) else type(error).__name__
        self.query_one("#status-log", Static).update(
            Content.assemble(
                (f"Could not check the status just now ({text}); will try again.", "$text-warning")
            )
        )

    # -- retry after an unknown outcome ----------------------------------------------------

    @on(Button.Pressed, "#retry")
    def _retry_pressed(self) -> None:
        self.action_retry()

    def action_retry(self) -> None:
        if self.transfer is not None or self.retrying or self.entry is None:
            return
        self.retrying = True
        self._render_state()
        self._resend(self.entry)

    @work(exclusive=True, group="transfer-send", exit_on_error=False)
    async def _resend(self, entry: JournalEntry) -> None:
        try:
            submitter = await transfer_submitter(self.app)
            transfer = await submitter.send(entry)
        except OutcomeUnknownError as error:
            self.post_message(messages.TransferOutcomeUnknown(entry, error))
        except Exception as error:
            self.post_message(messages.TransferSendFailed(entry, error))
        else:
            self.post_message(messages.TransferSent(entry, transfer))

    def on_transfer_sent(self, message: messages.TransferSent) -> None:
        self.retrying = False
        self.transfer = message.transfer
        self.unknown = None
        self._follow()
        self._render_state()

    def on_transfer_outcome_unknown(self, message: messages.TransferOutcomeUnknown) -> None:
        self.retrying = False
        self.unknown = message.error
        self._render_state()

    def on_transfer_send_failed(self, message: messages.TransferSendFailed) -> None:
        self.retrying = False
        error = message.error
        text = error.message if isinstance(error, FintocError) else type(error).__name__
        if isinstance(error, InvalidRequestError):
            # A definite answer to a re-send: Fintoc had not made it and refuses now.
            self.query_one("#retry", Button).display = False
            self.query_one("#unknown-text", Static).update(
                Content.assemble(
                    ("Not made: ", "bold $text-error"),
                    f"Fintoc answered the re-send with a refusal ({text}), so no transfer exists "
                    "for this key. Start a new transfer to try again.",
                )
            )
            self.query_one("#result-status", Static).update(
                Content.assemble(("not made", "bold $text-error"))
            )
            self.query_one("#result-progress").display = False
            return
        self._render_state()
        self.query_one("#unknown-text", Static).update(
            Content.assemble(
                ("Still unknown: ", "bold $text-warning"),
                f"{text} The transfer may still exist; retry with the same key when the "
                "connection is back.",
            )
        )

    # -- leaving ----------------------------------------------------------------------------

    @on(Button.Pressed, "#new")
    def _new_pressed(self) -> None:
        self.action_new_transfer()

    @on(Button.Pressed, "#view")
    def _view_pressed(self) -> None:
        self.action_view_history()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_new_transfer(self) -> None:
        self._stop()
        app = self.app
        self.dismiss(None)
        app.navigator.reset_transfer_form()

    def action_view_history(self) -> None:
        self._stop()
        app = self.app
        self.dismiss(None)
        app.switch_mode("history")
