"""Account verifications in the sandbox: 0.01 MXN, pending, then the holder or a reason."""

from __future__ import annotations

import sqlite3

import pytest
from sandbox_helpers import assert_error

from fintoc_tui.sandbox import verifications
from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES, magic_table_text

CLABE = "646180000000000054"


async def _verify(sandbox, clabe: str = CLABE, **kwargs):
    return await sandbox.post("/v2/account_verifications", {"account_number": clabe}, **kwargs)


async def test_create_is_pending_costs_one_centavo_and_makes_a_transfer_and_movement(sandbox):
    before = (await sandbox.accounts())["MXN"]
    response = await _verify(sandbox)
    assert response.status_code == 201, response.text
    verification = response.json()
    assert verification["id"].startswith("accv_")
    assert verification["status"] == "pending"
    assert verification["reason"] is None
    assert verification["counterparty"]["holder_name"] is None
    assert verification["counterparty"]["holder_id"] is None
    assert verification["counterparty"]["account_number"] == CLABE
    assert verification["counterparty"]["account_type"] == "clabe"
    assert verification["transaction_date"] == "2025-09-02T15:58:51Z"  # set at creation (REC-MX)
    assert list(verification) == [
        "object", "id", "status", "reason", "transfer_id", "counterparty", "mode",
        "receipt_url", "transaction_date",
    ]  # fmt: skip
    after = (await sandbox.accounts())["MXN"]
    assert after["available_balance"] == before["available_balance"] - 1
    transfer = await sandbox.transfer(verification["transfer_id"])
    assert (transfer["amount"], transfer["currency"], transfer["direction"]) == (
        1,
        "MXN",
        "outbound",
    )
    assert transfer["account_number"]["account_id"] == before["id"]
    movements = await sandbox.get(
        f"/v2/accounts/{before['id']}/movements", params={"resource_id": transfer["id"]}
    )
    [movement] = movements.json()
    assert (movement["amount"], movement["direction"]) == (1, "outbound")
    assert movement["balance"] == after["available_balance"]


async def test_it_succeeds_with_the_same_fake_holder_every_time(sandbox):
    created = (await _verify(sandbox)).json()
    sandbox.clock.advance(3.9)
    assert (await sandbox.get(f"/v2/account_verifications/{created['id']}")).json()[
        "status"
    ] == "pending"
    sandbox.clock.advance(0.2)
    done = (await sandbox.get(f"/v2/account_verifications/{created['id']}")).json()
    assert done["status"] == "succeeded"
    name, rfc = verifications.registered_holder(CLABE)
    assert (done["counterparty"]["holder_name"], done["counterparty"]["holder_id"]) == (name, rfc)
    assert len(rfc) == 13 and rfc[:4].isalpha() and rfc[4:10].isdigit()
    transfer = await sandbox.transfer(created["transfer_id"])
    assert transfer["status"] == "succeeded"
    assert done["receipt_url"] == transfer["receipt_url"] is not None
    # Deterministic: a second verification of the CLABE names the same holder.
    again = (await _verify(sandbox)).json()
    sandbox.clock.advance(5)
    again = (await sandbox.get(f"/v2/account_verifications/{again['id']}")).json()
    assert again["counterparty"]["holder_name"] == name


def test_fake_holders_differ_between_clabes_and_magic_ones_use_the_table_name():
    names = {verifications.registered_holder(f"6461800000000000{n:02d}")[0] for n in range(40)}
    assert len(names) > 10
    magic = next(m for m in MAGIC_COUNTERPARTIES if m.currency == "MXN")
    assert verifications.registered_holder(magic.account_number)[0] == magic.holder_name


@pytest.mark.parametrize(
    ("clabe", "reason", "steps"),
    [
        ("002180000000000041", "canceled_account", 2),  # returned: succeeded, then returned
        ("014180000000000026", "transfer_failed", 1),
        ("012969100000000013", "transfer_rejected", 1),
    ],
)
async def test_magic_clabes_fail_with_a_reason_and_give_the_centavo_back(
    sandbox, clabe, reason, steps
):
    before = (await sandbox.accounts())["MXN"]["available_balance"]
    created = (await _verify(sandbox, clabe)).json()
    for _ in range(steps - 1):
        sandbox.clock.advance(4.1)
        still = (await sandbox.get(f"/v2/account_verifications/{created['id']}")).json()
        assert still["status"] == "pending"
    sandbox.clock.advance(4.1)
    done = (await sandbox.get(f"/v2/account_verifications/{created['id']}")).json()
    assert done["status"] == "failed"
    assert done["reason"] == reason
    assert done["counterparty"]["holder_name"] is None
    assert (await sandbox.accounts())["MXN"]["available_balance"] == before


def test_the_magic_table_lists_what_makes_a_verification_fail():
    text = magic_table_text()
    section = text.split("Account verifications")[1]
    assert "002180000000000041" in section and "canceled_account" in section
    assert "014180000000000026" in section and "transfer_failed" in section


async def test_list_is_newest_first_paged_with_link_and_since(sandbox):
    ids = []
    for _ in range(3):
        ids.append((await _verify(sandbox)).json()["id"])
        sandbox.clock.advance(60)
    page = await sandbox.get("/v2/account_verifications", params={"limit": 2})
    assert [v["id"] for v in page.json()] == ids[::-1][:2]
    assert 'rel="next"' in page.headers["link"]
    rest = await sandbox.get(page.links["next"]["url"])
    assert [v["id"] for v in rest.json()] == ids[:1]
    assert rest.headers["link"] == ""
    recent = await sandbox.get(
        "/v2/account_verifications", params={"since": "2025-09-02T15:59:30Z"}
    )
    assert [v["id"] for v in recent.json()] == ids[::-1][:2]


async def test_create_needs_a_jws_and_a_valid_clabe(sandbox):
    assert_error(await _verify(sandbox, sign=False), 401, "missing_jws_signature_header")
    assert_error(
        await _verify(sandbox, "646180000000000055"), 400, "invalid_clabe", "account_number"
    )
    response = await sandbox.post("/v2/account_verifications", {})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "account_number"
    assert_error(await sandbox.get("/v2/account_verifications/accv_nope"), 404, "missing_resource")


async def test_create_is_idempotent(sandbox):
    before = (await sandbox.accounts())["MXN"]["available_balance"]
    headers = {"Idempotency-Key": "verify-once"}
    first = await _verify(sandbox, headers=headers)
    second = await _verify(sandbox, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert (await sandbox.accounts())["MXN"]["available_balance"] == before - 1
    assert len((await sandbox.get("/v2/account_verifications")).json()) == 1


async def test_no_centavo_left_is_409_and_changes_nothing(sandbox):
    mxn = (await sandbox.accounts())["MXN"]
    with sandbox.store.transaction() as db:
        db.execute(
            "UPDATE accounts SET available_balance = 0, data = json_set(data, "
            "'$.available_balance', 0) WHERE id = ?",
            (mxn["id"],),
        )
    assert_error(await _verify(sandbox), 409, "insufficient_balance")
    assert (await sandbox.get("/v2/account_verifications")).json() == []


def test_a_version_3_state_file_gains_the_table_on_open(tmp_path):
    from fintoc_tui.sandbox.store import SCHEMA_VERSION, SandboxStore

    path = tmp_path / "sandbox.sqlite3"
    SandboxStore(path).close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE account_verifications")  # as main's version 3 wrote it
    raw.commit()
    raw.close()
    with SandboxStore(path) as store:
        assert store.get_meta("schema_version") == SCHEMA_VERSION == "3"
        assert store.count("account_verifications") == 0
        with store.reading() as db:
            (strict,) = db.execute(
                "SELECT strict FROM pragma_table_list WHERE name = 'account_verifications'"
            ).fetchone()
        assert strict == 1
