"""Unresolved journal entries: transfers whose outcome this app never learnt.

Shown at start (and when the transfer form opens) if the journal holds
entries of the current environment that were prepared or sent without a
definite answer — the app was closed mid-send, or the network broke after the
request could have reached Fintoc. Resolving re-sends the journaled bytes with
the journaled idempotency key: Fintoc replays the first answer if it acted,
or acts now if it never did. Either way there is one transfer, not two.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from fintoc_tui.api.errors import (
    AuthenticationError,
    FintocError,
    InvalidRequestError,
    OutcomeUnknownError,
)
from fintoc_tui.api.submit import JournaledFailure, never_sent
from fintoc_tui.banking import format_clabe
from fintoc_tui.money import format_amount
from fintoc_tui.ui import messages
from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.transfer.submitter import transfer_submitter

if TYPE_CHECKING:
    from fintoc_tui.api.models import Transfer
    from fintoc_tui.journal import JournalEntry
    from fintoc_tui.ui.shell.app import FintocApp

CLOSE = bindings.JOURNAL_CLOSE
RESOLVE = bindings.JOURNAL_RESOLVE
DISCARD = bindings.JOURNAL_DISCARD

_OFFERED: WeakKeyDictionary[FintocApp, set[str]] = WeakKeyDictionary()
"""Per app, the environments whose unresolved entries were already offered."""


def describe_entry(entry: JournalEntry) -> tuple[str, str]:
    """(amount, destination) read back from the journaled body, for a person."""
    try:
        body = json.loads(entry.body)
        amount = format_amount(int(body["amount"]), str(body["currency"]))
        cp = body.get("counterparty") or {}
        number = str(cp.get("account_number", ""))
        if len(number) == 18 and number.isdigit():
            number = format_clabe(number)
        name = cp.get("holder_name") or ""
        return amount, f"{name}  {number}".strip()
    except (ValueError, KeyError, TypeError):
        if entry.kind == "return":
            return "—", "return of an inbound transfer"
        return "—", "(unreadable body)"


def resolve_outcome(transfer: Transfer | None, error: BaseException | None) -> str:
    """What resolving an entry learnt, in the words of the Outcome column.

    "not made" only when Fintoc itself refused it: the client raises
    `InvalidRequestError` / `AuthenticationError` only for an answer in
    Fintoc's error format, and the journal keeps such a refusal
    (`JournaledFailure`). A status code alone decides nothing: a proxy's
    HTML 400 has one too, and says nothing of what Fintoc did.
    """
    if transfer is not None:
        return f"made: {transfer.id} ({transfer.status})"
    if isinstance(error, OutcomeUnknownError):
        return "still unknown: try again later"
    if isinstance(error, InvalidRequestError | AuthenticationError | JournaledFailure):
        return f"not made: {error.message}"
    if isinstance(error, FintocError):
        return f"still unknown: {error.message}"
    return f"still unknown: {type(error).__name__}"


def _load_unresolved(environment: str) -> list[JournalEntry]:
    from fintoc_tui.journal import Journal

    journal = Journal()
    try:
        return journal.unresolved(environment)
    finally:
        journal.close()


def offer_journal_recovery(
    app: FintocApp, *, once: bool = True, say_when_none: bool = False
) -> None:
    """Look for unresolved entries of the app's environment (off the event loop); show them.

    The app calls it when a connection is made. With `once`, the dialog is
    offered at most once per environment per app run; resolving later is
    always possible from the form (`j`) or the palette.
    """
    environment = app.environment
    if environment is None or app.client is None:
        if say_when_none:
            app.notify("Connect to an environment first (press e).", severity="warning")
        return
    offered = _OFFERED.setdefault(app, set())
    if once and environment.name in offered:
        return
    offered.add(environment.name)

    async def look() -> None:
        entries = await asyncio.to_thread(_load_unresolved, environment.name)
        if entries and not isinstance(app.screen, JournalRecoveryScreen):
            app.push_screen(JournalRecoveryScreen(entries))
        elif not entries and say_when_none:
            app.notify(f"No unresolved transfers in {environment.label}.", title="Journal")

    app.run_worker(look(), group="journal-recovery", exclusive=True, exit_on_error=False)


class JournalRecoveryScreen(ModalScreen[None]):
    """A table of unresolved entries with Resolve / Resolve all / Later."""

    app: FintocApp

    BINDINGS = [CLOSE, RESOLVE, DISCARD]
    DEFAULT_CSS = """
    JournalRecoveryScreen { align: center middle; }
    JournalRecoveryScreen #recovery-dialog {
        width: 110; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    JournalRecoveryScreen #recovery-title { text-style: bold; height: auto; }
    JournalRecoveryScreen #recovery-text { height: auto; margin: 1 0; }
    JournalRecoveryScreen DataTable { height: auto; max-height: 12; }
    JournalRecoveryScreen #recovery-status { height: auto; margin-top: 1; }
    JournalRecoveryScreen #recovery-buttons { height: auto; margin-top: 1; }
    JournalRecoveryScreen #recovery-buttons Button { margin-right: 2; }
    """

    def __init__(self, entries: list[JournalEntry]) -> None:
        super().__init__()
        self.entries = {entry.idempotency_key: entry for entry in entries}
        self.outcomes: dict[str, str] = {}
        self.pending: set[str] = set()

    def compose(self) -> ComposeResult:
        count = len(self.entries)
        plural = "transfer has" if count == 1 else "transfers have"
        with Vertical(id="recovery-dialog"):
            yield Static(f"{count} {plural} no known outcome", id="recovery-title")
            yield Static(
                Content(
                    "The app stopped, or the connection broke, after these requests could "
                    "have reached Fintoc. Resolve asks Fintoc again with the same idempotency "
                    "key: a transfer that was made is found, one that was not is made now — "
                    "never twice. A row marked never sent only ever failed to connect: "
                    "Discard drops it."
                ),
                id="recovery-text",
            )
            yield DataTable(id="recovery-table", cursor_type="row", zebra_stripes=True)
            yield Static(Content(""), id="recovery-status", markup=False)
            with Horizontal(id="recovery-buttons"):
                yield Button("Resolve selected", id="resolve", variant="warning")
                yield Button("Resolve all", id="resolve-all")
                yield Button("Discard (never sent)", id="discard", disabled=True)
                yield Button("Later", id="later")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Journaled", key="created")
        table.add_column(Text("Amount", justify="right"), key="amount")
        table.add_column("To", key="to")
        table.add_column("Tries", key="attempts")
        table.add_column("Outcome", key="outcome")
        for key, entry in self.entries.items():
            amount, destination = describe_entry(entry)
            table.add_row(
                entry.created_at.strftime("%Y-%m-%d %H:%M"),
                Text(amount, justify="right"),
                destination,
                str(entry.attempts),
                self._outcome_text(key),
                key=key,
            )
        table.focus()

    def _outcome_text(self, key: str) -> Text:
        if key in self.pending:
            return Text("asking Fintoc…", style="italic")
        if key in self.outcomes:
            text = self.outcomes[key]
            style = "green" if text.startswith(("made", "discarded")) else "yellow"
            if text.startswith("not made"):
                style = "red"
            return Text(text, style=style)
        entry = self.entries[key]
        if never_sent(entry):
            return Text("never sent", style="dim")
        return Text("unknown" if entry.state == "unknown" else "not confirmed", style="yellow")

    # -- resolving --------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#later")
    def _later(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#resolve")
    def _resolve_pressed(self) -> None:
        self.action_resolve_selected()

    @on(Button.Pressed, "#resolve-all")
    def _resolve_all(self) -> None:
        for key in self.entries:
            self._start(key)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._start(event.row_key.value)

    def _selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def action_resolve_selected(self) -> None:
        key = self._selected_key()
        if key:
            self._start(key)

    def _discardable(self, key: str | None) -> bool:
        return bool(
            key
            and key in self.entries
            and key not in self.pending
            and key not in self.outcomes
            and never_sent(self.entries[key])
        )

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self.query_one("#discard", Button).disabled = not self._discardable(self._selected_key())

    @on(Button.Pressed, "#discard")
    def action_discard_selected(self) -> None:
        """Drop the selected entry, only if none of its attempts can have reached Fintoc."""
        key = self._selected_key()
        if not self._discardable(key):
            self.app.bell()
            self.query_one("#recovery-status", Static).update(
                Content("Only a transfer that never reached Fintoc can be discarded; resolve it.")
            )
            return
        assert key is not None
        self.pending.add(key)
        self._update_row(key)
        self.query_one("#discard", Button).disabled = True
        self._discard(self.entries[key])

    @work(group="journal-resolve", exit_on_error=False)
    async def _discard(self, entry: JournalEntry) -> None:
        try:
            submitter = await transfer_submitter(self.app)
            await submitter.discard(entry)
        except Exception as error:
            self.post_message(messages.JournalEntryDiscarded(entry, error=error))
        else:
            self.post_message(messages.JournalEntryDiscarded(entry))

    def on_journal_entry_discarded(self, message: messages.JournalEntryDiscarded) -> None:
        key = message.entry.idempotency_key
        self.pending.discard(key)
        if message.error is None:
            self.outcomes[key] = "discarded: never sent"
        else:
            detail = message.error if isinstance(message.error, ValueError) else "failed"
            self.outcomes[key] = f"not discarded: {detail}"
        self._update_row(key)

    def _start(self, key: str) -> None:
        if key in self.pending or self.outcomes.get(key, "").startswith(
            ("made", "not made", "discarded")
        ):
            return
        self.pending.add(key)
        self._update_row(key)
        self._resolve(self.entries[key])

    @work(group="journal-resolve", exit_on_error=False)
    async def _resolve(self, entry: JournalEntry) -> None:
        try:
            submitter = await transfer_submitter(self.app)
            transfer = await submitter.resolve(entry)
        except Exception as error:
            self.post_message(messages.JournalEntryResolved(entry, error=error))
        else:
            self.post_message(messages.JournalEntryResolved(entry, transfer=transfer))

    def on_journal_entry_resolved(self, message: messages.JournalEntryResolved) -> None:
        key = message.entry.idempotency_key
        self.pending.discard(key)
        self.outcomes[key] = resolve_outcome(message.transfer, message.error)
        self._update_row(key)
        done = sum(1 for text in self.outcomes.values() if not text.startswith("still"))
        # The Outcome column is cut at the dialog's edge; the line below wraps.
        amount, destination = describe_entry(message.entry)
        self.query_one("#recovery-status", Static).update(
            Content(
                f"{done} of {len(self.entries)} resolved. {amount} to {destination}: "
                f"{self.outcomes[key]}"
            )
        )

    def _update_row(self, key: str) -> None:
        table = self.query_one(DataTable)
        table.update_cell(key, "outcome", self._outcome_text(key), update_width=True)
