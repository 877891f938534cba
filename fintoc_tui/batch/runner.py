"""Send a validated batch: keys, journal, rate-limited sending, unknowns resolved, statuses followed.

    runner = BatchRunner(plan, state, submitter, results_path, on_progress=show, pause=event)
    outcome = await runner.run()

1. Every row gets its idempotency key in the state file (one commit), then
   every row is journaled (`journal.record_intent`) — all before the first
   request leaves.
2. Rows are sent by a few concurrent senders through `TransferSubmitter.send`
   (the app's one money path: attempt counted, same key on every retry, JWS
   per attempt). The rate is the transport's business (`ratelimit.py`).
3. Rows whose outcome is unknown are asked again, with the same key, a few
   times with a growing pause; Fintoc replays what it did, never twice.
4. Pending transfers are followed (listing the source accounts' recent
   transfers) until they settle or `follow_seconds` pass.

Setting `pause` stops new rows from starting; requests in flight finish and
are recorded, and `run()` returns with `paused=True`. Running again resumes.
The results CSV is rewritten at most once a second while sending, and after
each step. No Textual here: the CLI renders `Progress`, the TUI can too.

Long module: the send loop, the retry of unknowns and the status follow-up
share one state file, one progress record and one pause event.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from fintoc_tui.batch.results import write_results
from fintoc_tui.batch.state import BatchState, RowState
from fintoc_tui.batch.validate import BatchPlan, PlannedRow

__all__ = ["BatchOutcome", "BatchRunner", "Progress", "discard_unsent"]

Phase = Literal["journaling", "sending", "resolving", "following", "paused", "done"]
FINAL_STATUSES = frozenset({"succeeded", "failed", "rejected", "returned"})
#: Consecutive rows that could not even connect before the batch stops by itself.
MAX_CONNECT_FAILURES = 3
#: How often one row goes back in the queue after "not sent" (429s, connection) in one run.
MAX_REQUEUES = 5


@dataclass(frozen=True)
class Progress:
    phase: Phase
    total: int
    made: int
    refused: int
    unknown: int
    queued: int
    in_flight: int
    pending: int
    """Made, but the transfer has not settled yet."""
    rate: float
    """Rows finished per second, over the last few seconds."""
    eta_seconds: float | None
    rate_limited: int
    """429 answers so far (each one paused every sender for its Retry-After)."""

    @property
    def done(self) -> int:
        return self.made + self.refused


@dataclass(frozen=True)
class BatchOutcome:
    total: int
    made: int
    refused: int
    unknown: int
    queued: int
    pending: int
    paused: bool
    stopped: str | None
    """Why sending stopped before the end (credentials refused, Fintoc unreachable)."""
    by_status: dict[str, int]


class BatchRunner:
    def __init__(
        self,
        plan: BatchPlan,
        state: BatchState,
        submitter: Any,
        results_path: Path,
        *,
        concurrency: int = 8,
        on_progress: Callable[[Progress], None] | None = None,
        pause: asyncio.Event | None = None,
        follow_seconds: float = 60.0,
        poll_interval: float = 2.0,
        resolve_rounds: int = 3,
        rate_limited: Callable[[], int] = lambda: 0,
        new_key: Callable[[], str] = lambda: str(uuid.uuid4()),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.plan = plan
        self.state = state
        self.submitter = submitter
        self.journal = submitter.journal
        self.results_path = results_path
        self.concurrency = max(1, concurrency)
        self.on_progress = on_progress
        self.pause = pause or asyncio.Event()
        self.follow_seconds = follow_seconds
        self.poll_interval = poll_interval
        self.resolve_rounds = resolve_rounds
        self._rate_limited = rate_limited
        self._new_key = new_key
        self._clock = clock
        self._sleep = sleep
        self.planned: dict[int, PlannedRow] = {row.number: row for row in plan.rows}
        self.stopped: str | None = None
        self._phase: Phase = "journaling"
        self._in_flight = 0
        self._finished: deque[float] = deque(maxlen=1000)
        self._connect_failures = 0
        self._requeues: dict[int, int] = {}
        self._last_write = -1e9
        self._started: float | None = None
        self._rows: dict[int, RowState] = {}
        """The state's rows, mirrored in memory (progress is asked for after every row)."""

    # -- the whole run -----------------------------------------------------------------------

    async def run(self) -> BatchOutcome:
        self.state.add_rows(
            ((r.number, r.account.id, r.currency, r.amount) for r in self.plan.rows),
            self._new_key,
        )
        self._rows = {row.number: row for row in self.state.rows()}
        self._write_results(force=True)
        await self._journal_all()
        self._phase = "sending"
        self._started = self._clock()
        await self._send_pass(self._numbers("queued", "unknown"))
        for round_number in range(self.resolve_rounds):
            unknown = self._numbers("unknown")
            queued = self._numbers("queued")
            if (not unknown and not queued) or self._halted():
                break
            self._phase = "resolving"
            self._report()
            await self._pause_for(min(2.0 * 2**round_number, 10.0))
            await self._send_pass(unknown + queued)
        if not self._halted():
            await self._follow()
        paused = self.pause.is_set()
        self._phase = "paused" if paused else "done"
        self._write_results(force=True)
        self._report()
        rows = list(self._rows.values())
        by_status: dict[str, int] = {}
        for row in rows:
            by_status[row.shown_status] = by_status.get(row.shown_status, 0) + 1
        counts = _counts(rows)
        return BatchOutcome(
            total=len(rows),
            made=counts["made"],
            refused=counts["refused"],
            unknown=counts["unknown"],
            queued=counts["queued"],
            pending=counts["pending"],
            paused=paused,
            stopped=self.stopped,
            by_status=by_status,
        )

    def _halted(self) -> bool:
        return self.pause.is_set() or self.stopped is not None

    def _numbers(self, *statuses: str) -> list[int]:
        return [row.number for row in self._rows.values() if row.status in statuses]

    def _reload(self, number: int) -> None:
        row = self.state.row(number)
        if row is not None:
            self._rows[number] = row

    async def _pause_for(self, seconds: float) -> None:
        """Sleep, but wake early when paused."""
        waiter = asyncio.ensure_future(self.pause.wait())
        try:
            await asyncio.wait(
                [waiter, asyncio.ensure_future(self._sleep(seconds))],
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            waiter.cancel()

    # -- 1. journal --------------------------------------------------------------------------

    async def _journal_all(self) -> None:
        """Journal every row that may still be sent; nothing goes out before this is done."""
        todo = [
            (row.idempotency_key, self.planned[row.number].draft.request.to_body())
            for row in self._rows.values()
            if row.status in ("queued", "unknown") and row.number in self.planned
        ]
        environment = self.submitter.environment_name

        def write(chunk: list[tuple[str, bytes]]) -> None:
            for key, body in chunk:
                if self.journal.get(key) is None:
                    self.journal.record_intent(
                        environment=environment, kind="transfer", idempotency_key=key, body=body
                    )

        for start in range(0, len(todo), 250):
            await asyncio.to_thread(write, todo[start : start + 250])
            self._report()

    # -- 2. send -----------------------------------------------------------------------------

    async def _send_pass(self, numbers: Iterable[int]) -> None:
        queue = deque(numbers)

        async def sender() -> None:
            while queue and not self._halted():
                number = queue.popleft()
                self._in_flight += 1
                try:
                    again = await self._send_one(number)
                finally:
                    self._in_flight -= 1
                    self._reload(number)
                if again:
                    queue.append(number)
                self._write_results()
                self._report()

        await asyncio.gather(*(sender() for _ in range(min(self.concurrency, len(queue)))))

    async def _send_one(self, number: int) -> bool:
        """Send one row; True when it should go back in the queue (not sent, try later)."""
        from fintoc_tui.api.errors import (
            AuthenticationError,
            FintocError,
            InvalidRequestError,
            NetworkError,
            OutcomeUnknownError,
        )
        from fintoc_tui.api.submit import JournaledFailure, StaleEntryError

        row = self._rows[number]
        entry = await asyncio.to_thread(self.journal.get, row.idempotency_key)
        if entry is None:  # pragma: no cover - _journal_all ran first
            raise RuntimeError(f"row {number} was not journaled")
        try:
            transfer = await self.submitter.send(entry)
        except (OutcomeUnknownError, StaleEntryError) as exc:
            self.state.mark_unknown(number, message=exc.message)
        except JournaledFailure as exc:
            self.state.mark_refused(number, code=exc.code, message=exc.message)
        except AuthenticationError as exc:
            self.state.mark_refused(number, code=exc.code, message=exc.message)
            self.stopped = (
                f"Fintoc refused the credentials ({exc.code or exc.status}): {exc.message}"
            )
        except InvalidRequestError as exc:
            self.state.mark_refused(number, code=exc.code, message=exc.message)
        except FintocError as exc:
            # Not made (429s to the end, or no connection): send it again later.
            self.state.mark_queued(number, message=exc.message)
            if isinstance(exc, NetworkError):
                self._connect_failures += 1
                if self._connect_failures >= MAX_CONNECT_FAILURES:
                    self.stopped = f"cannot reach Fintoc: {exc.message}"
            self._requeues[number] = self._requeues.get(number, 0) + 1
            return self._requeues[number] < MAX_REQUEUES and not self._halted()
        else:
            self._connect_failures = 0
            self.state.mark_made(
                number,
                transfer_id=transfer.id,
                status=str(transfer.status),
                transaction_date=_iso(transfer.transaction_date),
                tracking_key=transfer.tracking_key,
            )
        self._finished.append(self._clock())
        return False

    # -- 4. follow ---------------------------------------------------------------------------

    async def _follow(self) -> None:
        if self.follow_seconds <= 0:
            return
        self._phase = "following"
        deadline = self._clock() + self.follow_seconds
        while not self._halted():
            pending = self._pending()
            if not pending or self._clock() >= deadline:
                return
            self._report()
            await self._pause_for(self.poll_interval)
            if self._halted():
                return
            await self._refresh(pending)
            self._write_results(force=True)

    def _pending(self) -> list[RowState]:
        return [
            row
            for row in self._rows.values()
            if row.status == "made" and row.transfer_status not in FINAL_STATUSES
        ]

    async def _refresh(self, pending: list[RowState]) -> None:
        """New statuses for `pending`, listing each source account's transfers since the first."""
        client = self.submitter.client
        wanted = {row.transfer_id: row for row in pending if row.transfer_id}
        by_account: dict[str, list[RowState]] = {}
        for row in wanted.values():
            by_account.setdefault(row.account_id, []).append(row)
        for account_id, rows in by_account.items():
            dates = [r.transaction_date for r in rows if r.transaction_date]
            since = None
            if dates:
                since = datetime.fromisoformat(min(dates).replace("Z", "+00:00"))
                since -= timedelta(seconds=1)
            left = {r.transfer_id for r in rows}
            async for transfer in client.iter_transfers(
                account_id=account_id, direction="outbound", since=since, limit=300
            ):
                mine = wanted.get(transfer.id)
                if mine is not None:
                    left.discard(transfer.id)
                    if transfer.status != mine.transfer_status:
                        self.state.update_transfer(
                            mine.number,
                            status=str(transfer.status),
                            tracking_key=transfer.tracking_key,
                        )
                        self._reload(mine.number)
                if not left:
                    break

    # -- reporting ---------------------------------------------------------------------------

    def _write_results(self, *, force: bool = False) -> None:
        now = self._clock()
        if force or now - self._last_write >= 1.0:
            self._last_write = now
            write_results(self.results_path, sorted_rows(self._rows), self.planned)

    def progress(self) -> Progress:
        counts = _counts(self._rows.values())
        now = self._clock()
        # Rows finished over the last 10 s (or since sending began), once a second has passed.
        start = max(now - 10.0, self._started if self._started is not None else now)
        span = now - start
        rate = sum(1 for t in self._finished if t > start) / span if span >= 1.0 else 0.0
        remaining = counts["queued"] + counts["unknown"]
        eta = remaining / rate if rate > 0 and remaining else (0.0 if not remaining else None)
        return Progress(
            phase=self._phase,
            total=sum(counts[k] for k in ("made", "refused", "unknown", "queued")),
            made=counts["made"],
            refused=counts["refused"],
            unknown=counts["unknown"],
            queued=counts["queued"],
            in_flight=self._in_flight,
            pending=counts["pending"],
            rate=rate,
            eta_seconds=eta,
            rate_limited=self._rate_limited(),
        )

    def _report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.progress())


def sorted_rows(rows: dict[int, RowState]) -> list[RowState]:
    return [rows[number] for number in sorted(rows)]


def _counts(rows: Iterable[RowState]) -> dict[str, int]:
    counts = {"made": 0, "refused": 0, "unknown": 0, "queued": 0, "pending": 0}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        if row.status == "made" and row.transfer_status not in FINAL_STATUSES:
            counts["pending"] += 1
    return counts


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def discard_unsent(
    state: BatchState, journal: Any, environment: str
) -> tuple[list[int], list[int]]:
    """Give up the rows of a paused batch that never reached Fintoc: (discarded, left).

    A row is discarded only when its journal entry was never sent (no attempt,
    or only attempts that could not connect): its entry is closed as
    "discarded" and the row marked refused, so nothing sends it behind the
    person's back (`journal resolve`, the app's recovery) and running the
    batch again would send it with a new key. Rows that may have reached
    Fintoc are left: only asking Fintoc (running the batch again) settles them.
    """
    from fintoc_tui.api.submit import never_sent

    discarded: list[int] = []
    left: list[int] = []
    for row in state.rows():
        if row.status not in ("queued", "unknown"):
            continue
        entry = journal.get(row.idempotency_key)
        if entry is not None and entry.environment != environment:
            left.append(row.number)
            continue
        if entry is None or never_sent(entry):
            if entry is not None:
                journal.record_failure(
                    row.idempotency_key, code="discarded", message="Discarded before it was sent."
                )
            state.mark_refused(
                row.number,
                code="discarded",
                message="Discarded before it was sent; running the batch again sends it.",
            )
            discarded.append(row.number)
        else:
            left.append(row.number)
    return discarded, left
