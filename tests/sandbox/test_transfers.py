"""Creating, settling and returning transfers; simulate; balances and movements (§3, §4, §9)."""

from __future__ import annotations

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
    assert transfer.counterparty.institution.id == "90646"
    assert transfer.counterparty.institution.country == "mx"
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
    assert cp["holder_id"] == "123456785"
    assert cp["account_type"] == "checking_account"
    assert cp["institution"] == {"id": "cl_banco_estado", "name": "BancoEstado", "country": "cl"}


async def test_pending_settles_after_the_delay_by_the_clock(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    created = (await sandbox.post("/v2/transfers", mx_body(mx["id"]))).json()
    sandbox.clock.advance(3.9)
    assert (await sandbox.transfer(created["id"]))["status"] == "pending"
    sandbox.clock.advance(0.2)
    settled = await sandbox.transfer(created["id"])
    assert settled["status"] == "succeeded"
    assert settled["post_date"] is not None and settled["receipt_url"].endswith(".pdf")
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
        assert first["status"] == "succeeded" and first["receipt_url"]
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


@pytest.mark.parametrize("currency", ["MXN", "CLP"])
async def test_magic_insufficient_funds_answers_409_and_creates_nothing(sandbox, currency):
    account = (await sandbox.accounts())[currency]
    before = sandbox.store.count("transfers")
    body = {
        "amount": 100,
        "currency": currency,
        "account_id": account["id"],
        "counterparty": _magic(currency, "insufficient_funds").counterparty(),
    }
    assert_error(await sandbox.post("/v2/transfers", body), 409, "insufficient_balance", "amount")
    assert sandbox.store.count("transfers") == before
    assert (await sandbox.accounts())[currency]["available_balance"] == account["available_balance"]


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


async def test_simulate_receive_transfer_credits_the_account(sandbox):
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
    assert transfer["direction"] == "inbound" and transfer["status"] == "succeeded"
    assert transfer["account_number"]["id"] == number_id
    assert transfer["counterparty"]["holder_name"] == "Pagos Uno"
    assert transfer["counterparty"]["institution"]["id"] == "40012"
    after = (await sandbox.accounts())["MXN"]
    assert after["available_balance"] == mx["available_balance"] + 102_000
    listed = (await sandbox.get("/v2/transfers", params={"limit": 1})).json()
    assert listed[0]["id"] == transfer["id"]  # newest first
    assert consistent(sandbox.store)


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


async def _inbound(sandbox, currency="MXN", amount=40_000):
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
    return response.json()


async def test_return_an_mx_inbound_transfer(sandbox):
    inbound = await _inbound(sandbox)
    before = (await sandbox.accounts())["MXN"]["available_balance"]
    response = await sandbox.post("/v2/transfers/return", {"transfer_id": inbound["id"]})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "return_pending"
    assert (await sandbox.accounts())["MXN"]["available_balance"] == before - 40_000
    sandbox.clock.advance(4)
    returned = await sandbox.transfer(inbound["id"])
    assert returned["status"] == "returned" and returned["return_reason"]
    assert_error(
        await sandbox.post("/v2/transfers/return", {"transfer_id": inbound["id"]}),
        409,
        "invalid_transfer_status",
        "transfer_id",
    )
    assert consistent(sandbox.store)


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
    for index, magic in enumerate(
        m for m in MAGIC_COUNTERPARTIES if m.outcome != "insufficient_funds"
    ):
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
