"""Account numbers and statements through FintocClient over a real loopback socket."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fintoc_tui.api.account_number_models import (
    AccountNumberCreateRequest,
    AccountNumberOptions,
    AccountNumberUpdateRequest,
)
from fintoc_tui.api.client import FintocClient
from fintoc_tui.api.errors import FintocError
from fintoc_tui.clock import ManualClock
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore

pytestmark = pytest.mark.e2e


@pytest.fixture
async def served():
    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    store = SandboxStore(None)
    seed_store(store, transfers=60, now=clock.now())
    with SandboxServer(create_app(store, clock)) as server:
        async with FintocClient(SANDBOX_SECRET_KEY, base_url=server.base_url) as client:
            yield client, store
    store.close()


async def test_account_numbers_round_trip_over_a_socket(served):
    client, store = served
    mx = next(a for a in (await client.list_accounts()) if a.currency == "MXN")
    made = await client.create_account_number(
        AccountNumberCreateRequest(
            account_id=mx.id,
            description="Socket",
            options=AccountNumberOptions(min_amount=5, max_amount=10),
        )
    )
    assert store.get("account_numbers", made.id)["options"] == {"max_amount": 10, "min_amount": 5}
    edited = await client.update_account_number(
        made.id, AccountNumberUpdateRequest(description="Renamed")
    )
    assert edited.description == "Renamed"
    assert not (await client.set_account_number_enabled(made.id, False)).is_enabled
    assert (await client.delete_account_number(made.id)).status == "deleted"
    with pytest.raises(FintocError) as caught:
        await client.delete_account_number(mx.root_account_number_id)
    assert caught.value.code == "root_account_number_cannot_be_deleted"


async def test_statements_and_their_pdf_over_a_socket(served):
    client, _store = served
    mx = next(a for a in (await client.list_accounts()) if a.currency == "MXN")
    statements = await client.list_account_statements(mx.id)
    assert statements and statements[0].download_url.startswith("http://127.0.0.1:")
    pdf = await client.download_account_statement(statements[0])
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
