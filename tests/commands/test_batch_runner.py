"""The batch runner against the real sandbox in process, on virtual time (no sleeps, no timing).

The sandbox, the client's JWS timestamps, its retry waits and the token bucket
all read one `ManualClock`; every wait advances it. Rates are then asserted on
the clock's own readings, which only move forward.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
import pytest
from batch_helpers import mixed_rows, mx_row, write_batch

from fintoc_tui.api.client import FintocClient, RetryPolicy
from fintoc_tui.api.jws import JWSSigner, generate_keypair
from fintoc_tui.api.submit import TransferSubmitter
from fintoc_tui.batch.csvfile import read_batch
from fintoc_tui.batch.ratelimit import RateLimitedTransport, TokenBucket
from fintoc_tui.batch.runner import BatchRunner
from fintoc_tui.batch.state import BatchState, state_path_for
from fintoc_tui.batch.validate import plan_batch
from fintoc_tui.clock import ManualClock
from fintoc_tui.journal import Journal
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.faults import Faults
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.store import SandboxStore

NOW = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)


@pytest.fixture(scope="module")
def keys():
    private_pem, public_pem = generate_keypair()
    return JWSSigner.from_pem(private_pem), public_pem


class World:
    """A sandbox in process, a client on virtual time, and what went over the wire."""

    def __init__(self, keys, tmp_path, *, faults: Faults | None = None, rate: float = 10.0):
        signer, public_pem = keys
        self.clock = ManualClock(NOW)
        self.store = SandboxStore(None)
        seed_store(self.store, transfers=20, now=self.clock.now())
        self.faults = faults or Faults()
        app = create_app(
            self.store, self.clock, jws_public_pems=[public_pem], faults=self.faults,
            settle_after=4.0,
        )  # fmt: skip
        self.sent_at: list[float] = []
        self.bucket = TokenBucket(rate, clock=self.clock.time, sleep=self.sleep)
        self.transport = RateLimitedTransport(
            httpx.ASGITransport(app=app),
            self.bucket,
            on_send=self._on_send,
        )
        self.journaled_at_first_send: int | None = None
        self.client = FintocClient(
            SANDBOX_SECRET_KEY, base_url="http://sandbox.test", transport=self.transport,
            jws_signer=signer, clock=self.clock, sleep=self.sleep,
            retry=RetryPolicy(max_attempts=5, seed=1),
        )  # fmt: skip
        self.tmp = tmp_path
        self.journal = Journal(tmp_path / "journal.sqlite3", clock=self.clock)

    def _on_send(self, request: httpx.Request) -> None:
        if self.journaled_at_first_send is None:
            self.journaled_at_first_send = len(self.journal.entries(limit=10_000))
        self.sent_at.append(self.clock.time())

    async def sleep(self, seconds: float) -> None:
        self.clock.advance(max(seconds, 0.0))
        await asyncio.sleep(0)

    async def accounts(self):
        return await self.client.list_accounts()

    def outbound(self) -> list[dict]:
        """Every transfer the batch rows made (they carry `metadata.row`)."""
        with self.store.reading() as db:
            rows = db.execute("SELECT data FROM transfers").fetchall()
        transfers = [json.loads(data) for (data,) in rows]
        return [t for t in transfers if t["direction"] == "outbound" and t["metadata"].get("row")]

    async def run(self, path, *, pause_after: int | None = None, follow: float = 30.0, **kw):
        file = read_batch(path)
        results = path.with_name(path.stem + ".results.csv")
        state_path = state_path_for(results, file.sha256)
        plan, _made = await plan_batch(self.client, file, state_path, now=self.clock.now())
        assert plan.ok, plan.problems
        state = BatchState.open(state_path, sha256=file.sha256, environment="sandbox", source=path)
        pause = asyncio.Event()
        seen = []

        def progress(p):
            seen.append(p)
            if pause_after is not None and p.made >= pause_after:
                pause.set()

        submitter = TransferSubmitter(self.client, self.journal, "sandbox", clock=self.clock)
        runner = BatchRunner(
            plan, state, submitter, results, pause=pause, on_progress=progress,
            follow_seconds=follow, clock=self.clock.time, sleep=self.sleep,
            rate_limited=lambda: self.transport.rate_limited, **kw,
        )  # fmt: skip
        try:
            outcome = await runner.run()
        finally:
            state.close()
        return outcome, results, seen


def _windows(times: list[float], width: float = 1.0 - 1e-5) -> int:
    """The most requests in any window of `width` seconds (less the clock's microsecond grain)."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= width:
            start += 1
        best = max(best, end - start + 1)
    return best


def _results(path):
    import csv

    return list(csv.DictReader(path.open(encoding="utf-8")))


async def test_sends_every_row_once_at_the_rate_limit_and_follows(keys, tmp_path):
    world = World(keys, tmp_path)
    path = write_batch(tmp_path / "b.csv", mixed_rows(40, seed=2))
    outcome, results, seen = await world.run(path)
    assert (outcome.made, outcome.refused, outcome.unknown, outcome.queued) == (40, 0, 0, 0)
    assert outcome.pending == 0 and outcome.by_status == {"succeeded": 40}
    made = world.outbound()
    assert sorted(int(t["metadata"]["row"]) for t in made) == list(range(40))
    rows = _results(results)
    assert [int(r["row"]) for r in rows] == list(range(2, 42))
    assert {r["status"] for r in rows} == {"succeeded"}
    assert {r["transfer_id"] for r in rows} == {t["id"] for t in made}
    assert all(r["tracking_key"] for r in rows if r["currency"] == "MXN")
    # At most 10 transfer requests in any second, spaced by the bucket.
    assert len(world.sent_at) == 40 and _windows(world.sent_at) <= 10
    assert min(b - a for a, b in zip(world.sent_at, world.sent_at[1:], strict=False)) >= 0.1 - 1e-6
    # Every row was journaled before the first request left.
    assert world.journaled_at_first_send == 40
    assert seen[0].phase == "journaling" and seen[-1].phase == "done"
    entries = world.journal.entries(limit=100)
    assert len(entries) == 40 and {e.state for e in entries} == {"succeeded"}


async def test_drops_and_429s_still_pay_each_row_exactly_once(keys, tmp_path):
    faults = Faults(drop_rate=0.2, rate_limit_rate=0.1, methods=frozenset({"POST"}), seed=11)
    world = World(keys, tmp_path, faults=faults)
    path = write_batch(tmp_path / "f.csv", mixed_rows(60, seed=3))
    outcome, results, _ = await world.run(path)
    assert outcome.made == 60 and outcome.unknown == 0, outcome
    made = world.outbound()
    assert len(made) == 60
    assert sorted(int(t["metadata"]["row"]) for t in made) == list(range(60))
    assert world.transport.rate_limited > 0
    # A 429 held everyone for its Retry-After (1 s): still never more than 10 in a second.
    assert _windows(world.sent_at) <= 10
    assert len({r["transfer_id"] for r in _results(results)}) == 60


async def test_pause_then_resume_pays_the_rest_once(keys, tmp_path):
    world = World(keys, tmp_path)
    path = write_batch(tmp_path / "p.csv", mixed_rows(30, seed=5))
    first, results, _ = await world.run(path, pause_after=8)
    assert first.paused and 8 <= first.made < 30
    assert len(world.outbound()) == first.made
    statuses = {r["status"] for r in _results(results)}
    assert "not_sent" in statuses
    second, _, _ = await world.run(path)
    assert not second.paused and second.made == 30
    assert sorted(int(t["metadata"]["row"]) for t in world.outbound()) == list(range(30))


async def test_unknown_outcomes_are_asked_again_with_the_same_key(keys, tmp_path):
    faults = Faults(methods=frozenset({"POST"}))
    world = World(keys, tmp_path, faults=faults)
    path = write_batch(tmp_path / "u.csv", mixed_rows(5, seed=6))
    faults.force_next("drop", 5)  # the first row: every attempt commits, then drops
    outcome, _results_path, seen = await world.run(path, concurrency=1)
    assert outcome.made == 5 and outcome.unknown == 0
    assert any(p.unknown == 1 for p in seen)  # it was unknown, then resolved
    assert len(world.outbound()) == 5


class SpentMeanwhile(httpx.AsyncBaseTransport):
    """The account's money is spent elsewhere just as one row is sent, and comes back after.

    What only Fintoc can refuse: the plan saw enough money, the send does not
    (the sandbox no longer has a counterparty that answers 409 by magic).
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, store: SandboxStore, row: str) -> None:
        self.inner, self.store, self.row = inner, store, row

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        body = json.loads(request.content or b"{}") if request.method == "POST" else {}
        if request.url.path != "/v2/transfers" or body.get("metadata", {}).get("row") != self.row:
            return await self.inner.handle_async_request(request)
        from fintoc_tui.sandbox import ledger

        account = body["account_id"]
        with self.store.transaction() as db:
            held = self.store.balances()[account]
            ledger.debit(db, account, held)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            with self.store.transaction() as db:
                ledger.credit(db, account, held)


async def test_refused_rows_are_reported_and_retried_with_a_new_key(keys, tmp_path):
    world = World(keys, tmp_path)
    import random

    rows = [mx_row(i, random.Random(i)) for i in range(3)]
    world.transport.inner = SpentMeanwhile(world.transport.inner, world.store, row="1")
    path = write_batch(tmp_path / "r.csv", rows)
    outcome, results, _ = await world.run(path)
    assert (outcome.made, outcome.refused) == (2, 1)
    refused = next(r for r in _results(results) if r["row"] == "3")
    assert refused["status"] == "refused" and refused["error_code"] == "insufficient_balance"
    old_key = refused["idempotency_key"]
    again, results, _ = await world.run(path)
    assert (again.made, again.refused) == (2, 1)
    assert next(r for r in _results(results) if r["row"] == "3")["idempotency_key"] != old_key
    assert len(world.outbound()) == 2


async def test_refused_credentials_stop_the_batch(keys, tmp_path):
    world = World(keys, tmp_path)
    world.client = FintocClient(
        SANDBOX_SECRET_KEY,
        base_url="http://sandbox.test",
        transport=world.transport,
        clock=world.clock,
        sleep=world.sleep,
    )  # fmt: skip  (no JWS signer: the sandbox answers 401)
    path = write_batch(tmp_path / "a.csv", mixed_rows(12, seed=8))
    outcome, _, _ = await world.run(path, concurrency=1)
    assert outcome.stopped and "missing_jws_signature_header" in outcome.stopped
    assert outcome.refused == 1 and outcome.queued == 11 and outcome.made == 0


async def test_token_bucket_holds_everyone_for_retry_after():
    clock = ManualClock(NOW)

    async def sleep(seconds):
        clock.advance(seconds)

    bucket = TokenBucket(10, clock=clock.time, sleep=sleep)
    times = []
    for i in range(25):
        if i == 5:
            bucket.hold(3.0)
        await bucket.acquire()
        times.append(clock.time() - NOW.timestamp())
    assert times[:5] == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])
    assert times[5] >= 0.4 + 3.0 - 1e-9
    assert _windows(times) <= 10


async def test_a_429_holds_every_sender_for_its_retry_after():
    """The transport alone: after a 429 with Retry-After 2, no transfer request for 2 s."""
    clock = ManualClock(NOW)

    async def sleep(seconds):
        clock.advance(seconds)

    answers = iter([429, 201, 201, 200])

    class Fintoc(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            status = next(answers)
            return httpx.Response(status, headers={"Retry-After": "2"} if status == 429 else {})

    sent = []
    transport = RateLimitedTransport(
        Fintoc(), TokenBucket(10, clock=clock.time, sleep=sleep),
        on_send=lambda request: sent.append(clock.time() - NOW.timestamp()),
    )  # fmt: skip
    async with httpx.AsyncClient(transport=transport, base_url="http://f.test") as client:
        for _ in range(3):
            await client.post("/v2/transfers", content=b"{}")
        await client.get("/v2/transfers")  # not a transfer request: no token, not counted
    assert transport.rate_limited == 1
    # Held for the Retry-After, then the bucket starts empty: the next token 0.1 s later.
    assert sent == pytest.approx([0.0, 2.1, 2.2])


async def test_an_unknown_row_left_by_one_run_is_asked_with_the_same_key_by_the_next(
    keys, tmp_path
):
    faults = Faults(methods=frozenset({"POST"}))
    world = World(keys, tmp_path, faults=faults)
    path = write_batch(tmp_path / "k.csv", mixed_rows(5, seed=13))
    faults.force_next("drop", 5)  # every attempt of the first row commits, then drops
    first, results, _ = await world.run(path, concurrency=1, resolve_rounds=0)
    assert first.unknown == 1 and first.made == 4
    unknown = next(r for r in _results(results) if r["status"] == "unknown")
    assert len(world.outbound()) == 5  # it was made; we just do not know it yet
    second, results, _ = await world.run(path)
    assert second.made == 5 and second.unknown == 0
    again = next(r for r in _results(results) if r["row"] == unknown["row"])
    assert again["idempotency_key"] == unknown["idempotency_key"]
    assert len(world.outbound()) == 5  # found, not paid again


async def test_a_row_paid_but_not_yet_recorded_does_not_block_the_resume(keys, tmp_path):
    """Killed between Fintoc's answer and our writes: the row's own transfer is today's,
    and its money has left the balance; resuming must not call it a duplicate, and pays
    nothing twice."""
    import random

    from batch_helpers import cl_row

    world = World(keys, tmp_path)
    rng = random.Random(31)
    path = write_batch(tmp_path / "cl.csv", [cl_row(i, rng) for i in range(6)])
    first, results, _ = await world.run(path, pause_after=3, concurrency=1)
    assert first.paused and first.made >= 3
    row = next(r for r in _results(results) if r["status"] not in ("not_sent", "unknown"))
    number, key = int(row["row"]), row["idempotency_key"]
    sha = read_batch(path).sha256
    state = BatchState.open(
        state_path_for(results, sha), sha256=sha, environment="sandbox", source=path
    )
    state.mark_queued(number)
    state.close()
    world.journal._conn.execute(
        "UPDATE entries SET state = 'prepared', transfer_id = NULL, transfer_status = NULL "
        "WHERE idempotency_key = ?",
        (key,),
    )
    second, results, _ = await world.run(path)
    assert second.made == 6 and second.unknown == 0
    assert sorted(int(t["metadata"]["row"]) for t in world.outbound()) == list(range(6))
    again = next(r for r in _results(results) if int(r["row"]) == number)
    assert again["transfer_id"] == row["transfer_id"]  # the same transfer, found again


async def test_a_paused_batch_can_give_up_its_unsent_rows(keys, tmp_path):
    from fintoc_tui.batch.runner import discard_unsent

    world = World(keys, tmp_path)
    path = write_batch(tmp_path / "g.csv", mixed_rows(20, seed=12))
    first, results, _ = await world.run(path, pause_after=5)
    assert first.paused
    sha = read_batch(path).sha256
    state = BatchState.open(
        state_path_for(results, sha), sha256=sha, environment="sandbox", source=path
    )
    discarded, left = discard_unsent(state, world.journal, "sandbox")
    state.close()
    assert len(discarded) == 20 - first.made - len(left) and left == []
    assert world.journal.unresolved() == []  # nothing left for `journal resolve` to send
    assert {e.error_code for e in world.journal.entries(limit=100) if e.state == "failed"} == {
        "discarded"
    }
    assert len(world.outbound()) == first.made
    again, _, _ = await world.run(path)  # running it again sends them after all, with new keys
    assert again.made == 20 and len(world.outbound()) == 20
