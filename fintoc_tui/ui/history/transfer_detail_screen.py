"""One transfer, every field: counterparty, banks, numbers, tracking key, receipt, metadata.

Opened from the history with a transfer id; it fetches the transfer fresh
(the history keeps only display rows) and, while the transfer is pending or
its return is pending, fetches it again every `poll_seconds` until it
settles; a status change it sees is money moving (`TransferStatusChanged`).
A Mexican inbound transfer's movements are fetched too: a return that
failed leaves the transfer `succeeded` again, and only its movements (money
held, then given back) still tell that it happened.

A return moves money, so it goes the way a transfer does
(`TransferSubmitter`): journaled with its idempotency key before it is
sent, re-sent with that same key (R again) when the outcome is unknown or it
never left, and offered again at the next start until resolved. An unknown
outcome is shown as unknown, never as a failure.

Long module: the fields, the return and the receipt are three actions on one
transfer that share its state (the transfer as fetched, the poll, the journal
entry); their words and fields are already apart (detail_fields, return_dialog).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import LoadingIndicator, Static

from fintoc_tui.ui import messages
from fintoc_tui.ui.history.detail_fields import (
    STATUS_STYLES,
    can_return,
    detail_fields,
    failed_returns,
    has_receipt,
)
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.transfer.draft import TransferPrefill
from fintoc_tui.ui.transfer.submitter import transfer_submitter
from fintoc_tui.ui.widgets.footer import KeysFooter
from fintoc_tui.ui.widgets.header import FintocHeader
from fintoc_tui.ui.widgets.state_message import StateMessage

if TYPE_CHECKING:
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.models import Movement, Transfer
    from fintoc_tui.api.submit import TransferSubmitter
    from fintoc_tui.journal import JournalEntry
    from fintoc_tui.ui.shell.app import FintocApp

#: Statuses that still change on their own.
UNSETTLED = frozenset({"pending", "return_pending"})


class TransferDetailScreen(Screen[None]):
    """Pushed over the history; escape goes back."""

    app: FintocApp

    BINDINGS: ClassVar[list[BindingType]] = bindings.TRANSFER_DETAIL_SCREEN  # type: ignore[assignment]

    DEFAULT_CSS = """
    TransferDetailScreen #detail-title { height: 1; padding: 0 2; margin-top: 1; text-style: bold; }
    TransferDetailScreen #detail-body { padding: 1 2; }
    TransferDetailScreen #detail-grid {
        grid-size: 2; grid-columns: 22 1fr; grid-rows: 1; height: auto;
    }
    TransferDetailScreen .detail-label { color: $text-muted; }
    TransferDetailScreen #detail-poll { height: 1; padding: 0 2; color: $text-warning; }
    TransferDetailScreen #detail-return {
        display: none; height: auto; margin: 0 2; padding: 0 1; border: round $warning;
    }
    TransferDetailScreen #detail-return.-shown { display: block; }
    TransferDetailScreen #detail-receipt { height: auto; padding: 0 2; display: none; }
    TransferDetailScreen #detail-receipt.-shown { display: block; }
    TransferDetailScreen LoadingIndicator { height: 3; }
    TransferDetailScreen StateMessage { display: none; }
    TransferDetailScreen StateMessage.-shown { display: block; }
    """

    poll_seconds: ClassVar[float] = 5.0
    """How often a pending transfer is fetched again."""

    def __init__(self, transfer_id: str, transfer: Transfer | None = None) -> None:
        super().__init__()
        self.transfer_id = transfer_id
        self.transfer = transfer
        self.movements: list[Movement] = []
        """The transfer's own movements, when fetched (see the module's docstring)."""
        self._poll: Timer | None = None
        self.return_entry: JournalEntry | None = None
        """The journaled return not yet settled (unknown, or never sent): R re-sends it."""
        self.returning = False

    def compose(self) -> ComposeResult:
        yield FintocHeader()
        yield Static(f"Transfer {self.transfer_id}", id="detail-title")
        yield Static("", id="detail-poll")
        yield Static("", id="detail-return", markup=False)
        yield Static("", id="detail-receipt", markup=False)
        yield LoadingIndicator()
        yield StateMessage(id="detail-state")
        with VerticalScroll(id="detail-body"):
            yield Grid(id="detail-grid")
        yield KeysFooter()

    @property
    def client(self) -> FintocClient | None:
        return self.app.client

    @property
    def test_mode(self) -> bool:
        environment = self.app.environment
        return environment is not None and environment.mode == "test"

    async def on_mount(self) -> None:
        if self.transfer is not None:
            await self._show(self.transfer)
        self.fetch()

    def on_unmount(self) -> None:
        self._stop_polling()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        transfer = self.transfer
        if action == "copy_id":
            return transfer is not None
        if action == "repeat":
            return transfer is not None and str(transfer.direction) == "outbound"
        if action == "copy_tracking_key":
            return transfer is not None and bool(transfer.tracking_key)
        if action == "return_transfer":
            if transfer is None or not self.test_mode:
                return False
            if self.returning:
                return None
            return True if can_return(transfer) or self.return_entry is not None else None
        if action == "receipt":  # before it settles, pressing it says when there will be one
            return transfer is not None
        if action == "copy_receipt_url":
            return transfer is not None and bool(transfer.receipt_url)
        return True

    # -- fetching and polling ---------------------------------------------------------

    @work(exclusive=True, group="transfer-detail", exit_on_error=False)
    async def fetch(self) -> None:
        client = self.client
        if client is None:
            return
        try:
            transfer = await client.get_transfer(self.transfer_id)
        except Exception as error:
            self.post_message(messages.TransferDetailFailed(error))
            return
        movements = None
        own = transfer.account_number
        if (
            own is not None
            and str(transfer.direction) == "inbound"
            and str(transfer.currency).upper() == "MXN"
        ):
            try:
                page = await client.list_movements_page(
                    own.account_id, resource_id=transfer.id, limit=50
                )
            except Exception:  # the transfer still shows; only the return history is missing
                movements = None
            else:
                movements = page.items
        self.post_message(messages.TransferDetailLoaded(transfer, movements))

    def poll(self) -> None:
        """The timer's tick: fetch again (the worker group keeps one fetch at a time)."""
        self.fetch()

    @property
    def polling(self) -> bool:
        return self._poll is not None

    def _stop_polling(self) -> None:
        if self._poll is not None:
            self._poll.stop()
            self._poll = None

    @on(messages.TransferDetailLoaded)
    async def _loaded(self, message: messages.TransferDetailLoaded) -> None:
        if message.movements is not None:
            self.movements = message.movements
        await self._show(message.transfer)

    @on(messages.TransferDetailFailed)
    def _failed(self, message: messages.TransferDetailFailed) -> None:
        from fintoc_tui.ui.shell.problems import describe

        self.query_one(LoadingIndicator).display = False
        problem = describe(message.error)
        if self.transfer is None:
            state = self.query_one(StateMessage)
            state.show(
                f"Could not load this transfer. {problem.title}", problem.advice, kind=problem.kind
            )
            state.add_class("-shown")
        else:
            self.notify(problem.title, title="Refresh failed", severity="warning")

    async def _show(self, transfer: Transfer) -> None:
        before = self.transfer
        if (
            before is not None
            and str(before.status) == "return_pending"
            and str(transfer.status) == "succeeded"
        ):
            self.notify(
                f"The return of {transfer.id} failed: the money is back and the transfer "
                "is succeeded again. You may try to return it again.",
                title="Return failed",
                severity="warning",
                timeout=10,
            )
        self.transfer = transfer
        if before is not None and str(before.status) != str(transfer.status):
            # Bubbles to the app: balances and the history reload everywhere.
            self.post_message(messages.TransferStatusChanged(transfer, str(before.status)))
        for screen in self.app.screen_stack:
            if screen is not self:  # the list underneath shows the new status too
                screen.post_message(messages.TransferRefreshed(transfer))
        self.query_one(LoadingIndicator).display = False
        self.query_one(StateMessage).remove_class("-shown")
        title = Text(f"Transfer {transfer.id}  ")
        title.append(str(transfer.status), style=STATUS_STYLES.get(str(transfer.status), ""))
        self.query_one("#detail-title", Static).update(title)
        grid = self.query_one("#detail-grid", Grid)
        await grid.remove_children()
        widgets = []
        for label, value in detail_fields(transfer, returns_failed=failed_returns(self.movements)):
            widgets.append(Static(label, classes="detail-label"))
            widgets.append(Static(value if isinstance(value, Text) else Text(value)))
        await grid.mount_all(widgets)
        if str(transfer.status) in UNSETTLED:
            self.query_one("#detail-poll", Static).update(
                f"Still {transfer.status}: refreshing every {self.poll_seconds:g} s."
            )
            if self._poll is None:
                self._poll = self.set_interval(self.poll_seconds, self.poll)
        else:
            self.query_one("#detail-poll", Static).update("")
            self._stop_polling()
        self.refresh_bindings()

    # -- actions -----------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh(self) -> None:
        self.fetch()

    def action_copy_id(self) -> None:
        if self.transfer is not None:
            self.app.copy_to_clipboard(self.transfer.id)
            self.notify(f"Copied {self.transfer.id}", title="Clipboard", timeout=3)

    def action_copy_tracking_key(self) -> None:
        if self.transfer is not None and self.transfer.tracking_key:
            self.app.copy_to_clipboard(self.transfer.tracking_key)
            self.notify("Copied the tracking key", title="Clipboard", timeout=3)

    async def action_repeat(self) -> None:
        if self.transfer is None or str(self.transfer.direction) != "outbound":
            return
        await self.app.navigator.repeat_transfer(TransferPrefill.from_transfer(self.transfer))

    def action_return_transfer(self) -> None:
        """Confirm, journal and send a return; with one unsettled, send that one again."""
        transfer = self.transfer
        if transfer is None or not self.test_mode or self.returning:
            return
        entry = self.return_entry
        if entry is not None:
            # Same entry, same idempotency key: Fintoc replays a return it made, never twice.
            self._start_return(entry=entry)
            return
        if not can_return(transfer):
            return
        from fintoc_tui.ui.history.return_dialog import ReturnConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._start_return(transfer_id=transfer.id)

        environment = self.app.environment
        sandbox = environment is not None and environment.name == "sandbox"
        self.app.push_screen(ReturnConfirmDialog(transfer, sandbox=sandbox), confirmed)

    def _start_return(
        self, *, transfer_id: str | None = None, entry: JournalEntry | None = None
    ) -> None:
        self.returning = True
        self._return_note("Returning…", "journaling the request first, then sending it once.")
        self.refresh_bindings()
        self._return(transfer_id, entry)

    @work(exclusive=True, group="transfer-return", exit_on_error=False)
    async def _return(self, transfer_id: str | None, entry: JournalEntry | None) -> None:
        from fintoc_tui.api.errors import OutcomeUnknownError

        submitter: TransferSubmitter | None = None
        try:
            submitter = await transfer_submitter(self.app)
            if entry is None:
                assert transfer_id is not None
                entry = await submitter.prepare_return(transfer_id)
                self.post_message(messages.TransferReturnJournaled(entry))
            transfer = await submitter.send(entry)
        except OutcomeUnknownError as error:
            self.post_message(messages.TransferReturnUnknown(entry, error))
        except Exception as error:
            if entry is not None and submitter is not None:
                # What the journal now knows: refused (failed), or still to send (prepared).
                journal = submitter.journal
                entry = await asyncio.to_thread(journal.get, entry.idempotency_key) or entry
            self.post_message(messages.TransferReturnFailed(error, entry=entry))
        else:
            self.post_message(messages.TransferReturned(transfer))

    def _return_note(self, title: str, text: str, *, style: str = "bold") -> None:
        note = self.query_one("#detail-return", Static)
        if not title:
            note.remove_class("-shown")
            return
        line = Text(f"{title} ", style=style)
        line.append(text)
        note.update(line)
        note.add_class("-shown")

    @on(messages.TransferReturnJournaled)
    def _return_journaled(self, message: messages.TransferReturnJournaled) -> None:
        self.return_entry = message.entry
        self._return_note(
            "Returning…",
            f"journaled with idempotency key …{message.entry.idempotency_key[-8:]}; sending it.",
        )

    @on(messages.TransferReturned)
    async def _returned(self, message: messages.TransferReturned) -> None:
        self.returning = False
        self.return_entry = None
        self._return_note("", "")
        self.notify(
            f"Return requested: {message.transfer.id} is {message.transfer.status}.",
            title="Return",
            timeout=5,
        )
        await self._show(message.transfer)

    @on(messages.TransferReturnUnknown)
    def _return_unknown(self, message: messages.TransferReturnUnknown) -> None:
        from fintoc_tui.api.errors import FintocError

        self.returning = False
        self.return_entry = message.entry or self.return_entry
        error = message.error
        said = error.message if isinstance(error, FintocError) else ""
        if not said.startswith("The outcome is unknown"):
            said = "The outcome is unknown: the return may or may not have been made."
        self._return_note(
            "Return outcome unknown. This is not a failure.",
            f"{said} Press R to ask Fintoc again with the same idempotency key: a return "
            "that was made is found, one that was not is made now, never twice. It stays "
            "in the journal and is offered again at the next start until resolved.",
            style="bold yellow",
        )
        self.refresh_bindings()
        self.fetch()  # what Fintoc shows now (return_pending if it went through)

    @on(messages.TransferReturnFailed)
    def _return_failed(self, message: messages.TransferReturnFailed) -> None:
        from fintoc_tui.api.submit import never_sent
        from fintoc_tui.ui.shell.problems import describe

        self.returning = False
        entry = message.entry
        problem = describe(message.error).title
        if entry is None:
            # Nothing was journaled (not connected, say): nothing can have left.
            self._return_note("Return not sent.", f"{problem} Press R to try again.")
        elif entry.state == "failed":
            # Fintoc's own refusal, recorded in the journal: nothing was returned.
            self.return_entry = None
            self._return_note(
                "Return refused.", f"{problem} Nothing was returned.", style="bold red"
            )
        else:
            # Journaled and not settled: the same entry is sent again, with the same key.
            self.return_entry = entry
            maybe = (
                "" if never_sent(entry) else " It may have left; asking again cannot return twice."
            )
            self._return_note(
                "Return not sent." if never_sent(entry) else "Return outcome still unknown.",
                f"{problem} Press R to send it again with the same idempotency key.{maybe}",
                style="bold yellow",
            )
        self.refresh_bindings()

    # -- receipt ------------------------------------------------------------------------

    def action_copy_receipt_url(self) -> None:
        if self.transfer is not None and self.transfer.receipt_url:
            self.app.copy_to_clipboard(self.transfer.receipt_url)
            self.notify("Copied the receipt link (CEP)", title="Clipboard", timeout=3)

    def action_receipt(self) -> None:
        transfer = self.transfer
        if transfer is None:
            return
        if not has_receipt(transfer):
            self._show_receipt_line(
                f"No receipt yet: Fintoc makes one once the transfer is succeeded or returned "
                f"(it is {transfer.status}). Press d again then."
            )
            return
        self._show_receipt_line("Downloading the receipt…")
        self._download_receipt(transfer.id)

    @work(exclusive=True, group="transfer-receipt", exit_on_error=False)
    async def _download_receipt(self, transfer_id: str) -> None:
        from fintoc_tui.receipts import save_receipt

        client = self.client
        if client is None:
            return
        try:
            receipt = await client.get_transfer_receipt(transfer_id)
            pdf = await client.download_receipt(receipt)
            path = save_receipt(transfer_id, pdf)
        except Exception as error:
            self.post_message(messages.ReceiptFailed(error))
            return
        self.post_message(messages.ReceiptSaved(transfer_id, path))

    @on(messages.ReceiptSaved)
    def _receipt_saved(self, message: messages.ReceiptSaved) -> None:
        self._show_receipt_line(f"Receipt saved: {message.path}")
        self.notify(str(message.path), title="Receipt saved", timeout=8)

    @on(messages.ReceiptFailed)
    def _receipt_failed(self, message: messages.ReceiptFailed) -> None:
        from fintoc_tui.ui.shell.problems import describe

        problem = describe(message.error)
        self._show_receipt_line(f"No receipt: {problem.title} {problem.advice}")

    def _show_receipt_line(self, text: str) -> None:
        line = self.query_one("#detail-receipt", Static)
        line.update(text)
        line.add_class("-shown")
