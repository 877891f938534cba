"""The Batch screen's rate: a token before each row, on virtual time against the real sandbox.

The sandbox, the client's JWS timestamps and retry waits, the token bucket and
the runner all read one `ManualClock`; every wait advances it, so rates are
asserted on the clock's own readings (no sleeps, no timing).
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from itertools import pairwise

import httpx
import pytest
from batch_files import good_rows, write_batch

from fintoc_tui.api.client import FintocClient, RetryPolicy
from fintoc_tui.api.jws import JWSSigner, generate_keypair
from fintoc_tui.api.submit import TransferSubmitter
from fintoc_tui.batch.ratelimit import TokenBucket
from fintoc_tui.batch.runner import BatchRunner
from fintoc_tui.batch.state import BatchState
from fintoc_tui.clock import ManualClock
from fintoc_tui.journal import Journal
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.faults import Faults
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.store import SandboxStore
from fintoc_tui.ui.batch.check import check_batch
from fintoc_tui.ui.batch.rate_limit import RateLimitedSubmitter

NOW = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)


class Recorder(httpx.AsyncBaseTransport):
    """The sandbox in process; notes when each POST /v2/transfers left, by the clock."""

    def __init__(self, inner: httpx.AsyncBaseTransport, clock: ManualClock) -> None:
        self.inner = inner
        self.clock = clock
        self.posts: list[tuple[float, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/v2/transfers":
            self.posts.append((self.clock.time(), request.headers["Idempotency-Key"]))
        return await self.inner.handle_async_request(request)


class NotedBucket(TokenBucket):
    """The real bucket; notes the clock each time it hands out a token (a row starts)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.given: list[float] = []

    async def acquire(self) -> None:
        await super().acquire()
        self.given.append(self._clock())


def most_in_one_second(times: list[float]) -> int:
    """The most requests in any window of one second (less the clock's microsecond grain)."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0 - 1e-5:
            start += 1
        best = max(best, end - start + 1)
    return best


class World:
    """A seeded sandbox in process, a client and a submitter on one virtual clock."""

    def __init__(self, tmp_path, faults: Faults | None = None) -> None:
        self.clock = ManualClock(NOW)
        private_pem, public_pem = generate_keypair()
        self.store = SandboxStore(None)
        seed_store(self.store, transfers=10, now=self.clock.now())
        faults = faults or Faults()
        sandbox = create_app(self.store, self.clock, jws_public_pems=[public_pem], faults=faults)
        self.recorder = Recorder(httpx.ASGITransport(app=sandbox), self.clock)
        self.client = FintocClient(
            SANDBOX_SECRET_KEY, base_url="http://sandbox.test", transport=self.recorder,
            jws_signer=JWSSigner.from_pem(private_pem), clock=self.clock, sleep=self.sleep,
            retry=RetryPolicy(max_attempts=2, seed=1),
        )  # fmt: skip
        self.journal = Journal(tmp_path / "journal.sqlite3", clock=self.clock)
        submitter = TransferSubmitter(self.client, self.journal, "sandbox", clock=self.clock)
        self.bucket = NotedBucket(10.0, clock=self.clock.time, sleep=self.sleep)
        self.limited = RateLimitedSubmitter(submitter, self.bucket)

    async def sleep(self, seconds: float) -> None:
        self.clock.advance(max(seconds, 0.0))
        await asyncio.sleep(0)

    def rows_made(self) -> list[int]:
        with self.store.reading() as db:
            made = [json.loads(data) for (data,) in db.execute("SELECT data FROM transfers")]
        return sorted(int(t["metadata"]["row"]) for t in made if t["metadata"].get("row"))

    async def close(self) -> None:
        self.journal.close()
        await self.client.aclose()
        self.store.close()


async def run_batch(tmp_path, rows: int, faults: Faults | None = None):
    world = World(tmp_path, faults)
    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=rows, cl=0))
    checked = await check_batch(world.client, "sandbox", str(path))
    state = BatchState.open(
        checked.state_path, sha256=checked.file.sha256, environment="sandbox", source=path
    )
    limited = world.limited
    try:
        runner = BatchRunner(
            checked.plan, state, limited, checked.results, follow_seconds=0,
            clock=world.clock.time, sleep=world.sleep, rate_limited=lambda: limited.rate_limited,
        )  # fmt: skip
        outcome = await runner.run()
    finally:
        state.close()
    rows_made = world.rows_made()
    await world.close()
    return outcome, world.recorder.posts, rows_made, limited, world.bucket.given


async def test_rows_start_at_most_ten_a_second(tmp_path):
    outcome, posts, rows_made, _, times = await run_batch(tmp_path, 25)
    assert outcome.made == 25 and rows_made == list(range(1, 26))
    assert len(posts) == len(times) == 25 and most_in_one_second(times) <= 10
    assert min(b - a for a, b in pairwise(times)) >= 0.1 - 1e-6
    assert times[-1] - times[0] >= 2.4 - 1e-6


async def test_with_429s_every_row_is_paid_once_and_starts_stay_under_the_limit(tmp_path):
    faults = Faults(rate_limit_rate=0.4, retry_after=3, methods=frozenset({"POST"}), seed=4)
    outcome, posts, rows_made, limited, times = await run_batch(tmp_path, 20, faults)
    assert limited.rate_limited > 0
    assert outcome.made == 20 and rows_made == list(range(1, 21))
    assert len({key for _, key in posts}) == 20  # a row turned away by a 429 keeps its key
    assert most_in_one_second(times) <= 10


async def test_a_429_that_outlasts_the_retries_holds_every_row_for_its_retry_after(tmp_path):
    from fintoc_tui.api.errors import RateLimitError

    faults = Faults(retry_after=3, methods=frozenset({"POST"}))
    world = World(tmp_path, faults)
    try:
        path = write_batch(tmp_path / "payouts.csv", good_rows(mx=1, cl=0))
        checked = await check_batch(world.client, "sandbox", str(path))
        entry = await world.limited.submitter.prepare(checked.plan.rows[0].draft.request)
        faults.force_next("rate_limit", 2)  # both of the client's attempts
        with pytest.raises(RateLimitError):
            await world.limited.send(entry)
        assert world.limited.rate_limited == 1
        before = world.clock.time()
        await world.bucket.acquire()  # the next row
        assert world.clock.time() - before >= 3.0 - 1e-6
        assert world.rows_made() == []
    finally:
        await world.close()
