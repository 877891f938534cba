"""The client's test bench: the real sandbox in process, a JWS keypair, a fake sleep.

Nothing here is a mock: requests go through `httpx.ASGITransport` into the
sandbox app. `RecordingTransport` only passes requests through and keeps a
copy, so tests can look at the exact headers and bytes that went out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest

from fintoc_tui.api.client import FintocClient, RetryPolicy
from fintoc_tui.api.jws import JWSSigner, generate_keypair
from fintoc_tui.api.models import TransferRequest
from fintoc_tui.clock import ManualClock
from fintoc_tui.journal import Journal
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.faults import Faults
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.store import SandboxStore

BASE_URL = "http://sandbox.test"
START = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)
# A valid CLABE the sandbox lets succeed (its "succeeded" magic counterparty).
GOOD_CLABE = "012180000000000015"


class RecordingTransport(httpx.AsyncBaseTransport):
    """Pass-through transport that remembers every request it forwarded."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def posts(self, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == "POST" and r.url.path == path]


@dataclass
class Sleeps:
    """A sleep that only records and moves the sandbox clock: retries cost no time."""

    clock: ManualClock
    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.advance(seconds)


@dataclass
class Sandbox:
    store: SandboxStore
    clock: ManualClock
    faults: Faults
    app: object
    signer: JWSSigner
    sleeps: Sleeps

    def transport(self) -> RecordingTransport:
        return RecordingTransport(httpx.ASGITransport(app=self.app))

    def client(self, **kwargs) -> FintocClient:
        options = {
            "base_url": BASE_URL,
            "transport": self.transport(),
            "jws_signer": self.signer,
            "clock": self.clock,
            "sleep": self.sleeps,
            "retry": RetryPolicy(seed=1),
        }
        options.update(kwargs)
        secret = options.pop("secret_key", SANDBOX_SECRET_KEY)
        return FintocClient(secret, **options)

    def account_id(self, currency: str = "MXN") -> str:
        ids = [
            account_id
            for account_id in self.store.balances()
            if self.store.get("accounts", account_id)["currency"] == currency
        ]
        return ids[0]

    def balance(self, currency: str = "MXN") -> int:
        return self.store.balances()[self.account_id(currency)]


@pytest.fixture(scope="session")
def jws_keypair() -> tuple[bytes, bytes]:
    return generate_keypair()


@pytest.fixture(scope="session")
def jws_public_pem(jws_keypair) -> bytes:
    return jws_keypair[1]


@pytest.fixture(scope="session")
def signer(jws_keypair) -> JWSSigner:
    return JWSSigner.from_pem(jws_keypair[0])


@pytest.fixture(scope="session")
def make_sandbox(jws_keypair, signer):
    """A factory: a freshly seeded in-memory sandbox per call."""

    def make(*, transfers: int = 40, seed: int = 7) -> Sandbox:
        clock = ManualClock(START)
        store = SandboxStore(None)
        seed_store(store, seed=seed, transfers=transfers, now=clock.now())
        faults = Faults(seed=11)
        app = create_app(store, clock, jws_public_pems=[jws_keypair[1]], faults=faults)
        return Sandbox(store, clock, faults, app, signer, Sleeps(clock))

    return make


@pytest.fixture
def sandbox(make_sandbox):
    box = make_sandbox()
    yield box
    box.store.close()


@pytest.fixture
async def client(sandbox):
    async with sandbox.client() as client:
        yield client


@pytest.fixture
def journal(sandbox):
    with Journal(clock=sandbox.clock) as journal:
        yield journal


def _mx_request(
    account_id: str, amount: int = 10_000, *, clabe: str = GOOD_CLABE, comment: str = "Pago"
) -> TransferRequest:
    return TransferRequest.model_validate(
        {
            "amount": amount,
            "currency": "MXN",
            "account_id": account_id,
            "counterparty": {"account_number": clabe, "holder_name": "Proveedora Éxito"},
            "comment": comment,
        }
    )


@pytest.fixture(scope="session")
def mx_request():
    """Builds a valid MXN TransferRequest: `mx_request(account_id, amount, clabe=, comment=)`."""
    return _mx_request


@pytest.fixture
def live_sandbox(jws_keypair):
    """The sandbox on a real loopback socket, on the system clock (for child processes)."""
    from fintoc_tui.clock import SystemClock
    from fintoc_tui.sandbox.server import SandboxServer

    clock = SystemClock()
    store = SandboxStore(None)
    seed_store(store, transfers=40, now=clock.now())
    app = create_app(store, clock, jws_public_pems=[jws_keypair[1]])
    with SandboxServer(app) as server:
        yield server, store
    store.close()


@pytest.fixture
def pem_file(tmp_path, jws_keypair):
    """The JWS private key on disk, private, as the CLI keeps it (for child processes)."""
    path = tmp_path / "jws.pem"
    path.write_bytes(jws_keypair[0])
    path.chmod(0o600)
    return path
