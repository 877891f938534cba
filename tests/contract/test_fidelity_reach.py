"""Receipts, account verifications and who-am-I: what Fintoc's test mode and the sandbox both do.

The shapes Fintoc has not published (the receipt JSON, `/v1/whoami`) are held
loosely here: the client's lenient reading must work on both targets.
"""

from __future__ import annotations

import re

from test_fidelity_money import GOOD_CLABE, movements_of, transfer_body

VERIFY_CLABE = "646180000000000054"


async def test_whoami_names_the_organisation_and_mode(target):
    info = await target.client.whoami()
    assert info.organization and info.mode == "test"
    if info.api_version is not None:  # Fintoc may not have /v1/whoami (then it is None)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", info.api_version), info.api_version


async def test_a_settled_transfer_has_a_pdf_receipt(target):
    account = await target.fund("MXN", 1_000)
    response = await target.post("/v2/transfers", transfer_body(account, GOOD_CLABE))
    assert response.status_code == 201, response.text[:300]
    created = response.json()
    await target.wait_for(created["id"], lambda t: t["status"] == "succeeded", "succeeded")
    receipt = await target.client.get_transfer_receipt(created["id"])
    assert receipt.download_url, receipt
    pdf = await target.client.download_receipt(receipt)
    assert pdf.startswith(b"%PDF-")


async def test_verifying_a_clabe_costs_a_centavo_and_names_the_holder(target):
    account = await target.fund("MXN", 1_000)
    response = await target.post("/v2/account_verifications", {"account_number": VERIFY_CLABE})
    assert response.status_code == 201, response.text[:300]
    created = response.json()
    assert created["status"] == "pending" and created["id"].startswith("accv_")
    assert created["counterparty"]["holder_name"] is None
    (debit,) = await movements_of(target, account, created["transfer_id"])
    assert (debit["amount"], debit["direction"]) == (1, "outbound")
    for _ in range(target.attempts):
        done = await target.get_json(f"/v2/account_verifications/{created['id']}")
        if done["status"] != "pending":
            break
        await target.pass_time()
    assert done["status"] == "succeeded", done
    assert done["counterparty"]["holder_name"] and done["counterparty"]["holder_id"]
    listed = await target.get_json("/v2/account_verifications", limit=10)
    assert created["id"] in [v["id"] for v in listed]
