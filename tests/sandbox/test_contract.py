"""Contract tests for the read endpoints, auth and Fintoc-shaped errors (fintoc-api.md §1-3, §8)."""

from __future__ import annotations

import itertools
import re

import pytest
from sandbox_helpers import assert_error

from fintoc_tui.api.models import Account, AccountNumber, Movement, Transfer, parse_list
from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY

ID_RE = re.compile(r"^[a-z]+_[0-9A-Za-z]{27}$")
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


async def test_accounts_list_and_get(sandbox):
    response = await sandbox.get("/v2/accounts")
    assert response.status_code == 200
    assert response.headers["link"] == ""
    accounts = parse_list(Account, response.content)
    assert [a.currency for a in accounts] == ["MXN", "CLP"]
    for account in accounts:
        assert ID_RE.match(account.id) and account.id.startswith("acc_")
        assert account.mode == "test" and account.is_root and account.status == "active"
        assert account.available_balance > 0
        assert account.entity is not None and account.entity.holder_name == "Tienda Demo SpA"
        one = await sandbox.get(f"/v2/accounts/{account.id}")
        assert one.json() == account.to_api_dict()
    mx = accounts[0]
    assert mx.root_account_number.startswith("735969")  # a Fintoc test CLABE (Banxico 90735)
    assert len(accounts[1].root_account_number) == 14  # a Chilean Fintoc account number


async def test_account_numbers_filter_and_get(sandbox):
    accounts = await sandbox.accounts()
    response = await sandbox.get(
        "/v2/account_numbers", params={"account_id": accounts["MXN"]["id"]}
    )
    numbers = parse_list(AccountNumber, response.content)
    assert len(numbers) == 3 and all(n.account_id == accounts["MXN"]["id"] for n in numbers)
    assert sum(n.is_root for n in numbers) == 1
    everything = (await sandbox.get("/v2/account_numbers")).json()
    assert len(everything) == 4
    one = await sandbox.get(f"/v2/account_numbers/{numbers[0].id}")
    assert one.json()["number"] == numbers[0].number


async def test_entities(sandbox):
    entities = (await sandbox.get("/v2/entities")).json()
    assert len(entities) == 1 and entities[0]["is_root"] is True
    assert (await sandbox.get(f"/v2/entities/{entities[0]['id']}")).status_code == 200


async def test_movements_are_newest_first_and_chain_balances(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    response = await sandbox.get(f"/v2/accounts/{mx['id']}/movements", params={"limit": 300})
    movements = parse_list(Movement, response.content)
    assert movements[0].balance == mx["available_balance"]
    for newer, older in itertools.pairwise(movements):
        assert newer.balance == older.balance + newer.signed_amount
        assert newer.transaction_date >= older.transaction_date
    assert list(response.json()[0]) == [
        "id", "object", "account_id", "amount", "balance", "currency", "direction", "mode",
        "resource_id", "return_pair_id", "transaction_date", "type",
    ]  # fmt: skip
    assert_error(
        await sandbox.get("/v2/accounts/acc_nope/movements"), 404, "missing_resource", "account_id"
    )


async def all_movements(sandbox, account_id: str, **params) -> list[dict]:
    """Every movement of the account matching `params`, following `Link`."""
    found: list[dict] = []
    url: str | None = f"/v2/accounts/{account_id}/movements"
    query: dict | None = {"limit": 300, **params}
    while url:
        response = await sandbox.get(url, params=query)
        assert response.status_code == 200, response.text
        found += response.json()
        url = response.links.get("next", {}).get("url") or None
        query = None
    return found


async def test_reversals_name_each_other_in_return_pair_id(sandbox):
    """A failed, rejected or returned transfer's money back, and a return, are pairs (§6)."""
    for account in (await sandbox.accounts()).values():
        movements = await all_movements(sandbox, account["id"])
        by_id = {m["id"]: m for m in movements}
        paired = [m for m in movements if m["return_pair_id"]]
        assert paired, account["currency"]
        for movement in paired:
            other = by_id[movement["return_pair_id"]]
            assert other["return_pair_id"] == movement["id"]  # set on both halves
            assert other["resource_id"] == movement["resource_id"]
            assert other["direction"] != movement["direction"]
            assert other["amount"] == movement["amount"]
        for movement in movements:
            if movement["type"] == "transfer_return" and movement["direction"] == "inbound":
                assert movement["return_pair_id"], movement  # money given back reverses something


async def test_movement_filters(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    everything = await all_movements(sandbox, mx["id"])
    inbound = await all_movements(sandbox, mx["id"], direction="inbound")
    outbound = await all_movements(sandbox, mx["id"], direction="outbound")
    assert inbound and outbound
    assert all(m["direction"] == "inbound" for m in inbound)
    assert all(m["direction"] == "outbound" for m in outbound)
    assert len(inbound) + len(outbound) == len(everything)
    window = await all_movements(
        sandbox, mx["id"], since="2025-08-01T00:00:00Z", until="2025-08-15"
    )
    assert window and all(
        "2025-08-01T00:00:00Z" <= m["transaction_date"] <= "2025-08-15T00:00:00Z" for m in window
    )
    assert len(window) == sum(
        "2025-08-01T00:00:00Z" <= m["transaction_date"] <= "2025-08-15T00:00:00Z"
        for m in everything
    )
    resource = next(m["resource_id"] for m in everything if m["return_pair_id"])
    pair = await all_movements(sandbox, mx["id"], resource_id=resource)
    assert {m["resource_id"] for m in pair} == {resource} and len(pair) >= 2
    # Paged: two at a time, the Link carries the filter.
    first = await sandbox.get(
        f"/v2/accounts/{mx['id']}/movements", params={"direction": "inbound", "limit": 2}
    )
    assert len(first.json()) == 2 and "direction=inbound" in first.links["next"]["url"]
    for params, param in (
        ({"direction": "up"}, "direction"),
        ({"since": "later"}, "since"),
        ({"resource_id": "tr_" + "x" * 100}, "resource_id"),
    ):
        assert_error(
            await sandbox.get(f"/v2/accounts/{mx['id']}/movements", params=params),
            400,
            "invalid_request",
            param,
        )


async def test_transfer_get_and_list_parse_as_client_models(sandbox):
    response = await sandbox.get("/v2/transfers", params={"limit": 50})
    transfers = parse_list(Transfer, response.content)
    assert len(transfers) == 50
    for transfer in transfers:
        assert TS_RE.match(response.json()[0]["transaction_date"])
        fetched = await sandbox.transfer(transfer.id)
        assert fetched == transfer.to_api_dict()
    dates = [t.transaction_date for t in transfers]
    assert dates == sorted(dates, reverse=True)


async def test_missing_transfer_is_404_naming_the_id(sandbox):
    error = assert_error(
        await sandbox.get("/v2/transfers/tr_doesnotexist"),
        404,
        "missing_resource",
        "id",
        "invalid_request_error",
    )
    assert error["message"] == "No such transfer: tr_doesnotexist"
    assert_error(await sandbox.get("/v2/accounts/acc_x"), 404, "missing_resource", "id")


@pytest.mark.parametrize(
    "header",
    [SANDBOX_SECRET_KEY, f"Bearer {SANDBOX_SECRET_KEY}", f"bearer   {SANDBOX_SECRET_KEY}"],
)
async def test_auth_accepts_raw_and_bearer(sandbox, header):
    response = await sandbox.client.get("/v2/accounts", headers={"Authorization": header})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "invalid_api_key"),
        ("", "invalid_api_key"),
        ("Bearer ", "invalid_api_key"),
        ("sk_test_someoneelse", "invalid_api_key"),
        ("sk_live_" + "abcdefghijklmnop", "invalid_api_key_mode"),
    ],
)
async def test_auth_rejections(sandbox, header, code):
    headers = {"Authorization": header} if header is not None else {}
    client = sandbox.client
    saved = client.headers.pop("Authorization")
    try:
        response = await client.get("/v2/transfers", headers=headers)
    finally:
        client.headers["Authorization"] = saved
    error = assert_error(response, 401, code, type_="authentication_error")
    key = (header or "").removeprefix("Bearer ").strip()
    if key:
        assert key not in error["message"]  # never echo a key back
    if code == "invalid_api_key_mode":
        assert "test" in error["message"] and "sandbox" in error["message"]


async def test_unknown_route_and_method_are_fintoc_shaped(sandbox):
    assert_error(await sandbox.get("/v2/nothing_here"), 404, "missing_resource")
    assert_error(await sandbox.get("/"), 404, "missing_resource")
    response = await sandbox.client.delete("/v2/transfers")
    assert_error(response, 405, "method_not_allowed")
    response = await sandbox.client.put("/v2/accounts")
    assert_error(response, 405, "method_not_allowed")


async def test_invalid_json_and_non_object_bodies(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    assert_error(await sandbox.post("/v2/transfers", body=b'{"amount": 1'), 400, "invalid_json")
    assert_error(await sandbox.post("/v2/transfers", body=b"[1, 2]"), 400, "invalid_request")
    assert_error(
        await sandbox.post("/v2/simulate/receive_transfer", body=b"\xff\xfe", sign=False),
        400,
        "invalid_json",
    )
    assert mx  # the account is untouched by bad bodies
    assert (await sandbox.accounts())["MXN"]["available_balance"] == mx["available_balance"]


async def test_unknown_query_parameters_are_ignored(sandbox):
    response = await sandbox.get("/v2/accounts", params={"lazy": "false", "whatever": "1"})
    assert response.status_code == 200 and len(response.json()) == 2


async def test_transfer_list_filters(sandbox):
    accounts = await sandbox.accounts()
    clp = accounts["CLP"]["id"]
    for params, check in [
        ({"direction": "inbound"}, lambda t: t["direction"] == "inbound"),
        ({"status": "failed"}, lambda t: t["status"] == "failed"),
        ({"account_id": clp}, lambda t: t["currency"] == "CLP"),
        (
            {"since": "2025-08-01T00:00:00Z", "until": "2025-08-15"},
            lambda t: "2025-08-01T00:00:00Z" <= t["transaction_date"] <= "2025-08-15T00:00:00Z",
        ),
    ]:
        response = await sandbox.get("/v2/transfers", params={**params, "limit": 300})
        assert response.status_code == 200, response.text
        items = response.json()
        assert items and all(check(t) for t in items), params
    number = (
        await sandbox.get("/v2/account_numbers", params={"account_id": accounts["MXN"]["id"]})
    ).json()[1]
    items = (
        await sandbox.get("/v2/transfers", params={"account_number_id": number["id"], "limit": 300})
    ).json()
    assert items and all(t["account_number"]["id"] == number["id"] for t in items)


@pytest.mark.parametrize(
    "query",
    [
        "status=failed,rejected",
        "status[]=failed&status[]=rejected",
        "status=failed&status=rejected",
        "status=failed&status[]=rejected,failed",
    ],
)
async def test_several_statuses_in_any_spelling(sandbox, query):
    """Fintoc documents `status` as an array but not its query syntax: all three work."""
    response = await sandbox.get(f"/v2/transfers?{query}&limit=300")
    assert response.status_code == 200, response.text
    statuses = [t["status"] for t in response.json()]
    assert set(statuses) == {"failed", "rejected"}
    with sandbox.store.reading() as db:
        (count,) = db.execute(
            "SELECT COUNT(*) FROM transfers WHERE status IN ('failed', 'rejected')"
        ).fetchone()
    assert len(statuses) == count
    # The next page's Link keeps the filter, in the spelling it came in.
    seen: list[str] = []
    url: str | None = f"/v2/transfers?{query}&limit=7"
    while url:
        page = await sandbox.get(url)
        seen += [t["status"] for t in page.json()]
        url = page.links.get("next", {}).get("url") or None
    assert seen == statuses


async def test_documented_statuses_the_sandbox_never_reaches_filter_to_nothing(sandbox):
    for status in ("reject_failed", "partially_succeeded"):
        response = await sandbox.get("/v2/transfers", params={"status": status})
        assert response.status_code == 200 and response.json() == []


async def test_transfer_batch_filter_finds_nothing_the_sandbox_never_batches(sandbox):
    response = await sandbox.get("/v2/transfers", params={"transfer_batch_id": "tb_123"})
    assert response.status_code == 200 and response.json() == [] and response.headers["link"] == ""
    assert_error(
        await sandbox.get("/v2/transfers", params={"transfer_batch_id": "tb_" + "9" * 80}),
        400,
        "invalid_request",
        "transfer_batch_id",
    )


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"status": "lost"}, "status"),
        ({"status": "succeeded,lost"}, "status"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2025-13-45"}, "until"),
    ],
)
async def test_bad_filters_name_the_param(sandbox, params, param):
    assert_error(await sandbox.get("/v2/transfers", params=params), 400, "invalid_request", param)


#: Key order of a real Transfer response (REC-MX and REC-CL agree; additions §1.2).
TRANSFER_KEYS = [
    "object", "id", "amount", "currency", "direction", "status", "transaction_date",
    "post_date", "comment", "reference_id", "tracking_key", "receipt_url", "mode",
    "counterparty", "account_number", "metadata", "return_reason",
]  # fmt: skip
TRACKING_KEY_RE = re.compile(r"^\d{8}90735\d{17}$")
MIDNIGHT_RE = re.compile(r"^\d{4}-\d\d-\d\dT00:00:00Z$")


async def test_transfers_have_the_shapes_fintoc_answers(sandbox):
    """Every seeded transfer as real test mode writes one (additions §1.1-1.3)."""
    from fintoc_tui import banking

    response = await sandbox.get("/v2/transfers", params={"limit": 300})
    transfers = response.json()
    assert {t["currency"] for t in transfers} == {"MXN", "CLP"}
    for t in transfers:
        assert list(t) == TRANSFER_KEYS and "created_at" not in t
        institution = t["counterparty"]["institution"]
        if t["currency"] == "MXN":
            assert re.fullmatch(r"\d{5}", institution["id"]), institution
            assert institution["name"] == banking.mx_institution(institution["id"])
            assert (
                institution["name"] == institution["name"].upper() or institution["id"] == "90723"
            )
            assert TRACKING_KEY_RE.match(t["tracking_key"])
            assert t["tracking_key"][:8] == t["transaction_date"][:10].replace("-", "")
            assert t["account_number"]["number"].startswith("735969")
        else:
            # Chile: no SPEI reference, tracking key or receipt, whatever the status.
            assert t["reference_id"] is None and t["tracking_key"] is None
            assert t["receipt_url"] is None
            assert institution["id"].startswith("cl_") and institution["name"].istitle()
            assert "-" not in t["counterparty"]["holder_id"]
        if t["post_date"] is not None:
            assert MIDNIGHT_RE.match(t["post_date"]), t["post_date"]
        if t["direction"] == "outbound" and t["status"] == "pending":
            assert t["post_date"] is None
    keys = [t["tracking_key"] for t in transfers if t["tracking_key"]]
    assert len(set(keys)) == len(keys)  # one counter, never reused
    cl_succeeded = [t for t in transfers if t["currency"] == "CLP" and t["status"] == "succeeded"]
    assert cl_succeeded and all(t["receipt_url"] is None for t in cl_succeeded)
