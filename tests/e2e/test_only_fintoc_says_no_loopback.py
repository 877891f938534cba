"""Only Fintoc can say no, over a real loopback socket (uvicorn), not ASGITransport.

The sandbox commits the transfer and closes the connection mid-answer (a real
`RemoteProtocolError`); an `Intermediary` in front of it, on the same server,
then answers the retries as a proxy would. Journal `unknown`, exactly one
transfer, and resolving later finds it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fintoc_tui.api.client import FintocClient, RetryPolicy
from fintoc_tui.api.errors import OutcomeUnknownError, UnexpectedResponseError
from fintoc_tui.api.jws import JWSSigner, generate_keypair
from fintoc_tui.api.models import SimulateReceiveTransferRequest, TransferRequest
from fintoc_tui.api.submit import TransferSubmitter
from fintoc_tui.clock import ManualClock
from fintoc_tui.journal import Journal
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.faults import Faults
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore
from fintoc_tui.testing.intermediary import NOT_FINTOC_ANSWERS, Intermediary

pytestmark = pytest.mark.e2e

RETRIES = 3


@pytest.fixture(scope="module")
def keys() -> tuple[JWSSigner, bytes]:
    private_pem, public_pem = generate_keypair()
    return JWSSigner.from_pem(private_pem), public_pem


@pytest.fixture
def served(keys):
    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    store = SandboxStore(None)
    seed_store(store, transfers=10, now=clock.now())
    faults = Faults(seed=5)
    proxy = Intermediary(create_app(store, clock, jws_public_pems=[keys[1]], faults=faults))
    with SandboxServer(proxy) as server:
        yield server, store, faults, clock, proxy
    store.close()


@pytest.fixture
async def submitter(served, keys):
    server, _store, _faults, clock, _proxy = served

    async def no_wait(seconds: float) -> None:
        clock.advance(seconds)

    with Journal(clock=clock) as journal:
        async with FintocClient(
            SANDBOX_SECRET_KEY,
            base_url=server.base_url,
            jws_signer=keys[0],
            clock=clock,
            sleep=no_wait,
            retry=RetryPolicy(seed=4),
        ) as client:
            yield TransferSubmitter(client, journal, "sandbox", clock=clock)


def mxn_account(store: SandboxStore) -> str:
    return next(a for a in store.balances() if store.get("accounts", a)["currency"] == "MXN")


@pytest.mark.parametrize("case", ["499-empty", "403-html", "302-to-login"])
async def test_a_transfer_answered_by_a_proxy_after_a_real_drop(case, served, submitter):
    _server, store, faults, _clock, proxy = served
    account_id = mxn_account(store)
    before, balance = store.count("transfers"), store.balances()[account_id]
    request = TransferRequest.model_validate(
        {
            "amount": 7_531,
            "currency": "MXN",
            "account_id": account_id,
            "counterparty": {"account_number": "012180000000000015"},
        }
    )
    entry = await submitter.prepare(request)
    faults.force_next("drop")
    proxy.script(None, *[NOT_FINTOC_ANSWERS[case]] * RETRIES)

    with pytest.raises(OutcomeUnknownError) as caught:
        await submitter.send(entry)

    assert isinstance(caught.value.last_error, UnexpectedResponseError)
    assert proxy.answered == RETRIES
    assert submitter.journal.get(entry.idempotency_key).state == "unknown"
    assert store.count("transfers") == before + 1
    hosts = {host for _method, host, _path in proxy.seen}
    assert hosts == {submitter.client.base_url.removeprefix("http://")}  # no redirect followed

    transfer = await submitter.resolve(submitter.journal.get(entry.idempotency_key))
    assert submitter.journal.get(entry.idempotency_key).transfer_id == transfer.id
    assert store.count("transfers") == before + 1
    assert store.balances()[account_id] == balance - 7_531


async def test_a_return_answered_by_a_proxy_after_a_real_drop(served, submitter):
    _server, store, faults, clock, proxy = served
    client = submitter.client
    numbers = await client.list_account_numbers(account_id=mxn_account(store))
    inbound = await client.simulate_receive_transfer(
        SimulateReceiveTransferRequest(
            account_number_id=numbers[0].id, amount=12_000, currency="MXN"
        )
    )
    clock.advance(5)  # it arrives (pending → succeeded), so it can be returned
    await client.get_transfer(inbound.id)
    entry = await submitter.prepare_return(inbound.id)
    movements = store.count("movements")
    faults.force_next("drop")
    proxy.script(None, *[NOT_FINTOC_ANSWERS["408-html"]] * RETRIES)

    with pytest.raises(OutcomeUnknownError):
        await submitter.send(entry)
    assert submitter.journal.get(entry.idempotency_key).state == "unknown"

    returned = await submitter.resolve(submitter.journal.get(entry.idempotency_key))
    assert (returned.id, returned.status) == (inbound.id, "return_pending")
    assert store.count("movements") == movements + 1
