"""Money that moves: simulated inbound transfers, small transfers, idempotency, JWS, returns.

On Fintoc these are test-mode operations of a few pesos: the money comes from
simulated inbound transfers, and the destinations are test CLABEs.
"""

from __future__ import annotations

import json
import re
import uuid

from fintoc_tui import banking

MIDNIGHT = re.compile(r"^\d{4}-\d\d-\d\dT00:00:00(\.0+)?Z$")
#: Any valid CLABE succeeds in test mode (Fintoc's docs; the sandbox's magic "succeeded").
GOOD_CLABE = "012180000000000015"
#: The CLABE Fintoc documents for "rejected: insufficient funds".
REJECTED_CLABE = "012969100000000013"


def transfer_body(account: dict, clabe: str, amount: int = 100) -> dict:
    return {
        "amount": amount,
        "currency": "MXN",
        "account_id": account["id"],
        "counterparty": {"account_number": clabe, "holder_name": "Contrato Fintoc-TUI"},
        "comment": "contract suite",
    }


async def movements_of(target, account: dict, transfer_id: str) -> list[dict]:
    """The transfer's movements, oldest first."""
    found = await target.get_json(
        f"/v2/accounts/{account['id']}/movements", resource_id=transfer_id, limit=300
    )
    return list(reversed(found))


async def test_a_simulated_inbound_transfer_is_pending_then_arrives(target):
    """REC-MX: pending, post_date already set, no receipt; made-up sender; then succeeded."""
    account = await target.account("MXN")
    inbound = await target.simulate("MXN", 1_000)
    assert inbound["direction"] == "inbound" and inbound["status"] == "pending"
    assert MIDNIGHT.match(inbound["post_date"]) and inbound["receipt_url"] is None
    assert re.fullmatch(r"\d{8}90735\d{17}", inbound["tracking_key"]), inbound["tracking_key"]
    sender = inbound["counterparty"]
    assert banking.validate_clabe(sender["account_number"]) == sender["account_number"]
    bank = banking.clabe_bank(sender["account_number"])
    if bank is not None:
        assert sender["institution"]["id"] == bank.banxico_code
    assert sender["holder_id"] and sender["holder_name"]
    arrived = await target.wait_for(inbound["id"], lambda t: t["status"] == "succeeded", "arrived")
    assert arrived["receipt_url"]
    (credit,) = await movements_of(target, account, inbound["id"])
    assert credit["direction"] == "inbound" and credit["amount"] == 1_000
    assert credit["balance"] >= 1_000 and credit["return_pair_id"] is None


async def test_a_transfer_is_made_once_per_idempotency_key_and_signed_each_time(target):
    account = await target.fund("MXN", 1_000)
    key = f"contract-{uuid.uuid4()}"
    body = transfer_body(account, GOOD_CLABE)
    first = await target.post("/v2/transfers", body, key=key)
    assert first.status_code == 201, first.text[:300]
    created = first.json()
    assert created["status"] == "pending" and created["post_date"] is None
    assert created["counterparty"]["institution"]["id"] == "40012"
    # The same key, a fresh signature: the same transfer, not a second one.
    again = await target.post("/v2/transfers", body, key=key)
    assert again.status_code == 201 and again.json()["id"] == created["id"]
    # The same key with other parameters is refused (the code is UNKNOWN).
    other = await target.post("/v2/transfers", transfer_body(account, GOOD_CLABE, 101), key=key)
    assert 400 <= other.status_code < 500 and "error" in other.json()
    # A signature is single-use: the same header on a new request is refused.
    data = json.dumps(body).encode()
    signature = target.signer.sign(data, target.clock)
    used = await target.post("/v2/transfers", data, signature=signature)
    assert used.status_code == 201, used.text[:300]
    replayed = await target.post("/v2/transfers", data, signature=signature)
    assert replayed.status_code == 401, replayed.text[:300]
    assert replayed.json()["error"]["type"] == "authentication_error"
    done = await target.wait_for(created["id"], lambda t: t["status"] != "pending", "settled")
    assert done["status"] == "succeeded" and MIDNIGHT.match(done["post_date"])
    assert done["receipt_url"]
    (debit,) = await movements_of(target, account, created["id"])
    assert debit["direction"] == "outbound" and debit["amount"] == 100


async def test_fintocs_insufficient_funds_clabe_makes_a_transfer_that_is_rejected(target):
    """Not a 409: a created transfer that ends `rejected`, its money given back (additions §8)."""
    account = await target.fund("MXN", 1_000)
    response = await target.post("/v2/transfers", transfer_body(account, REJECTED_CLABE))
    assert response.status_code == 201, response.text[:300]
    created = response.json()
    assert created["status"] == "pending"
    done = await target.wait_for(created["id"], lambda t: t["status"] != "pending", "settled")
    assert done["status"] == "rejected", done["status"]
    debit, back = await movements_of(target, account, created["id"])
    assert (debit["direction"], back["direction"]) == ("outbound", "inbound")
    assert (debit["return_pair_id"], back["return_pair_id"]) == (back["id"], debit["id"])


async def test_returning_an_inbound_transfer(target):
    account = await target.account("MXN")
    inbound = await target.simulate("MXN", 2_000)
    await target.wait_for(inbound["id"], lambda t: t["status"] == "succeeded", "arrived")
    response = await target.post("/v2/transfers/return", {"transfer_id": inbound["id"]})
    assert response.status_code == 200, response.text[:300]
    pending = response.json()
    assert pending["status"] == "return_pending" and pending["return_reason"] is None
    done = await target.wait_for(
        inbound["id"], lambda t: t["status"] != "return_pending", "finished returning"
    )
    assert done["status"] in ("returned", "succeeded")  # succeeded: the return failed
    if done["status"] == "returned":
        arrival, held = await movements_of(target, account, inbound["id"])
        assert (arrival["return_pair_id"], held["return_pair_id"]) == (held["id"], arrival["id"])


async def test_only_inbound_transfers_can_be_returned(target):
    account = await target.fund("MXN", 1_000)
    created = (await target.post("/v2/transfers", transfer_body(account, GOOD_CLABE))).json()
    response = await target.post("/v2/transfers/return", {"transfer_id": created["id"]})
    assert response.status_code == 409, response.text[:300]
    assert response.json()["error"]["code"] in {
        "invalid_transfer_direction",
        "invalid_transfer_status",
    }


async def test_chile_without_account_type_and_its_nulls(target):
    """REC-CL: no `account_type` is accepted (null back); no reference, tracking key or receipt."""
    account = await target.fund("CLP", 5_000)
    body = {
        "amount": 1_000,
        "currency": "CLP",
        "account_id": account["id"],
        "counterparty": {
            "holder_id": "11111111-1",
            "holder_name": "Destinatario Prueba",
            "account_number": "12345678",
            "institution_id": "cl_banco_de_chile",
        },
        "comment": f"contract {uuid.uuid4().hex[:12]}",
    }
    response = await target.post("/v2/transfers", body)
    assert response.status_code == 201, response.text[:300]
    created = response.json()
    assert created["counterparty"]["account_type"] is None
    assert created["counterparty"]["holder_id"] == "111111111"
    done = await target.wait_for(created["id"], lambda t: t["status"] != "pending", "settled")
    assert done["status"] == "succeeded"
    assert (done["reference_id"], done["tracking_key"], done["receipt_url"]) == (None, None, None)
    assert done["counterparty"]["institution"]["name"] == "Banco De Chile"
