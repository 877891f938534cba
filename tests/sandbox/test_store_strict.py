"""Issue 12 §1: SQLite itself refuses a float balance; older state files migrate or say why not."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from fintoc_tui.clock import ManualClock
from fintoc_tui.money import MAX_AMOUNT
from fintoc_tui.sandbox import ledger
from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.store import TABLES, SandboxStateError, SandboxStore

# The schema of version 1 (main before issue 12), as state files on disk have it.
V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entities (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
CREATE TABLE accounts (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, currency TEXT NOT NULL,
    status TEXT NOT NULL,
    available_balance INTEGER NOT NULL CHECK (available_balance >= 0), data TEXT NOT NULL
);
CREATE TABLE account_numbers (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE, data TEXT NOT NULL
);
CREATE INDEX account_numbers_account ON account_numbers (account_id, seq);
CREATE TABLE transfers (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL,
    account_number_id TEXT NOT NULL, direction TEXT NOT NULL, status TEXT NOT NULL,
    currency TEXT NOT NULL, amount INTEGER NOT NULL, ts INTEGER NOT NULL, settle_at REAL,
    outcome TEXT NOT NULL, dedupe_key TEXT, data TEXT NOT NULL
);
CREATE INDEX transfers_account ON transfers (account_id, seq);
CREATE INDEX transfers_account_number ON transfers (account_number_id, seq);
CREATE INDEX transfers_status ON transfers (status, seq);
CREATE INDEX transfers_direction ON transfers (direction, seq);
CREATE INDEX transfers_ts ON transfers (ts);
CREATE INDEX transfers_due ON transfers (settle_at) WHERE settle_at IS NOT NULL;
CREATE INDEX transfers_dedupe ON transfers (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE TABLE movements (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX movements_account ON movements (account_id, seq);
CREATE TABLE idempotency (
    key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status INTEGER NOT NULL,
    body BLOB NOT NULL, created_at REAL NOT NULL
);
"""


def strict_flags(path: Path | None, store: SandboxStore | None = None) -> dict[str, int]:
    db = sqlite3.connect(path) if path is not None else None
    try:
        conn = db if db is not None else store._conn
        rows = conn.execute("SELECT name, strict FROM pragma_table_list WHERE schema = 'main'")
        return {name: strict for name, strict in rows if name in TABLES}
    finally:
        if db is not None:
            db.close()


@pytest.fixture
def clock():
    from datetime import UTC, datetime

    return ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))


def version_1_file(tmp_path: Path, clock, *, transfers: int = 40) -> Path:
    """A seeded state file laid out as version 1 wrote it (non-STRICT tables, WAL)."""
    seeded = tmp_path / "seeded.sqlite3"
    store = SandboxStore(seeded)
    seed_store(store, transfers=transfers, now=clock.now())
    store.close()
    old = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(old, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(V1_SCHEMA)
    db.execute("ATTACH DATABASE ? AS seeded", (str(seeded),))
    db.execute("BEGIN")
    for table in TABLES:
        if table == "movements":  # version 1 had neither the filter columns nor the pairs
            db.execute(
                "INSERT INTO main.movements SELECT seq, id, account_id, "
                "json_remove(data, '$.return_pair_id') FROM seeded.movements"
            )
        else:
            db.execute(f"INSERT INTO main.{table} SELECT * FROM seeded.{table}")
    db.execute("UPDATE main.meta SET value = '1' WHERE key = 'schema_version'")
    db.execute("COMMIT")
    db.execute("DETACH DATABASE seeded")
    db.close()
    return old


def version_2_file(tmp_path: Path, clock, *, transfers: int = 60) -> tuple[Path, list[tuple]]:
    """A seeded state file as version 2 wrote it: STRICT, movements without the schema-3 parts.

    Also returns the movements as the seed wrote them, to compare the migration with.
    """
    path = tmp_path / "v2.sqlite3"
    store = SandboxStore(path)
    seed_store(store, transfers=transfers, now=clock.now())
    with store.reading() as db:
        original = list(
            db.execute("SELECT seq, id, data, direction, resource_id, ts FROM movements")
        )
    store.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute("DROP INDEX movements_resource")
    for column in ("direction", "resource_id", "ts"):
        db.execute(f"ALTER TABLE movements DROP COLUMN {column}")
    db.execute("UPDATE movements SET data = json_remove(data, '$.return_pair_id')")
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    db.execute("COMMIT")
    db.close()
    return path, original


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def test_every_table_is_strict():
    with SandboxStore(None) as store:
        assert strict_flags(None, store) == dict.fromkeys(TABLES, 1)


@pytest.mark.parametrize("value", [1.5, 1.000000000025e19, "twelve", MAX_AMOUNT + 1, -1])
def test_sqlite_refuses_a_balance_that_is_not_a_bounded_int(value):
    with SandboxStore(None) as store:
        seed_store(store, transfers=3)
        account_id = next(iter(store.balances()))
        with pytest.raises(sqlite3.IntegrityError), store.transaction() as db:
            db.execute(
                "UPDATE accounts SET available_balance = ? WHERE id = ?", (value, account_id)
            )
        assert type(store.balances()[account_id]) is int


def test_a_credit_past_the_bound_changes_nothing():
    with SandboxStore(None) as store:
        seed_store(store, transfers=3)
        account_id, balance = next(iter(store.balances().items()))
        with store.transaction() as db:
            assert ledger.credit(db, account_id, MAX_AMOUNT - balance + 1) is None
            assert ledger.credit(db, account_id, MAX_AMOUNT - balance) == MAX_AMOUNT
        assert store.balances()[account_id] == MAX_AMOUNT
        assert store.get("accounts", account_id)["available_balance"] == MAX_AMOUNT


@pytest.mark.parametrize("amount", [0, -5, True, 1.0, MAX_AMOUNT + 1, 2**63])
def test_credit_and_debit_take_only_bounded_int_amounts(amount):
    with SandboxStore(None) as store:
        seed_store(store, transfers=3)
        account_id = next(iter(store.balances()))
        before = store.balances()
        with store.transaction() as db:
            for move in (ledger.credit, ledger.debit):
                with pytest.raises(ValueError, match="int from 1"):
                    move(db, account_id, amount)
        assert store.balances() == before


async def test_a_version_1_file_migrates_to_strict_and_keeps_everything(tmp_path, clock):
    path = version_1_file(tmp_path, clock)
    assert set(strict_flags(path).values()) == {0}
    before = dump(path)
    rows_before = {line for line in before if line.startswith("INSERT")}

    store = SandboxStore(path)
    try:
        assert strict_flags(path) == dict.fromkeys(TABLES, 1)
        assert store.get_meta("schema_version") == "3"

        def kept(lines):  # movements gain columns and pairs (schema 3), checked below
            return {
                line
                for line in lines
                if line.startswith("INSERT")
                and "schema_version" not in line
                and '"movements"' not in line
            }

        assert kept(dump(path)) == kept(rows_before)
        with store.reading() as db:
            rows = list(db.execute("SELECT data, direction, resource_id, ts FROM movements"))
        assert len(rows) == sum('"movements"' in line for line in rows_before)
        for data, direction, resource_id, ts in rows:
            movement = json.loads(data)
            assert (direction, resource_id) == (movement["direction"], movement["resource_id"])
            assert ts == int(datetime.fromisoformat(movement["transaction_date"]).timestamp())
            assert "return_pair_id" in movement
        indexes = {
            name
            for (name,) in store._conn.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'index'"
            )
        }
        assert {"transfers_due", "transfers_dedupe", "movements_account"} <= indexes
        assert not any(name.endswith("_v1") for name in indexes)

        app = create_app(store, clock)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://sandbox.test",
            headers={"Authorization": SANDBOX_SECRET_KEY},
        ) as client:
            response = await client.get("/v2/transfers", params={"limit": 5})
            assert response.status_code == 200 and len(response.json()) == 5
        assert store.balances() == store.movement_totals()
    finally:
        store.close()
    # Opening it again is a no-op.
    with SandboxStore(path) as again:
        assert again.get_meta("schema_version") == "3"


async def test_a_version_2_file_gains_the_movement_columns_and_pairs(tmp_path, clock):
    """Schema 3 (issue 13): filters need columns; every reversal gets its `return_pair_id`."""
    path, original = version_2_file(tmp_path, clock)
    with SandboxStore(path) as store:
        assert store.get_meta("schema_version") == "3"
        with store.reading() as db:
            migrated = list(
                db.execute("SELECT seq, id, data, direction, resource_id, ts FROM movements")
            )
        # Version 2 never made a failed return (three movements for one transfer),
        # so only those differ: their pairs are not worked out again.
        triples = {
            resource
            for resource in {row[4] for row in original}
            if sum(row[4] == resource for row in original) == 3
        }
        assert triples  # the seed has one, so the test sees the difference
        for before, after in zip(original, migrated, strict=True):
            if before[4] in triples:
                assert json.loads(after[2])["return_pair_id"] is None
            else:
                assert after == before
        app = create_app(store, clock)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://sandbox.test",
            headers={"Authorization": SANDBOX_SECRET_KEY},
        ) as client:
            account_id = json.loads(migrated[-1][2])["account_id"]
            response = await client.get(
                f"/v2/accounts/{account_id}/movements", params={"direction": "inbound"}
            )
            assert response.status_code == 200
            assert {m["direction"] for m in response.json()} == {"inbound"}
    with SandboxStore(path) as again, again.reading() as db:  # a no-op the second time
        rows = db.execute("SELECT seq, id, data, direction, resource_id, ts FROM movements")
        assert list(rows) == migrated


def corrupt(path: Path, sql: str) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(sql)
    db.close()


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        (
            # What the attack left behind: the balance became a REAL.
            "UPDATE accounts SET available_balance = 1.000000000025e19 WHERE seq = 1",
            "has a balance of 1.000000000025e+19",
        ),
        ("UPDATE transfers SET amount = 9223372036854775807 WHERE seq = 1", "has an amount of"),
        (
            # Full, with an outbound transfer still due that may be given back.
            "UPDATE transfers SET settle_at = 1e12 WHERE seq = (SELECT MIN(seq) FROM "
            "transfers WHERE direction = 'outbound' AND currency = 'MXN');"
            f"UPDATE accounts SET available_balance = {MAX_AMOUNT} WHERE currency = 'MXN'",
            "would pass the bound when its transfers settle",
        ),
    ],
)
def test_a_version_1_file_that_breaks_the_bound_is_refused_untouched(tmp_path, clock, sql, problem):
    path = version_1_file(tmp_path, clock)
    corrupt(path, sql)
    before = dump(path)
    with pytest.raises(SandboxStateError) as caught:
        SandboxStore(path)
    message = str(caught.value)
    assert problem in message and str(path) in message
    assert "Nothing was changed" in message and "fintoc-tui sandbox reset" in message
    assert dump(path) == before
    assert set(strict_flags(path).values()) == {0}


def test_the_cli_explains_a_state_file_it_cannot_open(tmp_path, clock, isolated_home):
    broken = version_1_file(tmp_path, clock)
    corrupt(broken, "UPDATE accounts SET available_balance = 1.000000000025e19 WHERE seq = 1")
    not_sqlite = tmp_path / "notes.sqlite3"
    not_sqlite.write_text("these are my notes, not a database\n" * 100)
    env = {**os.environ, "FINTOC_TUI_HOME": str(isolated_home)}
    for path, words in ((broken, "older version"), (not_sqlite, "not a sandbox state file")):
        result = subprocess.run(
            [sys.executable, "-m", "fintoc_tui", "sandbox", "--state", str(path), "--port", "0"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 1, result.stderr
        assert words in result.stderr and "fintoc-tui sandbox reset" in result.stderr
        assert "Traceback" not in result.stderr
    assert not_sqlite.read_text().startswith("these are my notes")
