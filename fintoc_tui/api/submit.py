"""The one path every transfer takes: journal first, then send, then record.

    submitter = TransferSubmitter(client, journal, "test")
    entry = await submitter.prepare(request)    # key minted, row fsynced
    transfer = await submitter.send(entry)      # retried with the same key

`prepare` mints the idempotency key (uuid4) and writes the exact body to the
journal before anything leaves the machine. `send` counts the attempt in the
journal, sends (the client retries with the same key and a fresh signature)
and records the transfer, a definite refusal, or "unknown". `resolve`
re-sends an unresolved entry's stored bytes with its stored key: Fintoc
replays the first answer, so whatever happened before is found, never doubled.

Two calls of `send` for one entry never make two transfers: an in-memory lock
per key serialises them, the second sees the recorded result, and even
without that the shared idempotency key would make Fintoc replay.

Only Fintoc can say no: an entry is `failed` only on Fintoc's own refusal
(the client raises `InvalidRequestError` / `AuthenticationError` only for an
answer in Fintoc's error format). Once an attempt is counted, anything else
that is not a success (a non-Fintoc answer, a broken connection, even a bug
in this app) leaves the entry `unknown` and raises `OutcomeUnknownError`, so
the person is offered a re-send with the same key, never a fresh transfer.
The one exception is a bare `NetworkError`: no attempt got past connecting.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import ParamSpec, TypeVar

from fintoc_tui.api.client import FintocClient, return_body
from fintoc_tui.api.errors import (
    AuthenticationError,
    FintocError,
    InvalidRequestError,
    NetworkError,
    OutcomeUnknownError,
    RateLimitError,
    refused_before_idempotency,
)
from fintoc_tui.api.models import Transfer, TransferRequest
from fintoc_tui.clock import Clock, SystemClock
from fintoc_tui.journal import Journal, JournalEntry

__all__ = [
    "IDEMPOTENCY_WINDOW",
    "ResolveOutcome",
    "StaleEntryError",
    "TransferSubmitter",
    "never_sent",
]

P = ParamSpec("P")
R = TypeVar("R")

# Fintoc may forget a key after 24 hours; past that a re-send could pay again.
# We stop an hour short to leave room for clock skew.
IDEMPOTENCY_WINDOW = timedelta(hours=23)


# While an entry is still `prepared`, its error_code counts the attempts known
# never to have reached Fintoc (every try was a connect error): "not_sent:2".
# When that count equals `attempts`, no request left this machine, so the entry
# may be discarded. A crash mid-attempt leaves attempts ahead of the count:
# that one may have been sent, and only resolving is safe.
_NOT_SENT_CODE = "not_sent:"


def _not_sent_count(entry: JournalEntry) -> int:
    """How many of a prepared entry's attempts are known never to have left (0 if unsure)."""
    code = entry.error_code
    if code is None or not code.startswith(_NOT_SENT_CODE):
        return 0
    count = code.removeprefix(_NOT_SENT_CODE)
    return int(count) if count.isdigit() else 0


def never_sent(entry: JournalEntry) -> bool:
    """True when no attempt of `entry` can have reached Fintoc: safe to discard."""
    return entry.state == "prepared" and entry.attempts == _not_sent_count(entry)


class StaleEntryError(FintocError):
    """An entry that may have been sent is too old to re-send safely."""

    default_type = "stale_journal_entry"


class JournaledFailure(FintocError):
    """A definite refusal recorded earlier, raised again without re-sending."""


@dataclass(frozen=True)
class ResolveOutcome:
    """What `resolve_all` learnt about one entry."""

    entry: JournalEntry
    transfer: Transfer | None = None
    error: FintocError | None = None


class TransferSubmitter:
    """Journaled sending of transfers and returns for one environment."""

    def __init__(
        self,
        client: FintocClient,
        journal: Journal,
        environment_name: str,
        *,
        clock: Clock | None = None,
        new_key: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.client = client
        self.journal = journal
        self.environment_name = environment_name
        self._clock = clock or SystemClock()
        self._new_key = new_key
        self._locks: dict[str, asyncio.Lock] = {}
        self._results: dict[str, Transfer] = {}

    # -- journal writes run in a thread: each one waits for an fsync -------------

    async def _journal(self, method: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        return await asyncio.to_thread(method, *args, **kwargs)

    async def prepare(self, request: TransferRequest) -> JournalEntry:
        """Mint the key and journal the exact body durably; nothing is sent yet."""
        return await self._journal(
            self.journal.record_intent,
            environment=self.environment_name,
            kind="transfer",
            idempotency_key=self._new_key(),
            body=request.to_body(),
        )

    async def prepare_return(self, transfer_id: str) -> JournalEntry:
        """Journal a return of an inbound transfer; nothing is sent yet."""
        return await self._journal(
            self.journal.record_intent,
            environment=self.environment_name,
            kind="return",
            idempotency_key=self._new_key(),
            body=return_body(transfer_id),
        )

    def unresolved(self) -> list[JournalEntry]:
        """Entries of this environment that never got a definite answer."""
        return self.journal.unresolved(self.environment_name)

    async def discard(self, entry: JournalEntry) -> JournalEntry:
        """Drop an entry that never reached Fintoc (the person changed their mind).

        Never-sent means no attempt, or only attempts that failed to connect.
        An entry that may have reached Fintoc can only be resolved.
        """
        current = self._current(entry)
        if not never_sent(current):
            raise ValueError(
                "only a transfer that never reached Fintoc can be discarded; "
                "this one may have been sent, so resolve it instead"
            )
        return await self._journal(
            self.journal.record_failure,
            current.idempotency_key,
            code="discarded",
            message="Discarded before it was sent.",
        )

    def _current(self, entry: JournalEntry) -> JournalEntry:
        current = self.journal.get(entry.idempotency_key)
        if current is None:
            raise KeyError("this entry is not in the journal")
        if current.environment != self.environment_name:
            raise ValueError(
                f"this entry belongs to the {current.environment} environment, "
                f"not {self.environment_name}"
            )
        return current

    # -- sending --------------------------------------------------------------------

    async def send(self, entry: JournalEntry) -> Transfer:
        """Send a prepared entry (or re-send an unresolved one); at most one transfer."""
        key = entry.idempotency_key
        # One lock per entry, so unrelated sends never queue behind each other. Its
        # mutant `setdefault(None, ...)` (one lock for all) is equally safe, only slower.
        lock = self._locks.setdefault(key, asyncio.Lock())  # pragma: no mutate
        async with lock:
            current = self._current(entry)
            if current.state == "succeeded":
                cached = self._results.get(key)
                if cached is not None:
                    return cached
                assert current.transfer_id is not None
                return await self.client.get_transfer(current.transfer_id)
            if current.state == "failed":
                raise JournaledFailure(
                    current.error_message or "Fintoc refused this transfer.",
                    code=current.error_code,
                )
            # Sent before (maybe by a process that died); an `unknown` entry always has
            # an attempt, since `record_attempt` comes before any answer.
            maybe_sent = current.attempts > 0
            if maybe_sent and self._clock.now() - current.created_at > IDEMPOTENCY_WINDOW:
                raise StaleEntryError(
                    "This transfer was journaled more than 23 hours ago and may have been "
                    "sent; Fintoc may have forgotten its idempotency key, so re-sending could "
                    "pay twice. Check the history for it instead."
                )
            dispatch = self._dispatcher(current)  # a bad journal row fails before any attempt
            await self._journal(self.journal.record_attempt, key)
            try:
                transfer = await dispatch()
            except OutcomeUnknownError as exc:
                await self._journal(self.journal.record_unknown, key, message=exc.message)
                raise
            except NetworkError as exc:
                # The client raises a bare NetworkError (not OutcomeUnknownError)
                # only when no try got past connecting: this attempt never left.
                if not maybe_sent or never_sent(current):
                    await self._journal(self._mark_not_sent, key, current.attempts + 1, exc)
                raise
            except RateLimitError:
                # Fintoc's own "not now" on every try, none ambiguous: nothing was
                # made; the entry stays as it was, ready to be sent again.
                raise
            except (AuthenticationError, InvalidRequestError) as exc:
                if maybe_sent and refused_before_idempotency(exc):
                    # Fintoc checks who is asking before its idempotency lookup:
                    # this says nothing of the earlier attempt.
                    unknown = OutcomeUnknownError(
                        "The outcome is unknown: Fintoc refused the credentials, so it could "
                        "not say whether the earlier attempt went through. Fix the key and "
                        "resolve again with the same idempotency key.",
                        idempotency_key=key,
                        last_error=exc,
                    )
                    await self._journal(self.journal.record_unknown, key, message=unknown.message)
                    raise unknown from exc
                # Fintoc's own refusal, made after its idempotency lookup: definite.
                await self._journal(
                    self.journal.record_failure, key, code=exc.code, message=exc.message
                )
                raise
            except Exception as exc:
                # Anything else after the attempt was counted (a bug, or an error a
                # future client might raise): it may have been sent, so it is unknown.
                # The cause is chained (`from exc`), not a `last_error`: it is no answer.
                unknown = OutcomeUnknownError(
                    "The outcome is unknown: something unexpected happened after the request "
                    f"may have left ({type(exc).__name__}). Send it again with the same "
                    "idempotency key to find out; that cannot make it twice.",
                    idempotency_key=key,
                )
                await self._journal(self.journal.record_unknown, key, message=unknown.message)
                raise unknown from exc
            self._results[key] = transfer
            await self._journal(
                self.journal.record_success,
                key,
                transfer_id=transfer.id,
                status=str(transfer.status),
            )
            return transfer

    def _mark_not_sent(self, key: str, attempts: int, error: FintocError) -> JournalEntry:
        """Record that the first `attempts` tries of `key` never reached Fintoc.

        `Journal` has no public writer for this (see the report); `_update`
        is its one-statement durable write, used with a literal assignment.
        """
        # SQLite column names are case-insensitive: the mutants that only change the
        # case of this SQL are equivalent.
        assignments = "error_code = ?, error_message = ?"  # pragma: no mutate
        code = f"{_NOT_SENT_CODE}{attempts}"
        return self.journal._update(key, assignments, (code, error.message))

    def _dispatcher(self, entry: JournalEntry) -> Callable[[], Awaitable[Transfer]]:
        """The client call that sends `entry`; raises ValueError, sending nothing, on a bad row."""
        key = entry.idempotency_key
        if entry.kind == "transfer":
            return lambda: self.client.create_transfer(entry.body, idempotency_key=key)
        if entry.kind == "return":
            transfer_id = json.loads(entry.body)["transfer_id"]
            if return_body(transfer_id) != entry.body:
                raise ValueError("journaled return body is not in the canonical form")
            return lambda: self.client.return_transfer(transfer_id, idempotency_key=key)
        raise ValueError(f"unknown journal entry kind {entry.kind!r}")

    async def resolve(self, entry: JournalEntry) -> Transfer:
        """Find out what happened to an unresolved entry by re-sending it as it was."""
        return await self.send(entry)

    async def resolve_all(self) -> list[ResolveOutcome]:
        """Resolve every unresolved entry of this environment, oldest first."""
        outcomes = []
        for entry in self.unresolved():
            try:
                transfer = await self.resolve(entry)
            except FintocError as exc:
                outcomes.append(ResolveOutcome(self._current(entry), error=exc))
            else:
                outcomes.append(ResolveOutcome(self._current(entry), transfer=transfer))
        return outcomes
