"""The seed's determinism and invariants, the store on disk, and the magic table."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from fintoc_tui import banking
from fintoc_tui.api.models import Transfer, TransferRequest, parse_list
from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES, OUTCOMES, magic_for, magic_table_text
from fintoc_tui.sandbox.returns import RETURN_FAILS_AMOUNTS, SPEI_RETURN_REASONS
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.store import SandboxStore

NOW = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)


def dump(store: SandboxStore) -> dict[str, list]:
    with store.reading() as db:
        return {
            table: list(db.execute(f"SELECT * FROM {table} ORDER BY seq"))
            for table in ("entities", "accounts", "account_numbers", "transfers", "movements")
        }


def test_same_seed_same_data_and_other_seed_other_data():
    a, b, c = SandboxStore(None), SandboxStore(None), SandboxStore(None)
    seed_store(a, seed=11, transfers=120, now=NOW)
    seed_store(b, seed=11, transfers=120, now=NOW)
    seed_store(c, seed=12, transfers=120, now=NOW)
    assert dump(a) == dump(b)
    assert dump(a)["transfers"] != dump(c)["transfers"]
    assert dump(a)["accounts"] != dump(c)["accounts"]


def test_seed_invariants():
    store = SandboxStore(None)
    seed_store(store, transfers=300, now=NOW)
    assert store.balances() == store.movement_totals()
    with store.reading() as db:
        accounts = [json.loads(r[0]) for r in db.execute("SELECT data FROM accounts")]
        numbers = [json.loads(r[0]) for r in db.execute("SELECT data FROM account_numbers")]
        rows = [r[0] for r in db.execute("SELECT data FROM transfers ORDER BY seq")]
        combos = set(db.execute("SELECT direction, status FROM transfers"))
        movements = [
            json.loads(r[0]) for r in db.execute("SELECT data FROM movements ORDER BY seq")
        ]
    assert {a["currency"] for a in accounts} == {"MXN", "CLP"}
    for account in accounts:
        assert account["available_balance"] == store.balances()[account["id"]] > 0
    mx_numbers = [n for n in numbers if n["number"].startswith("735969")]
    assert len(mx_numbers) == 3
    for number in mx_numbers:
        assert banking.validate_clabe(number["number"]) == number["number"]
        assert banking.clabe_bank(number["number"]) == ("90735", "FINTOC", "735")
    cl_numbers = [n["number"] for n in numbers if n not in mx_numbers]
    assert len(cl_numbers) == 1 and len(cl_numbers[0]) == 14
    transfers = parse_list(Transfer, "[" + ",".join(rows) + "]")
    assert len(transfers) == 300
    for direction, statuses in {
        "outbound": {"pending", "succeeded", "failed", "rejected", "returned"},
        "inbound": {"succeeded", "returned", "return_pending"},
    }.items():
        assert {s for d, s in combos if d == direction} == statuses
    oldest = min(t.transaction_date for t in transfers)
    assert (NOW - oldest).days <= 90 and (NOW - oldest).days >= 80
    assert all(t.transaction_date <= NOW for t in transfers)
    dates = [t.transaction_date for t in transfers]
    assert dates == sorted(dates)  # inserted chronologically, so seq order is time order
    assert [m["transaction_date"] for m in movements] == sorted(
        m["transaction_date"] for m in movements
    )
    for t in transfers:
        assert re.fullmatch(r"tr_[0-9A-Za-z]{27}", t.id)
        # Set once money moved; inbound transfers have one from the start.
        assert (t.post_date is not None) == (
            t.is_inbound or (t.status != "pending" and t.status not in ("failed", "rejected"))
        )
        # Fintoc's return reasons: outbound returns carry a SPEI reason; returns
        # the organisation made have none (UNKNOWN what Fintoc writes there).
        assert (t.return_reason is not None) == (t.status == "returned" and t.is_outbound)
        if t.return_reason is not None:
            assert t.return_reason in SPEI_RETURN_REASONS
        if t.currency == "MXN":
            banking.validate_clabe(t.counterparty.account_number)
        else:
            banking.validate_rut(t.counterparty.holder_id)
            assert t.amount <= banking.MAX_CLP_TRANSFER
        if t.status in ("return_pending",) or (t.direction == "inbound" and t.status == "returned"):
            assert t.currency == "MXN"
    assert {m["type"] for m in movements} == {"other", "transfer", "transfer_return"}
    # One seeded inbound transfer had a return that failed: three movements.
    by_resource: dict[str, list[dict]] = {}
    for movement in movements:
        by_resource.setdefault(movement["resource_id"], []).append(movement)
    failed_returns = [
        t for t in transfers if t.status == "succeeded" and len(by_resource[t.id]) == 3
    ]
    assert failed_returns and all(t.is_inbound for t in failed_returns)
    for t in failed_returns:
        arrival, held, back = by_resource[t.id]
        assert arrival["return_pair_id"] is None
        assert (held["return_pair_id"], back["return_pair_id"]) == (back["id"], held["id"])
    tracked = [t.tracking_key for t in transfers if t.currency == "MXN"]
    assert store.get_meta("counter:tracking") == str(len(tracked))


def test_seed_refuses_a_seeded_store():
    store = SandboxStore(None)
    seed_store(store, transfers=5, now=NOW)
    with pytest.raises(RuntimeError):
        seed_store(store, transfers=5, now=NOW)


def test_state_survives_restarts_and_reset(tmp_path):
    path = tmp_path / "state.sqlite3"
    store = SandboxStore(path)
    seed_store(store, transfers=50, now=NOW)
    before = dump(store)
    store.close()
    reopened = SandboxStore(path)
    assert reopened.is_seeded() and dump(reopened) == before
    with reopened.reading() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened.reset()
    assert not reopened.is_seeded() and reopened.count("transfers") == 0
    reopened.close()


def test_magic_table_is_valid_and_covers_every_outcome():
    for currency in ("MXN", "CLP"):
        rows = [m for m in MAGIC_COUNTERPARTIES if m.currency == currency]
        assert sorted(m.outcome for m in rows) == sorted(OUTCOMES)
    numbers = [m.account_number for m in MAGIC_COUNTERPARTIES]
    assert len(numbers) == len(set(numbers))
    for magic in MAGIC_COUNTERPARTIES:
        assert magic_for(magic.currency.lower(), magic.account_number) is magic
        # Every row passes the client's own validation as a counterparty.
        request = TransferRequest.model_validate(
            {
                "amount": 100,
                "currency": magic.currency,
                "account_id": "acc_x",
                "counterparty": magic.counterparty(),
            }
        )
        assert request.counterparty.account_number == magic.account_number
        if magic.currency == "CLP":
            assert magic.institution_id in banking.CL_INSTITUTIONS
    assert magic_for("MXN", "646180000000000054") is None
    # Fintoc's documented CLABE gives Fintoc's documented outcome.
    assert magic_for("MXN", "012969100000000013").outcome == "rejected"
    text = magic_table_text()
    assert all(m.account_number in text for m in MAGIC_COUNTERPARTIES)
    assert all(str(a) in text for amounts in RETURN_FAILS_AMOUNTS.values() for a in amounts)
    assert "$1,313.00 MXN" in text and "return fails" in text


def test_magic_imports_nothing_heavy():
    code = (
        "import sys; import fintoc_tui.sandbox.magic as m; "
        "print([x for x in ('pydantic','starlette','httpx','clabe','stdnum','textual') if x in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_seeded_rows_are_byte_identical_to_the_object_builders():
    """The seed writes JSON through templates for speed; it must match objects.py exactly."""
    from fintoc_tui.sandbox import objects
    from fintoc_tui.sandbox.store import dumps

    store = SandboxStore(None)
    seed_store(store, transfers=200, now=NOW)
    with store.reading() as db:
        transfers = [r[0] for r in db.execute("SELECT data FROM transfers")]
        movements = [r[0] for r in db.execute("SELECT data FROM movements")]
    for raw in transfers:
        t = json.loads(raw)
        rebuilt = objects.transfer_object(
            t["id"],
            **{k: t[k] for k in t if k not in ("id", "object", "mode")},
        )
        assert dumps(rebuilt) == raw
    for raw in movements:
        m = json.loads(raw)
        rebuilt = objects.movement_object(
            m["id"], **{k: m[k] for k in m if k not in ("id", "object", "mode")}
        )
        assert dumps(rebuilt) == raw
