"""Shapes: every object as Fintoc's real test mode writes it (fintoc-api-additions.md §1, §6, §11).

Read-only. Each case runs against the sandbox and, with `-m fintoc_live_contract`,
against Fintoc: a failure on Fintoc is a difference to fix in the sandbox (or
in the app's reading of the API).
"""

from __future__ import annotations

import itertools
import re

from fintoc_tui import banking
from fintoc_tui.api.models import Account, Movement, Transfer

#: Key order of a real Transfer (REC-MX and REC-CL agree).
TRANSFER_KEYS = [
    "object", "id", "amount", "currency", "direction", "status", "transaction_date",
    "post_date", "comment", "reference_id", "tracking_key", "receipt_url", "mode",
    "counterparty", "account_number", "metadata", "return_reason",
]  # fmt: skip
ACCOUNT_KEYS = {
    "id", "object", "mode", "root_account_number", "is_root", "root_account_number_id",
    "available_balance", "currency", "entity", "description", "status",
}  # fmt: skip
MOVEMENT_KEYS = {
    "id", "object", "account_id", "amount", "balance", "currency", "direction", "mode",
    "resource_id", "return_pair_id", "transaction_date", "type",
}  # fmt: skip
MIDNIGHT = re.compile(r"^\d{4}-\d\d-\d\dT00:00:00(\.0+)?Z$")
TRACKING_KEY = re.compile(r"^\d{8}\d{5}\d{17}$")


async def test_accounts_are_a_bare_array_the_client_reads(target):
    response = await target.raw.get("/v2/accounts")
    assert response.status_code == 200
    assert "link" in response.headers  # present, empty on the last page
    data = response.json()
    assert isinstance(data, list) and data, f"{target.name} has no accounts"
    for raw in data:
        assert set(raw) >= ACCOUNT_KEYS, sorted(ACCOUNT_KEYS - set(raw))
        account = Account.model_validate(raw)
        assert type(account.available_balance) is int and account.mode == "test"
        if account.currency == "MXN":
            number = account.root_account_number or ""
            assert banking.validate_clabe(number) == number
    info = await target.client.whoami()
    assert info.account_count == len(data) and info.mode == "test"


async def test_entities_have_one_root(target):
    entities = await target.get_json("/v2/entities")
    assert sum(e["is_root"] for e in entities) == 1
    for entity in entities:
        assert {"id", "mode", "holder_name", "holder_id", "is_root", "object"} <= set(entity)


async def test_transfers_are_shaped_as_fintoc_writes_them(target):
    """Key order, no created_at, Banxico codes and names, Chile's nulls, post_date at 00:00Z."""
    data = await target.get_json("/v2/transfers", limit=300)
    for raw in data:
        assert list(raw) == TRANSFER_KEYS, f"{raw['id']}: {list(raw)}"
        transfer = Transfer.model_validate(raw)  # the app reads every one
        cp = raw["counterparty"]
        institution = cp["institution"]
        if raw["currency"] == "MXN":
            bank = banking.clabe_bank(cp["account_number"] or "")
            if bank is not None:  # a bank the app's table knows: same code, same name
                assert institution["id"] == bank.banxico_code, (raw["id"], institution)
                assert institution["name"] == bank.name, (raw["id"], institution)
            if raw["tracking_key"] is not None:
                assert TRACKING_KEY.match(raw["tracking_key"]), raw["tracking_key"]
        else:
            assert raw["reference_id"] is None and raw["tracking_key"] is None, raw["id"]
            assert raw["receipt_url"] is None, raw["id"]
            assert str(institution["id"]).startswith("cl_")
            assert "-" not in (cp["holder_id"] or ""), cp["holder_id"]
        if raw["post_date"] is not None:
            assert MIDNIGHT.match(raw["post_date"]), (raw["id"], raw["post_date"])
        elif raw["direction"] == "inbound":
            raise AssertionError(f"{raw['id']}: an inbound transfer has a post_date")
        if raw["status"] == "pending" and raw["direction"] == "outbound":
            assert raw["post_date"] is None and raw["receipt_url"] is None
        assert transfer.is_final or transfer.status in ("pending", "return_pending")


async def test_movements_chain_their_balances_and_pair_their_reversals(target):
    for account in (await target.accounts()).values():
        raw = await target.get_json(f"/v2/accounts/{account['id']}/movements", limit=300)
        movements = [Movement.model_validate(m) for m in raw]
        for movement, data in zip(movements, raw, strict=True):
            assert set(data) >= MOVEMENT_KEYS, sorted(MOVEMENT_KEYS - set(data))
            assert movement.amount > 0  # unsigned; `direction` says which way
        if movements:
            assert movements[0].balance == account["available_balance"]
        for newer, older in itertools.pairwise(movements):
            assert newer.balance == older.balance + newer.signed_amount, newer.id
        by_id = {m.id: m for m in movements}
        for movement in movements:
            other = by_id.get(movement.return_pair_id or "")
            if other is not None:  # set on both halves of a reversal
                assert other.return_pair_id == movement.id
                assert other.direction != movement.direction


async def test_movement_filters(target):
    account = next(iter((await target.accounts()).values()))
    path = f"/v2/accounts/{account['id']}/movements"
    everything = await target.get_json(path, limit=300)
    for direction in ("inbound", "outbound"):
        some = await target.get_json(path, direction=direction, limit=300)
        assert all(m["direction"] == direction for m in some)
        assert len(some) == sum(m["direction"] == direction for m in everything)
    with_resource = [m for m in everything if m["resource_id"]]
    if with_resource:
        resource = with_resource[-1]["resource_id"]
        mine = await target.get_json(path, resource_id=resource)
        assert mine and {m["resource_id"] for m in mine} == {resource}
        # The client sends the same filters.
        movements = await target.client.list_movements(account["id"], resource_id=resource)
        assert [m.id for m in movements] == [m["id"] for m in mine]
    if len(everything) >= 2:
        newest, oldest = everything[0]["transaction_date"], everything[-1]["transaction_date"]
        window = await target.get_json(path, since=oldest, until=newest, limit=300)
        assert len(window) == len(everything)
        after = await target.get_json(path, since=newest, limit=300)
        assert after and all(m["transaction_date"] >= newest for m in after)
