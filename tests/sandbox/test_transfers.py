"""Creating, settling and returning transfers; simulate; balances and movements (§3, §4, §9)."""

from __future__ import annotations

import re

import pytest
from sandbox_helpers import assert_error, cl_body, mx_body

from fintoc_tui.api.models import Transfer
from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES


def consistent(store) -> bool:
    return store.balances() == store.movement_totals()


async def test_create_mx_transfer_is_pending_and_takes_the_balance(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    response = await sandbox.post(
        "/v2/transfers",
        mx_body(mx["id"], currency="mxn", comment="Factura 12", reference_id=1234567),
    )
    assert response.status_code == 201, response.text
    transfer = Transfer.model_validate_json(response.content)
    assert transfer.status == "pending" and transfer.direction == "outbound"
    assert transfer.currency == "MXN" and transfer.amount == 12_345
    assert transfer.post_date is None and transfer.receipt_url is None
    assert transfer.reference_id == "1234567" and transfer.comment == "Factura 12"
    assert transfer.counterparty.institution.model_dump() == {
        "id": "90646",
        "name": "STP",
        "country": "mx",
    }
    assert re.fullmatch(r"\d{8}90735\d{17}", transfer.tracking_key)
    assert transfer.account_number.id == mx["root_account_number_id"]
    after = (await sandbox.accounts())["MXN"]
    assert after["available_balance"] == mx["available_balance"] - 12_345
    movements = (
        await sandbox.get(f"/v2/accounts/{mx['id']}/movements", params={"limit": 1})
    ).json()
    assert movements[0]["resource_id"] == transfer.id
    assert movements[0]["direction"] == "outbound" and movements[0]["type"] == "transfer"
    assert movements[0]["balance"] == after["available_balance"]
    assert consistent(sandbox.store)


async def test_create_cl_transfer_normalises_rut_and_account_type(sandbox):
    clp = (await sandbox.accounts())["CLP"]
    response = await sandbox.post("/v2/transfers", cl_body(clp["id"]))
    assert response.status_code == 201, response.text
    cp = response.json()["counterparty"]
    assert cp["holder_id"] == "123456785"  # "12.345.678-5" without dots or hyphen
    assert cp["account_type"] == "checking_account"
    assert cp["institution"] == {"id": "cl_banco_estado", "name": "Banco Estado", "country": "cl"}


async def test_cl_transfer_keeps_chiles_nulls_even_when_succeeded(sandbox):
    """REC-CL: no account_type sent is null; reference, tracking key and receipt stay null."""
    clp = (await sandbox.accounts())["CLP"]
    body = cl_body(clp["id"], reference_id="1234")
    del body["counterparty"]["account_type"]
    body["counterparty"]["type"] = "checking"  # an unknown key, ignored as Fintoc did
    created = await sandbox.post("/v2/transfers", body)
    assert created.status_code == 201, created.text
    transfer = created.json()
    assert transfer["counterparty"]["account_type"] is None
    assert "type" not in transfer["counterparty"]
    sandbox.clock.advance(5)
    settled = await sandbox.transfer(transfer["id"])
    assert settled["status"] == "succeeded"
    assert settled["post_date"] == "2025-09-02T00:00:00Z"
    assert (settled["reference_id"], settled["tracking_key"], settled["receipt_url"]) == (
        None,
        None,
        None,
    )


async def test_pending_settles_after_the_delay_by_the_clock(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    created = (await sandbox.post("/v2/transfers", mx_body(mx["id"]))).json()
    sandbox.clock.advance(3.9)
    assert (await sandbox.transfer(created["id"]))["status"] == "pending"
    sandbox.clock.advance(0.2)
    settled = await sandbox.transfer(created["id"])
    assert settled["status"] == "succeeded"
    assert settled["post_date"] == "2025-09-02T00:00:00Z"  # the day, as Fintoc writes it
    assert settled["receipt_url"].endswith(".pdf")
    assert created["id"] in settled["receipt_url"]


def _magic(currency, outcome):
    return next(m for m in MAGIC_COUNTERPARTIES if m.currency == currency and m.outcome == outcome)


@pytest.mark.parametrize("currency", ["MXN", "CLP"])
@pytest.mark.parametrize("outcome", ["succeeded", "failed", "rejected", "returned"])
async def test_magic_counterparties_force_each_outcome(sandbox, currency, outcome):
    account = (await sandbox.accounts())[currency]
    magic = _magic(currency, outcome)
    body = {
        "amount": 30_000,
        "currency": currency,
        "account_id": account["id"],
        "counterparty": magic.counterparty(),
    }
    created = await sandbox.post("/v2/transfers", body)
    assert created.status_code == 201, created.text
    transfer_id = created.json()["id"]
    start = account["available_balance"]
    assert (await sandbox.accounts())[currency]["available_balance"] == start - 30_000
    sandbox.clock.advance(4)
    first = await sandbox.transfer(transfer_id)
    balance = (await sandbox.accounts())[currency]["available_balance"]
    if outcome in ("failed", "rejected"):
        assert first["status"] == outcome and first["post_date"] is None
        assert balance == start  # given back
    else:
        assert first["status"] == "succeeded" and first["post_date"]
        assert bool(first["receipt_url"]) is (currency == "MXN")  # no receipts in Chile
        assert balance == start - 30_000
    sandbox.clock.advance(4)
    second = await sandbox.transfer(transfer_id)
    balance = (await sandbox.accounts())[currency]["available_balance"]
    if outcome == "returned":
        assert second["status"] == "returned" and second["return_reason"]
        assert balance == start
    else:
        assert second["status"] == first["status"]
    assert consistent(sandbox.store)


async def test_fintocs_insufficient_funds_clabe_creates_a_transfer_that_is_rejected(sandbox):
    """`012969100000000013` is a created transfer that ends rejected, not a 409 (§9)."""
    mx = (await sandbox.accounts())["MXN"]
    body = mx_body(mx["id"], 100)
    body["counterparty"] = {"account_number": "012969100000000013"}
    created = await sandbox.post("/v2/transfers", body)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "pending"
    sandbox.clock.advance(5)
    rejected = await sandbox.transfer(created.json()["id"])
    assert rejected["status"] == "rejected" and rejected["post_date"] is None
    assert (await sandbox.accounts())["MXN"]["available_balance"] == mx["available_balance"]
    movements = (
        await sandbox.get(
            f"/v2/accounts/{mx['id']}/movements", params={"resource_id": rejected["id"]}
        )
    ).json()
    back, out = movements  # newest first
    assert (out["direction"], back["direction"]) == ("outbound", "inbound")
    assert (out["return_pair_id"], back["return_pair_id"]) == (back["id"], out["id"])


async def test_insufficient_balance_is_409_and_changes_nothing(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    movements = sandbox.store.count("movements")
    response = await sandbox.post("/v2/transfers", mx_body(mx["id"], mx["available_balance"] + 1))
    assert_error(response, 409, "insufficient_balance")
    assert (await sandbox.accounts())["MXN"]["available_balance"] == mx["available_balance"]
    assert sandbox.store.count("movements") == movements
    # Exactly the whole balance is fine: no overdraft, but no off-by-one either.
    exact = await sandbox.post("/v2/transfers", mx_body(mx["id"], mx["available_balance"]))
    assert exact.status_code == 201
    assert (await sandbox.accounts())["MXN"]["available_balance"] == 0


@pytest.mark.parametrize(
    ("change", "code", "param"),
    [
        ({"amount": 12.5}, "invalid_amount", "amount"),
        ({"amount": "100"}, "invalid_amount", "amount"),
        ({"amount": 0}, "invalid_amount", "amount"),
        ({"currency": "USD"}, "invalid_currency", "currency"),
        ({"comment": "x" * 41}, "invalid_comment_size", "comment"),
        ({"reference_id": "0123"}, "invalid_reference_id_size", "reference_id"),
        ({"reference_id": "12345678"}, "invalid_reference_id_size", "reference_id"),
        (
            {"counterparty": {"account_number": "646180000000000055"}},
            "invalid_clabe",
            "counterparty.account_number",
        ),
        (
            {"counterparty": {"account_number": "64618"}},
            "invalid_clabe",
            "counterparty.account_number",
        ),
        ({"counterparty": None}, None, "counterparty"),
        ({"account_id": None}, None, "account_id"),
    ],
)
async def test_mx_validation_errors_name_the_param(sandbox, change, code, param):
    mx = (await sandbox.accounts())["MXN"]
    body = mx_body(mx["id"])
    for key, value in change.items():
        if value is None:
            body.pop(key)
        else:
            body[key] = value
    response = await sandbox.post("/v2/transfers", body)
    error = assert_error(response, 400, code or "missing_parameter", param, "invalid_request_error")
    assert error["param"] == param


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("holder_id", "12.345.678-9", "invalid_holder_id"),
        ("institution_id", "cl_banco_imaginario", "invalid_institution_id"),
        ("account_type", "piggy_bank", "invalid_account_type"),
        ("account_number", "12-ab-34", "invalid_account_number"),
    ],
)
async def test_cl_validation_errors_name_the_param(sandbox, field, value, code):
    clp = (await sandbox.accounts())["CLP"]
    body = cl_body(clp["id"])
    body["counterparty"][field] = value
    assert_error(await sandbox.post("/v2/transfers", body), 400, code, f"counterparty.{field}")


async def test_clp_ceiling(sandbox):
    clp = (await sandbox.accounts())["CLP"]
    response = await sandbox.post("/v2/transfers", cl_body(clp["id"], 7_000_001))
    assert_error(response, 400, "invalid_amount", "amount")


async def test_currency_mismatch_and_unknown_account(sandbox):
    accounts = await sandbox.accounts()
    body = mx_body(accounts["CLP"]["id"])
    assert_error(await sandbox.post("/v2/transfers", body), 400, "currency_mismatch", "currency")
    body = mx_body("acc_doesnotexist")
    assert_error(await sandbox.post("/v2/transfers", body), 404, "missing_resource", "account_id")


async def test_account_not_active_is_403(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    with sandbox.store.transaction() as db:
        db.execute(
            "UPDATE accounts SET status = 'blocked', data = json_set(data, '$.status', 'blocked') "
            "WHERE id = ?",
            (mx["id"],),
        )
    assert_error(
        await sandbox.post("/v2/transfers", mx_body(mx["id"])),
        403,
        "account_not_active",
        "account_id",
    )


async def test_cl_same_day_duplicate_rule(sandbox):
    clp = (await sandbox.accounts())["CLP"]
    assert (await sandbox.post("/v2/transfers", cl_body(clp["id"]))).status_code == 201
    again = await sandbox.post("/v2/transfers", cl_body(clp["id"]))
    assert_error(again, 409, "invalid_duplicated_transfer")
    # A different comment, or amount, is a different transfer.
    other = await sandbox.post("/v2/transfers", cl_body(clp["id"], comment="Otra factura"))
    assert other.status_code == 201
    assert (await sandbox.post("/v2/transfers", cl_body(clp["id"], 50_001))).status_code == 201
    # The next day (in Chile) it may be sent again.
    sandbox.clock.advance(24 * 3600)
    assert (await sandbox.post("/v2/transfers", cl_body(clp["id"]))).status_code == 201


async def test_cl_duplicate_rule_ignores_failed_transfers(sandbox):
    clp = (await sandbox.accounts())["CLP"]
    magic = _magic("CLP", "failed")
    body = cl_body(clp["id"])
    body["counterparty"] = magic.counterparty()
    assert (await sandbox.post("/v2/transfers", body)).status_code == 201
    assert_error(await sandbox.post("/v2/transfers", body), 409, "invalid_duplicated_transfer")
    sandbox.clock.advance(5)
    await sandbox.get("/v2/accounts")  # settles: failed
    assert (await sandbox.post("/v2/transfers", body)).status_code == 201


async def test_mx_has_no_duplicate_rule(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    for _ in range(2):
        assert (await sandbox.post("/v2/transfers", mx_body(mx["id"]))).status_code == 201


async def test_simulate_receive_transfer_arrives_pending_then_credits_the_account(sandbox):
    """As REC-MX: pending with post_date set at once; succeeded (and credited) later (§1.5)."""
    mx = (await sandbox.accounts())["MXN"]
    number_id = mx["root_account_number_id"]
    response = await sandbox.post(
        "/v2/simulate/receive_transfer",
        {
            "account_number_id": number_id,
            "amount": 102_000,
            "currency": "mxn",
            "counterparty_account_number": "012180000000000015",
            "counterparty_holder_name": "Pagos Uno",
        },
        sign=False,
    )
    assert response.status_code == 201, response.text
    transfer = response.json()
    assert transfer["direction"] == "inbound" and transfer["status"] == "pending"
    assert transfer["post_date"] == "2025-09-02T00:00:00Z" and transfer["receipt_url"] is None
    assert re.fullmatch(r"2025090290735\d{17}", transfer["tracking_key"])
    assert transfer["reference_id"] == "1"  # numbered, as Fintoc's test mode does
    assert transfer["account_number"]["id"] == number_id
    assert transfer["counterparty"]["holder_name"] == "Pagos Uno"
    assert transfer["counterparty"]["institution"] == {
        "id": "40012",
        "name": "BBVA MEXICO",
        "country": "mx",
    }
    # Not there yet: no money, no movement.
    assert (await sandbox.accounts())["MXN"]["available_balance"] == mx["available_balance"]
    listed = (await sandbox.get("/v2/transfers", params={"limit": 1})).json()
    assert listed[0]["id"] == transfer["id"]  # newest first
    sandbox.clock.advance(4)
    arrived = await sandbox.transfer(transfer["id"])
    assert arrived["status"] == "succeeded" and arrived["receipt_url"]
    after = (await sandbox.accounts())["MXN"]
    assert after["available_balance"] == mx["available_balance"] + 102_000
    movement = (
        await sandbox.get(f"/v2/accounts/{mx['id']}/movements", params={"limit": 1})
    ).json()[0]
    assert (movement["resource_id"], movement["direction"], movement["balance"]) == (
        transfer["id"],
        "inbound",
        after["available_balance"],
    )
    assert consistent(sandbox.store)


async def test_simulated_sender_is_made_up_like_fintocs(sandbox):
    """No counterparty given: a fake RFC and name, a valid CLABE of the bank it names."""
    from fintoc_tui import banking

    mx = (await sandbox.accounts())["MXN"]
    senders = []
    for _ in range(4):
        response = await sandbox.post(
            "/v2/simulate/receive_transfer",
            {"account_number_id": mx["root_account_number_id"], "amount": 500, "currency": "MXN"},
            sign=False,
        )
        senders.append(response.json()["counterparty"])
    assert len({s["account_number"] for s in senders}) == 4
    for sender in senders:
        number = sender["account_number"]
        assert banking.validate_clabe(number) == number and number[3:6] == "969"
        assert sender["institution"]["id"] == banking.clabe_bank(number).banxico_code
        assert re.fullmatch(r"[A-Z]{4}\d{6}[A-Z0-9]{3}", sender["holder_id"])
        assert sender["holder_name"] and sender["account_type"] == "clabe"


async def test_simulate_accepts_form_bodies_like_the_docs_curl(sandbox):
    clp = (await sandbox.accounts())["CLP"]
    response = await sandbox.client.post(
        "/v2/simulate/receive_transfer",
        data={
            "account_number_id": clp["root_account_number_id"],
            "amount": "5000",
            "currency": "CLP",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["amount"] == 5000


async def test_simulate_errors(sandbox):
    accounts = await sandbox.accounts()
    assert_error(
        await sandbox.post(
            "/v2/simulate/receive_transfer",
            {"account_number_id": "acno_nope", "amount": 1, "currency": "MXN"},
        ),
        404,
        "missing_resource",
        "account_number_id",
    )
    assert_error(
        await sandbox.post(
            "/v2/simulate/receive_transfer",
            {
                "account_number_id": accounts["MXN"]["root_account_number_id"],
                "amount": 1,
                "currency": "CLP",
            },
        ),
        400,
        "currency_mismatch",
        "currency",
    )
    assert_error(
        await sandbox.post(
            "/v2/simulate/receive_transfer",
            {"account_number_id": accounts["MXN"]["root_account_number_id"], "currency": "MXN"},
        ),
        400,
        "missing_parameter",
        "amount",
    )


async def _inbound(sandbox, currency="MXN", amount=40_000, *, arrive=True):
    """A simulated inbound transfer, arrived (succeeded) unless `arrive=False`."""
    account = (await sandbox.accounts())[currency]
    response = await sandbox.post(
        "/v2/simulate/receive_transfer",
        {
            "account_number_id": account["root_account_number_id"],
            "amount": amount,
            "currency": currency,
        },
    )
    assert response.status_code == 201
    if not arrive:
        return response.json()
    sandbox.clock.advance(4)
    arrived = await sandbox.transfer(response.json()["id"])
    assert arrived["status"] == "succeeded"
    return arrived


async def _movements_of(sandbox, transfer_id, currency="MXN"):
    account = (await sandbox.accounts())[currency]
    response = await sandbox.get(
        f"/v2/accounts/{account['id']}/movements", params={"resource_id": transfer_id}
    )
    return list(reversed(response.json()))  # oldest first


async def test_return_an_mx_inbound_transfer(sandbox):
    inbound = await _inbound(sandbox)
    before = (await sandbox.accounts())["MXN"]["available_balance"]
    response = await sandbox.post("/v2/transfers/return", {"transfer_id": inbound["id"]})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "return_pending"
    assert response.json()["return_reason"] is None  # as REC-MX shows it while pending
    assert (await sandbox.accounts())["MXN"]["available_balance"] == before - 40_000
    sandbox.clock.advance(4)
    returned = await sandbox.transfer(inbound["id"])
    assert returned["status"] == "returned"
    arrival, held = await _movements_of(sandbox, inbound["id"])
    assert (arrival["direction"], held["direction"]) == ("inbound", "outbound")
    assert held["type"] == "transfer_return"
    assert (arrival["return_pair_id"], held["return_pair_id"]) == (held["id"], arrival["id"])
    assert_error(
        await sandbox.post("/v2/transfers/return", {"transfer_id": inbound["id"]}),
        409,
        "invalid_transfer_status",
        "transfer_id",
    )
    assert consistent(sandbox.store)


async def test_a_return_fails_for_the_documented_amount_and_the_money_comes_back(sandbox):
    """$1,313.00 MXN (returns.RETURN_FAILS_AMOUNTS): return_pending → succeeded again."""
    from fintoc_tui.sandbox.returns import RETURN_FAILS_AMOUNTS

    (amount,) = RETURN_FAILS_AMOUNTS["MXN"]
    inbound = await _inbound(sandbox, amount=amount)
    before = (await sandbox.accounts())["MXN"]["available_balance"]
    response = await sandbox.post("/v2/transfers/return", {"transfer_id": inbound["id"]})
    assert response.json()["status"] == "return_pending"
    assert (await sandbox.accounts())["MXN"]["available_balance"] == before - amount
    sandbox.clock.advance(4)
    after = await sandbox.transfer(inbound["id"])
    assert after["status"] == "succeeded" and after["return_reason"] is None
    assert (await sandbox.accounts())["MXN"]["available_balance"] == before
    arrival, held, back = await _movements_of(sandbox, inbound["id"])
    assert [m["direction"] for m in (arrival, held, back)] == ["inbound", "outbound", "inbound"]
    assert arrival["return_pair_id"] is None  # the arrival stands
    assert (held["return_pair_id"], back["return_pair_id"]) == (back["id"], held["id"])
    assert consistent(sandbox.store)
    # Succeeded again, so it may be returned again (and fails again, by its amount).
    again = await sandbox.post("/v2/transfers/return", {"transfer_id": inbound["id"]})
    assert again.status_code == 200 and again.json()["status"] == "return_pending"


async def test_returns_only_within_90_days_of_arriving(sandbox):
    inbound = await _inbound(sandbox, amount=5_000)
    sandbox.clock.advance(90 * 86_400 - 10)
    ok = await sandbox.post("/v2/transfers/return", {"transfer_id": inbound["id"]})
    assert ok.status_code == 200, ok.text
    late = await _inbound(sandbox, amount=6_000)
    sandbox.clock.advance(90 * 86_400 + 1)
    error = assert_error(
        await sandbox.post("/v2/transfers/return", {"transfer_id": late["id"]}),
        409,
        "invalid_transfer_status",
        "transfer_id",
    )
    assert "90 days" in error["message"]


async def test_a_pending_inbound_transfer_cannot_be_returned_yet(sandbox):
    inbound = await _inbound(sandbox, arrive=False)
    assert_error(
        await sandbox.post("/v2/transfers/return", {"transfer_id": inbound["id"]}),
        409,
        "invalid_transfer_status",
        "transfer_id",
    )


async def test_return_refusals(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    outbound = (await sandbox.post("/v2/transfers", mx_body(mx["id"]))).json()
    assert_error(
        await sandbox.post("/v2/transfers/return", {"transfer_id": outbound["id"]}),
        409,
        "invalid_transfer_direction",
    )
    clp_inbound = await _inbound(sandbox, "CLP", 10_000)
    assert_error(
        await sandbox.post("/v2/transfers/return", {"transfer_id": clp_inbound["id"]}),
        409,
        "invalid_transfer_direction",
    )
    assert_error(
        await sandbox.post("/v2/transfers/return", {"transfer_id": "tr_nope"}),
        404,
        "missing_resource",
        "transfer_id",
    )
    assert_error(
        await sandbox.post("/v2/transfers/return", {}), 400, "missing_parameter", "transfer_id"
    )


async def test_return_needs_the_balance(sandbox):
    inbound = await _inbound(sandbox)
    mx = (await sandbox.accounts())["MXN"]
    spend = mx["available_balance"] - 10
    assert (await sandbox.post("/v2/transfers", mx_body(mx["id"], spend))).status_code == 201
    assert_error(
        await sandbox.post("/v2/transfers/return", {"transfer_id": inbound["id"]}),
        409,
        "insufficient_balance",
    )
    assert (await sandbox.transfer(inbound["id"]))["status"] == "succeeded"


async def test_settling_many_in_clock_order_keeps_movements_consistent(sandbox):
    accounts = await sandbox.accounts()
    ids = []
    for index, magic in enumerate(MAGIC_COUNTERPARTIES):
        account = accounts[magic.currency]
        body = {
            "amount": 1_000 + index,
            "currency": magic.currency,
            "account_id": account["id"],
            "counterparty": magic.counterparty(),
        }
        ids.append((await sandbox.post("/v2/transfers", body)).json()["id"])
        sandbox.clock.advance(1)
    sandbox.clock.advance(60)
    statuses = [(await sandbox.transfer(i))["status"] for i in ids]
    assert statuses == ["succeeded", "failed", "rejected", "returned"] * 2
    assert consistent(sandbox.store)
    mx = accounts["MXN"]["id"]
    movements = (await sandbox.get(f"/v2/accounts/{mx}/movements", params={"limit": 20})).json()
    dates = [m["transaction_date"] for m in movements]
    assert dates == sorted(dates, reverse=True)
