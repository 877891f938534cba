"""The first frame's accounts, read from the sandbox's state file (`sandbox.state_peek`).

The body must be byte for byte what the sandbox would serve for the app's
first request, and the reader must refuse whenever the server could answer
differently; a first run seeds the file in the app's process exactly as the
sandbox's own first start would.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fintoc_tui.api.prefetch import ACCOUNTS_PATH, parse_accounts
from fintoc_tui.clock import ManualClock
from fintoc_tui.sandbox import state_peek
from fintoc_tui.sandbox.seed import _clabe, _rut_check, seed_store
from fintoc_tui.sandbox.state_peek import accounts_body, seed_if_missing
from fintoc_tui.sandbox.store import SCHEMA_VERSION, TABLES, SandboxStore

NOW = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)


@pytest.fixture
def state(tmp_path):
    path = tmp_path / "sandbox.sqlite3"
    with SandboxStore(path) as store:
        seed_store(store, now=NOW, transfers=300)
    return path


def _earliest_settlement(path) -> float:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT MIN(settle_at) FROM transfers").fetchone()[0]


async def test_the_body_is_what_the_sandbox_serves(state):
    from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app

    body = accounts_body(state, now=NOW.timestamp())
    with SandboxStore(state) as store:
        app = create_app(store, ManualClock(NOW), jws_public_pems=[])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
            served = await client.get(ACCOUNTS_PATH, headers={"Authorization": SANDBOX_SECRET_KEY})
    assert served.status_code == 200
    assert body == served.content
    assert [a.currency for a in parse_accounts(body)] == ["MXN", "CLP"]


def test_refused_once_a_transfer_is_due_to_settle(state):
    due = _earliest_settlement(state)
    assert accounts_body(state, now=due - 1) is not None
    # The server settles it before it answers, and may move a balance.
    assert accounts_body(state, now=due) is None


def test_refused_without_a_seeded_state_of_this_schema(tmp_path, state):
    assert accounts_body(tmp_path / "missing.sqlite3", now=NOW.timestamp()) is None
    empty = tmp_path / "empty.sqlite3"
    SandboxStore(empty).close()
    assert accounts_body(empty, now=NOW.timestamp()) is None
    with sqlite3.connect(state) as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    assert accounts_body(state, now=NOW.timestamp()) is None  # the sandbox migrates it first


def test_refused_when_the_accounts_take_more_than_a_page(state):
    assert accounts_body(state, now=NOW.timestamp(), limit=2) is not None
    assert accounts_body(state, now=NOW.timestamp(), limit=1) is None


def test_refused_for_a_file_that_is_not_a_database(tmp_path):
    junk = tmp_path / "sandbox.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    assert accounts_body(junk, now=NOW.timestamp()) is None


def test_the_reader_knows_the_store_schema():
    assert state_peek.KNOWN_SCHEMA_VERSION == SCHEMA_VERSION


def test_seed_if_missing_seeds_as_the_sandbox_would(tmp_path, state):
    path = tmp_path / "data" / "sandbox.sqlite3"
    assert seed_if_missing(path, now=NOW) is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(os.listdir(path.parent)) == ["sandbox.sqlite3"]  # no staging file left
    for table in TABLES:
        with sqlite3.connect(path) as ours, sqlite3.connect(state) as theirs:
            query = f"SELECT * FROM {table} ORDER BY 1"
            assert ours.execute(query).fetchall() == theirs.execute(query).fetchall(), table
    with SandboxStore(path) as store:  # the sandbox opens it as its own, in WAL
        assert store.is_seeded()
        with store.reading() as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert seed_if_missing(path, now=NOW + timedelta(days=1)) is False
    assert accounts_body(path, now=NOW.timestamp()) == accounts_body(state, now=NOW.timestamp())


@given(st.text("0123456789", min_size=17, max_size=17))
def test_the_seeds_clabe_check_digit_is_clabes(first17):
    import clabe

    assert _clabe(first17) == first17 + str(clabe.compute_control_digit(first17))


@given(st.integers(min_value=1, max_value=99_999_999))
def test_the_seeds_rut_check_digit_is_stdnums(body):
    from stdnum.cl import rut

    assert _rut_check(str(body)) == rut.calc_check_digit(str(body))
