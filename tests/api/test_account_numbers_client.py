"""The client's account-number and statement methods against the sandbox in process."""

from __future__ import annotations

from datetime import date

import pytest

from fintoc_tui.api.account_number_models import (
    AccountNumberCreateRequest,
    AccountNumberOptions,
    AccountNumberUpdateRequest,
)
from fintoc_tui.api.errors import FintocError


def _create(account_id: str, **extra) -> AccountNumberCreateRequest:
    return AccountNumberCreateRequest(account_id=account_id, **extra)


async def test_create_update_disable_enable_delete(client, sandbox):
    account_id = sandbox.account_id("MXN")
    created = await client.create_account_number(
        _create(
            account_id,
            description="Pedidos",
            metadata={"canal": "web"},
            options=AccountNumberOptions(min_amount=100, max_amount=50_000),
        )
    )
    assert created.range == (100, 50_000) and created.metadata == {"canal": "web"}
    listed = await client.list_account_number_details(account_id=account_id)
    assert created.id in {n.id for n in listed}
    edited = await client.update_account_number(
        created.id, AccountNumberUpdateRequest(description=None, options=None)
    )
    assert edited.description is None and edited.range == (None, None)
    assert edited.metadata == {"canal": "web"}  # not sent, so not changed
    assert not (await client.set_account_number_enabled(created.id, False)).is_enabled
    assert (await client.set_account_number_enabled(created.id, True)).is_enabled
    deleted = await client.delete_account_number(created.id)
    assert deleted.status == "deleted" and deleted.deleted_at is not None


async def test_a_root_number_is_refused_with_fintocs_error(client, sandbox):
    account = sandbox.store.get("accounts", sandbox.account_id("MXN"))
    with pytest.raises(FintocError) as caught:
        await client.delete_account_number(account["root_account_number_id"])
    assert caught.value.code == "root_account_number_cannot_be_deleted"
    assert caught.value.status == 409


async def test_a_create_retried_after_a_dropped_answer_makes_one_number(client, sandbox):
    account_id = sandbox.account_id("MXN")
    before = sandbox.store.count("account_numbers")
    sandbox.faults.force_next("drop")  # the sandbox commits, then the connection breaks
    created = await client.create_account_number(_create(account_id, description="Una"))
    assert sandbox.store.count("account_numbers") == before + 1
    assert sandbox.store.get("account_numbers", created.id)["description"] == "Una"


async def test_no_transfers_since_reaches_the_sandbox(client, sandbox):
    from fintoc_tui.api.models import SimulateReceiveTransferRequest

    account_id = sandbox.account_id("MXN")
    quiet = await client.create_account_number(_create(account_id, description="Quiet"))
    busy = await client.create_account_number(_create(account_id, description="Busy"))
    await client.simulate_receive_transfer(
        SimulateReceiveTransferRequest(account_number_id=busy.id, amount=1_000, currency="MXN")
    )
    found = await client.list_account_number_details(
        account_id=account_id, no_transfers_since=date(2025, 9, 2)
    )
    ids = {n.id for n in found}
    assert quiet.id in ids and busy.id not in ids


async def test_statements_list_and_download_without_the_key(client, sandbox):
    account_id = sandbox.account_id("MXN")
    statements = await client.list_account_statements(account_id)
    assert [s.period for s in statements] == ["2025-08", "2025-07", "2025-06"]
    july = await client.list_account_statements(
        account_id, since=date(2025, 7, 1), until=date(2025, 7, 31)
    )
    assert [s.period for s in july] == ["2025-07"]
    transport = client._http._transport
    pdf = await client.download_account_statement(statements[0])
    assert pdf.startswith(b"%PDF-")
    download = transport.requests[-1]
    assert download.url.path.endswith(".pdf")
    assert "authorization" not in download.headers  # the key never goes to a storage link


async def test_an_expired_download_link_says_to_list_again(client, sandbox):
    account_id = sandbox.account_id("MXN")
    statement = (await client.list_account_statements(account_id))[0]
    gone = statement.model_copy(update={"download_url": statement.download_url + "x"})
    with pytest.raises(FintocError, match="list the statements again"):
        await client.download_account_statement(gone)
