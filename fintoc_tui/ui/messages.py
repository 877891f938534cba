"""Every message the UI's workers post, named in one place.

Workers do I/O and post these; handlers on screens update widgets. Each area
keeps its own section: append to yours, never rewrite another's.

Long module: the one vocabulary of the UI, one short class per message.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from fintoc_tui.api.client import EnvironmentInfo, FintocClient
    from fintoc_tui.api.models import Account, AccountNumber, Movement, Transfer
    from fintoc_tui.api.prefetch import AccountSnapshot
    from fintoc_tui.api.statement_models import AccountStatement
    from fintoc_tui.api.verification_models import AccountVerification
    from fintoc_tui.credentials import KeyringStatus
    from fintoc_tui.environments import Environment
    from fintoc_tui.journal import JournalEntry
    from fintoc_tui.ui.environment.card_state import ModeSlots, SandboxView
    from fintoc_tui.ui.history.rows import HistoryRow
    from fintoc_tui.ui.shell.problems import Problem


# --- Shell: environment, connection, accounts (owner: shell) -------------------------


class ConnectionChanged(Message):
    """The app applied an environment: a new client (or None) and why there is none.

    Posted by the app's connect worker; the app handles it, then publishes
    `app.client_changed_signal` so every screen can reload.
    """

    def __init__(
        self,
        environment: Environment | None,
        client: FintocClient | None,
        *,
        masked_key: str = "",
        problem: Problem | None = None,
    ) -> None:
        super().__init__()
        self.environment = environment
        self.client = client
        self.masked_key = masked_key
        self.problem = problem


class AccountsLoaded(Message):
    """The accounts list came back (possibly empty)."""

    def __init__(self, accounts: list[Account]) -> None:
        super().__init__()
        self.accounts = accounts


class AccountsPrefetched(Message):
    """The sandbox's accounts arrived from `api.prefetch` (display-only snapshots)."""

    def __init__(self, environment: str, accounts: list[AccountSnapshot]) -> None:
        super().__init__()
        self.environment = environment
        self.accounts = accounts


class PrefetchSettled(Message):
    """The start-up accounts prefetch is done (used or not): the app may build its client."""

    def __init__(self, environment: Environment, usable: bool) -> None:
        super().__init__()
        self.environment = environment
        self.usable = usable


class AccountsFailed(Message):
    """Loading accounts failed; `error` is a `FintocError` (never shown raw)."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class AccountDetailLoaded(Message):
    """An account (its balance now) and its numbers came back (movements come in pages)."""

    def __init__(
        self, account: Account, account_numbers: list[AccountNumber], movements: list[Movement]
    ) -> None:
        super().__init__()
        self.account = account
        self.account_numbers = account_numbers
        self.movements = movements


class AccountDetailFailed(Message):
    """Loading an account's numbers or movements failed."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class TransferFromAccount(Message):
    """New transfer from this account: posted to the transfer mode's base screen.

    The account id is also left in `app.transfer_source_account_id` for a
    screen that mounts after the message was sent.
    """

    def __init__(self, account_id: str) -> None:
        super().__init__()
        self.account_id = account_id


class TransferStatusChanged(Message):
    """A screen following a transfer saw its status change (money may have moved back).

    Posted by the screen to itself; it bubbles to the app, which publishes
    `app.money_moved_signal`.
    """

    def __init__(self, transfer: Transfer, before: str) -> None:
        super().__init__()
        self.transfer = transfer
        self.before = before


# --- History (owner: history) ---------------------------------------------------------


class HistoryPageLoaded(Message):
    """A page of the transfer list, already turned into lightweight row tuples.

    `generation` ties it to the filters that asked for it: a page for old
    filters that arrives late is dropped. `next_url` is the API cursor (None
    on the last page).
    """

    def __init__(
        self, generation: int, rows: list[HistoryRow], next_url: str | None, *, first: bool
    ) -> None:
        super().__init__()
        self.generation = generation
        self.rows = rows
        self.next_url = next_url
        self.first = first


class HistoryNewestLoaded(Message):
    """The first page again, after money moved: merged into the loaded rows, place kept."""

    def __init__(self, generation: int, rows: list[HistoryRow]) -> None:
        super().__init__()
        self.generation = generation
        self.rows = rows


class HistoryPageFailed(Message):
    """Loading a page of the history failed (`error` is shown via `problems.describe`)."""

    def __init__(self, generation: int, error: Exception, *, first: bool) -> None:
        super().__init__()
        self.generation = generation
        self.error = error
        self.first = first


class HistoryAccountsLoaded(Message):
    """Accounts and account numbers for the history's filter and simulate dialogs."""

    def __init__(self, accounts: list[Account], account_numbers: list[AccountNumber]) -> None:
        super().__init__()
        self.accounts = accounts
        self.account_numbers = account_numbers


class TransferDetailLoaded(Message):
    """A fresh copy of the transfer the detail screen shows.

    `movements` are the transfer's own movements when they were fetched (an
    inbound Mexican transfer's, to tell a return that failed), else None.
    """

    def __init__(self, transfer: Transfer, movements: list[Movement] | None = None) -> None:
        super().__init__()
        self.transfer = transfer
        self.movements = movements


class TransferRefreshed(Message):
    """The detail screen saw a fresher copy of a transfer: the history list updates its row.

    Posted to every screen of the stack underneath, so the detail never needs
    to know which screen lists transfers.
    """

    bubble = False

    def __init__(self, transfer: Transfer) -> None:
        super().__init__()
        self.transfer = transfer


class TransferDetailFailed(Message):
    """Fetching the transfer for the detail screen failed."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class HistoryExportProgress(Message):
    """`count` transfers are written so far."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class HistoryExportFinished(Message):
    """The export file is complete at `path`."""

    def __init__(self, path: Path, count: int) -> None:
        super().__init__()
        self.path = path
        self.count = count


class HistoryExportFailed(Message):
    """The export stopped; no partial file is left behind."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class InboundTransferSimulated(Message):
    """Test mode: the simulated inbound transfer the sandbox (or Fintoc) made."""

    def __init__(self, transfer: Transfer) -> None:
        super().__init__()
        self.transfer = transfer


class InboundSimulationFailed(Message):
    """Test mode: simulating an inbound transfer failed."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class TransferReturnJournaled(Message):
    """A return was journaled with its idempotency key; sending it starts now."""

    def __init__(self, entry: JournalEntry) -> None:
        super().__init__()
        self.entry = entry


class TransferReturned(Message):
    """An inbound transfer was returned; `transfer` is its new state."""

    def __init__(self, transfer: Transfer) -> None:
        super().__init__()
        self.transfer = transfer


class TransferReturnUnknown(Message):
    """The return may or may not have been made; re-send `entry` with its key to find out."""

    def __init__(self, entry: JournalEntry | None, error: Exception) -> None:
        super().__init__()
        self.entry = entry
        self.error = error


class TransferReturnFailed(Message):
    """The return was not made: Fintoc refused it, or it never left (`entry` says which)."""

    def __init__(self, error: Exception, entry: JournalEntry | None = None) -> None:
        super().__init__()
        self.error = error
        self.entry = entry


class ReceiptSaved(Message):
    """A transfer's receipt PDF was downloaded and written to `path`."""

    def __init__(self, transfer_id: str, path: Path) -> None:
        super().__init__()
        self.transfer_id = transfer_id
        self.path = path


class ReceiptFailed(Message):
    """Asking for, downloading or saving a receipt failed."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


# --- Environment screen (owner: environment) ------------------------------------------


class EnvironmentStatusLoaded(Message):
    """Where each key comes from and what the keyring can do (from a thread worker).

    `slots` maps `"test"`/`"live"` to what their cards show.
    Nothing here holds a secret: only masked values, fingerprints, sources.
    """

    def __init__(
        self, keyring: KeyringStatus, slots: dict[str, ModeSlots], sandbox: SandboxView
    ) -> None:
        super().__init__()
        self.keyring = keyring
        self.slots = slots
        self.sandbox = sandbox


class EnvironmentChecked(Message):
    """A connection check for one environment finished: what Fintoc said, or why not."""

    def __init__(
        self, name: str, info: EnvironmentInfo | None = None, problem: str | None = None
    ) -> None:
        super().__init__()
        self.name = name
        self.info = info
        self.problem = problem


class CredentialSaved(Message):
    """A key was saved, replaced, generated or deleted; `note` says so (masked)."""

    def __init__(self, mode: str, kind: str, note: str, *, warning: str | None = None) -> None:
        super().__init__()
        self.mode = mode
        self.kind = kind
        self.note = note
        self.warning = warning


class CredentialFailed(Message):
    """Saving or deleting a key failed; `problem` is a sentence without secrets."""

    def __init__(self, mode: str, kind: str, problem: str) -> None:
        super().__init__()
        self.mode = mode
        self.kind = kind
        self.problem = problem


class JWSKeyGenerated(Message):
    """A new JWS pair: the private half is stored, the public PEM saved to `path`."""

    def __init__(
        self, mode: str, public_pem: str, path: str, fingerprint: str, source: str
    ) -> None:
        super().__init__()
        self.mode = mode
        self.public_pem = public_pem
        self.path = path
        self.fingerprint = fingerprint
        self.source = source


# --- Transfer: form, confirm, send, follow, journal recovery (owner: transfer) ---------


class TransferAccountsLoaded(Message):
    """The transfer form's source accounts came back."""

    def __init__(self, accounts: list[Account]) -> None:
        super().__init__()
        self.accounts = accounts


class TransferAccountsFailed(Message):
    """Loading the source accounts failed; `error` is shown through `problems.describe`."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class ConfirmBalanceLoaded(Message):
    """The confirm screen's source account again, after money moved; None if it failed."""

    def __init__(self, account: Account | None) -> None:
        super().__init__()
        self.account = account


class TransferJournaled(Message):
    """The idempotency key was minted and the request journaled; sending starts now."""

    def __init__(self, entry: JournalEntry) -> None:
        super().__init__()
        self.entry = entry


class TransferSent(Message):
    """Fintoc created the transfer (or replayed it for the same key)."""

    def __init__(self, entry: JournalEntry, transfer: Transfer) -> None:
        super().__init__()
        self.entry = entry
        self.transfer = transfer


class TransferSendFailed(Message):
    """Fintoc definitely refused (or it never got there): `error` is a `FintocError`."""

    def __init__(self, entry: JournalEntry | None, error: Exception) -> None:
        super().__init__()
        self.entry = entry
        self.error = error


class TransferOutcomeUnknown(Message):
    """The transfer may or may not exist; re-send `entry` with its key to find out."""

    def __init__(self, entry: JournalEntry | None, error: Exception) -> None:
        super().__init__()
        self.entry = entry
        self.error = error


class TransferStatusPolled(Message):
    """A fresh copy of the transfer being followed (its status may have changed)."""

    def __init__(self, transfer: Transfer) -> None:
        super().__init__()
        self.transfer = transfer


class TransferPollFailed(Message):
    """Following the transfer's status failed this time; polling goes on."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class JournalEntriesFound(Message):
    """Journal entries of this environment that never got a definite answer."""

    def __init__(self, entries: list[JournalEntry]) -> None:
        super().__init__()
        self.entries = entries


class JournalEntryResolved(Message):
    """Re-sending an unresolved entry answered: a transfer, or an error (maybe unknown again)."""

    def __init__(
        self, entry: JournalEntry, transfer: Transfer | None = None, error: Exception | None = None
    ) -> None:
        super().__init__()
        self.entry = entry
        self.transfer = transfer
        self.error = error


class JournalEntryDiscarded(Message):
    """A never-sent entry was dropped from the journal (or could not be: `error`)."""

    def __init__(self, entry: JournalEntry, error: Exception | None = None) -> None:
        super().__init__()
        self.entry = entry
        self.error = error


# --- Batch payouts from a CSV file (owner: batch) ----------------------------------------

if TYPE_CHECKING:
    from fintoc_tui.batch.runner import BatchOutcome, Progress
    from fintoc_tui.ui.batch.check import BatchInvalid, CheckedBatch


class BatchChecked(Message):
    """The file was read and every row validated: ready to confirm, or the problems by row."""

    def __init__(self, result: CheckedBatch | BatchInvalid, generation: int) -> None:
        super().__init__()
        self.result = result
        self.generation = generation
        """The app's connection generation it was checked under (a switch makes it stale)."""


class BatchCheckFailed(Message):
    """The batch could not be checked at all (no file, no connection): what and what next."""

    def __init__(self, title: str, advice: str) -> None:
        super().__init__()
        self.title = title
        self.advice = advice


class BatchProgressed(Message):
    """The runner's progress after a row (journaled, sent, answered) or a phase change."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


class BatchFinished(Message):
    """The run ended: done, paused, or stopped (`outcome.stopped` says why)."""

    def __init__(self, outcome: BatchOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class BatchSendFailed(Message):
    """The run could not start or broke off (another run holds the file, a bug): in words."""

    def __init__(self, title: str, advice: str) -> None:
        super().__init__()
        self.title = title
        self.advice = advice


# --- Accounts: numbers, statements, movements in account detail (owner: accounts, issue 14)


class MovementsPageLoaded(Message):
    """A page of an account's movements; `first` replaces the table (new filters), else appends."""

    def __init__(self, movements: list[Movement], next_url: str | None, *, first: bool) -> None:
        super().__init__()
        self.movements = movements
        self.next_url = next_url
        self.first = first


class MovementsPageFailed(Message):
    """Loading a page of movements failed; what is already shown stays."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class AccountVerificationUpdated(Message):
    """A CLABE verification was created or polled; `verification` is its state now."""

    def __init__(self, verification: AccountVerification) -> None:
        super().__init__()
        self.verification = verification


class AccountVerificationFailed(Message):
    """Creating or following a CLABE verification failed (the error says whether money moved)."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class AccountStatementsLoaded(Message):
    """An account's statements came back (`error` set when they could not be listed)."""

    def __init__(self, statements: list[AccountStatement], error: Exception | None = None) -> None:
        super().__init__()
        self.statements = statements
        self.error = error


class StatementDownloaded(Message):
    """A statement's PDF was saved at `path`, or could not be (`error`)."""

    def __init__(self, period: str, path: Path | None, error: Exception | None = None) -> None:
        super().__init__()
        self.period = period
        self.path = path
        self.error = error


class AccountNumberChanged(Message):
    """An account number was created, changed or deleted (`done` says which), or not (`error`)."""

    def __init__(
        self, done: str, number: AccountNumber | None, error: Exception | None = None
    ) -> None:
        super().__init__()
        self.done = done
        self.number = number
        self.error = error
