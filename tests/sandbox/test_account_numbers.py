"""Account numbers: create, list with no_transfers_since, update, disable, delete (additions §4)."""

from __future__ import annotations

from datetime import timedelta

from sandbox_helpers import assert_error

from fintoc_tui import banking
from fintoc_tui.api.account_number_models import ManagedAccountNumber


async def _create(sandbox, account_id: str, **extra) -> dict:
    response = await sandbox.post(
        "/v2/account_numbers", {"account_id": account_id, **extra}, sign=False
    )
    assert response.status_code == 200, response.text  # Fintoc answers 200, not 201
    return response.json()


async def _receive(sandbox, number_id: str, amount: int):
    return await sandbox.post(
        "/v2/simulate/receive_transfer",
        {"account_number_id": number_id, "amount": amount, "currency": "MXN"},
        sign=False,
    )


async def test_create_gives_a_valid_fintoc_clabe_with_description_metadata_and_options(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    created = await _create(
        sandbox,
        mx["id"],
        description="Pedidos web",
        metadata={"order": "42"},
        options={"min_amount": 300, "max_amount": 400_00},
    )
    number = ManagedAccountNumber.model_validate(created)
    assert number.id.startswith("acno_") and number.account_id == mx["id"]
    assert banking.validate_clabe(number.number) == number.number
    assert number.number.startswith("735969")
    assert (number.description, number.metadata) == ("Pedidos web", {"order": "42"})
    assert number.range == (300, 400_00)
    assert number.status == "enabled" and not number.is_root
    fetched = await sandbox.get(f"/v2/account_numbers/{number.id}")
    assert fetched.json() == created
    listed = await sandbox.get("/v2/account_numbers", params={"account_id": mx["id"]})
    assert listed.json()[0] == created  # newest first


async def test_create_refuses_bad_input_in_fintocs_envelope(sandbox):
    accounts = await sandbox.accounts()
    mx, cl = accounts["MXN"], accounts["CLP"]
    bad = await sandbox.post(
        "/v2/account_numbers",
        {"account_id": mx["id"], "options": {"min_amount": 500, "max_amount": 100}},
        sign=False,
    )
    assert_error(bad, 400, "invalid_amount", param="options")
    long = await sandbox.post(
        "/v2/account_numbers", {"account_id": mx["id"], "description": "x" * 41}, sign=False
    )
    assert_error(long, 400, "invalid_request", param="description")
    missing = await sandbox.post("/v2/account_numbers", {"account_id": "acc_nope"}, sign=False)
    assert_error(missing, 404, "missing_resource", param="account_id")
    chile = await sandbox.post("/v2/account_numbers", {"account_id": cl["id"]}, sign=False)
    assert_error(chile, 409, "account_number_limit_reached")


async def test_update_disable_enable_and_delete(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    created = await _create(sandbox, mx["id"], description="Old")
    path = f"/v2/account_numbers/{created['id']}"
    sandbox.clock.advance(60)
    patched = await sandbox.client.patch(
        path, json={"description": "New", "metadata": {"a": "b"}, "options": {"max_amount": 9}}
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["description"], body["metadata"], body["options"]["max_amount"]) == (
        "New",
        {"a": "b"},
        9,
    )
    assert body["updated_at"] > created["updated_at"]
    disabled = await sandbox.client.patch(path, json={"status": "disabled"})
    assert disabled.json()["status"] == "disabled"
    assert disabled.json()["description"] == "New"  # only what is sent changes
    blocked = await sandbox.client.patch(path, json={"status": "blocked"})
    assert_error(blocked, 400, "invalid_request", param="status")
    enabled = await sandbox.client.patch(path, json={"status": "enabled"})
    assert enabled.json()["status"] == "enabled"
    deleted = await sandbox.client.delete(path)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["status"] == "deleted" and deleted.json()["deleted_at"]
    assert (await sandbox.get(path)).json()["status"] == "deleted"
    again = await sandbox.client.patch(path, json={"status": "enabled"})
    assert_error(again, 409, "invalid_account_number_status")


async def test_a_root_number_cannot_be_deleted(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    response = await sandbox.client.delete(f"/v2/account_numbers/{mx['root_account_number_id']}")
    assert_error(response, 409, "root_account_number_cannot_be_deleted")
    still = await sandbox.get(f"/v2/account_numbers/{mx['root_account_number_id']}")
    assert still.json()["status"] == "enabled"


async def test_inbound_transfers_honour_min_max_and_disabled(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    number = await _create(sandbox, mx["id"], options={"min_amount": 100, "max_amount": 500})
    assert_error(await _receive(sandbox, number["id"], 99), 409, "amount_out_of_range", "amount")
    assert_error(await _receive(sandbox, number["id"], 501), 409, "amount_out_of_range", "amount")
    assert (await _receive(sandbox, number["id"], 100)).status_code == 201
    assert (await _receive(sandbox, number["id"], 500)).status_code == 201
    await sandbox.client.patch(f"/v2/account_numbers/{number['id']}", json={"status": "disabled"})
    refused = await _receive(sandbox, number["id"], 200)
    assert_error(refused, 409, "account_number_not_enabled", "account_number_id")


async def test_no_transfers_since_lists_numbers_without_recent_inbound_transfers(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    quiet = await _create(sandbox, mx["id"], description="Quiet")
    busy = await _create(sandbox, mx["id"], description="Busy")
    assert (await _receive(sandbox, busy["id"], 1_000)).status_code == 201
    today = sandbox.clock.now().date()

    async def ids(since) -> set[str]:
        response = await sandbox.get(
            "/v2/account_numbers",
            params={"account_id": mx["id"], "no_transfers_since": since.isoformat()},
        )
        assert response.status_code == 200, response.text
        return {n["id"] for n in response.json()}

    found = await ids(today)
    assert quiet["id"] in found and busy["id"] not in found
    assert busy["id"] in await ids(today + timedelta(days=1))
    bad = await sandbox.get("/v2/account_numbers", params={"no_transfers_since": "soon"})
    assert_error(bad, 400, "invalid_request", param="no_transfers_since")


async def test_listing_pages_with_the_filters_kept(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    made = [(await _create(sandbox, mx["id"], description=f"n{i}"))["id"] for i in range(3)]
    first = await sandbox.get(
        "/v2/account_numbers",
        params={"account_id": mx["id"], "limit": 2, "no_transfers_since": "2030-01-01"},
    )
    assert [n["id"] for n in first.json()] == made[::-1][:2]
    link = first.links["next"]["url"]
    assert "no_transfers_since=2030-01-01" in link and "account_id=" in link
    second = await sandbox.get(link)
    assert second.json()[0]["id"] == made[0]


async def test_ending_before_pages_back_towards_newer_numbers(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    made = [(await _create(sandbox, mx["id"], description=f"n{i}"))["id"] for i in range(3)]
    page = await sandbox.get(
        "/v2/account_numbers",
        params={"ending_before": made[0], "limit": 1, "no_transfers_since": "2030-01-01"},
    )
    assert [n["id"] for n in page.json()] == [made[1]]
    assert "ending_before=" + made[1] in page.links["next"]["url"]
