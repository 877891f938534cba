"""Receipts, account verifications and who-am-I over a real loopback socket (uvicorn in a thread)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fintoc_tui.api.client import FintocClient, RetryPolicy
from fintoc_tui.api.jws import JWSSigner, generate_keypair
from fintoc_tui.api.models import TransferRequest
from fintoc_tui.clock import ManualClock
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore

pytestmark = pytest.mark.e2e


@pytest.fixture
async def loopback():
    private_pem, public_pem = generate_keypair()
    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    store = SandboxStore(None)
    seed_store(store, transfers=20, now=clock.now())
    app = create_app(store, clock, jws_public_pems=[public_pem], settle_after=4.0)
    with SandboxServer(app) as server:
        async with FintocClient(
            SANDBOX_SECRET_KEY,
            base_url=server.base_url,
            jws_signer=JWSSigner.from_pem(private_pem),
            clock=clock,
            retry=RetryPolicy(seed=2),
        ) as client:
            yield client, clock, store, server
    store.close()


async def test_receipt_link_points_at_the_server_and_downloads(loopback):
    client, clock, store, server = loopback
    account_id = next(a for a in store.balances() if store.get("accounts", a)["currency"] == "MXN")
    request = TransferRequest.model_validate(
        {
            "amount": 2_500,
            "currency": "MXN",
            "account_id": account_id,
            "counterparty": {"account_number": "012180000000000015", "holder_name": "Éxito"},
        }
    )
    sent = await client.create_transfer(request, idempotency_key="loop-receipt")
    clock.advance(5)
    receipt = await client.get_transfer_receipt(sent.id)
    assert receipt.download_url is not None
    assert receipt.download_url.startswith(f"{server.base_url}/sandbox/receipts/{sent.id}.pdf?")
    pdf = await client.download_receipt(receipt)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")


async def test_verification_and_whoami(loopback):
    client, clock, store, _server = loopback
    before = sum(store.balances().values())
    created = await client.create_account_verification(
        "646180000000000054", idempotency_key="loop-verify"
    )
    assert created.status == "pending"
    assert sum(store.balances().values()) == before - 1
    clock.advance(5)
    done = await client.get_account_verification(created.id)
    assert done.status == "succeeded" and done.counterparty.holder_name
    info = await client.whoami()
    assert info.organization and info.api_version == "2026-02-01" and info.mode == "test"
