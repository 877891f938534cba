"""FintocClient over a real loopback socket (uvicorn in a thread), not ASGITransport."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fintoc_tui.api.client import FintocClient, RetryPolicy
from fintoc_tui.api.errors import NetworkError, OutcomeUnknownError
from fintoc_tui.api.jws import JWSSigner, generate_keypair
from fintoc_tui.api.models import TransferRequest
from fintoc_tui.clock import ManualClock
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.faults import Faults
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore

pytestmark = pytest.mark.e2e


class ClientPorts:
    """ASGI wrapper noting which client socket each request came in on."""

    def __init__(self, app) -> None:
        self.app = app
        self.ports: list[int] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("client"):
            self.ports.append(scope["client"][1])
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def keys():
    private_pem, public_pem = generate_keypair()
    return JWSSigner.from_pem(private_pem), public_pem


@pytest.fixture(scope="module")
def served(keys):
    _signer, public_pem = keys
    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    store = SandboxStore(None)
    seed_store(store, transfers=1500, now=clock.now())
    faults = Faults(seed=3)
    app = ClientPorts(create_app(store, clock, jws_public_pems=[public_pem], faults=faults))
    with SandboxServer(app) as server:
        yield server, store, faults, clock, app
    store.close()


@pytest.fixture
async def client(served, keys):
    server, _store, faults, clock, _app = served
    faults.clear()

    async def no_wait(seconds: float) -> None:
        clock.advance(seconds)

    async with FintocClient(
        SANDBOX_SECRET_KEY,
        base_url=server.base_url,
        jws_signer=keys[0],
        clock=clock,
        sleep=no_wait,
        retry=RetryPolicy(seed=2),
    ) as client:
        yield client
    faults.clear()


def mxn_account(store: SandboxStore) -> str:
    return next(a for a in store.balances() if store.get("accounts", a)["currency"] == "MXN")


async def test_pages_through_every_transfer_on_one_connection(client, served):
    _server, store, _faults, _clock, app = served
    app.ports.clear()
    # The 1,500 seeded, plus any the other tests of this module made first (any order).
    stored = store.count("transfers")
    assert stored >= 1500
    outbound = [t async for t in client.iter_transfers(direction="outbound", limit=100)]
    everything = [t async for t in client.iter_transfers(limit=300)]
    assert len(everything) == stored
    assert len({t.id for t in everything}) == stored  # no page repeated or skipped
    assert [t.id for t in everything if t.direction == "outbound"] == [t.id for t in outbound]
    assert len(app.ports) > 10
    assert len(set(app.ports)) == 1  # one pooled keep-alive connection throughout


async def test_dropped_connection_after_commit_still_one_transfer(client, served):
    _server, store, faults, _clock, _app = served
    account_id = mxn_account(store)
    before = store.count("transfers")
    request = TransferRequest.model_validate(
        {
            "amount": 2_500,
            "currency": "MXN",
            "account_id": account_id,
            "counterparty": {"account_number": "012180000000000015"},
        }
    )
    faults.force_next("drop")
    transfer = await client.create_transfer(request, idempotency_key="loopback-drop-1")
    assert store.count("transfers") == before + 1
    assert store.get("transfers", transfer.id)["amount"] == 2_500

    faults.force_next("drop", 4)
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.create_transfer(request, idempotency_key="loopback-drop-2")
    assert caught.value.idempotency_key == "loopback-drop-2"
    assert isinstance(caught.value.last_error, NetworkError)
    assert store.count("transfers") == before + 2
    again = await client.create_transfer(request, idempotency_key="loopback-drop-2")
    assert store.count("transfers") == before + 2
    assert store.get("transfers", again.id) is not None
