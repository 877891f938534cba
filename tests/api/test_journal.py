"""The journal: durable before sending, honest about what is unresolved."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest

from fintoc_tui import paths
from fintoc_tui.clock import ManualClock
from fintoc_tui.journal import Journal

BODY = b'{"amount":59013,"currency":"MXN","account_id":"acc_x","counterparty":{"account_number":"012180015017460373"}}'


@pytest.fixture
def clock():
    return ManualClock(datetime(2025, 9, 2, 12, 0, 0, tzinfo=UTC))


@pytest.fixture
def journal(clock):
    with Journal(clock=clock) as journal:
        yield journal


def test_lives_at_the_journal_file_and_is_private(journal):
    assert journal.path == paths.journal_file()
    assert journal.path.exists()
    assert (journal.path.stat().st_mode & 0o777) == 0o600


def test_durability_settings(journal):
    assert journal.settings() == {"journal_mode": "wal", "synchronous": "FULL"}


def test_intent_then_success(journal, clock):
    entry = journal.record_intent(
        environment="test", kind="transfer", idempotency_key="k1", body=BODY
    )
    assert entry.state == "prepared" and not entry.resolved
    assert entry.body == BODY
    assert entry.created_at == clock.now()
    assert entry.attempts == 0
    journal.record_attempt("k1")
    clock.advance(5)
    done = journal.record_success("k1", transfer_id="tr_1", status="pending")
    assert done.resolved and done.state == "succeeded"
    assert (done.transfer_id, done.transfer_status, done.attempts) == ("tr_1", "pending", 1)
    assert done.updated_at == clock.now() and done.created_at != done.updated_at


def test_unresolved_lists_prepared_and_unknown_per_environment(journal):
    for key, env in [("a", "test"), ("b", "test"), ("c", "test"), ("d", "sandbox"), ("e", "test")]:
        journal.record_intent(environment=env, kind="transfer", idempotency_key=key, body=BODY)
    journal.record_success("a", transfer_id="tr_a", status="pending")
    journal.record_unknown("b", message="connection dropped")
    journal.record_failure("c", code="insufficient_balance", message="Not enough money.")
    assert [e.idempotency_key for e in journal.unresolved("test")] == ["b", "e"]
    assert [e.idempotency_key for e in journal.unresolved("sandbox")] == ["d"]
    assert [e.idempotency_key for e in journal.unresolved()] == ["b", "d", "e"]
    failed = journal.get("c")
    assert failed.resolved and failed.error_code == "insufficient_balance"
    assert [e.idempotency_key for e in journal.entries("test", limit=2)] == ["e", "c"]


def test_unknown_then_success_clears_the_error(journal):
    journal.record_intent(environment="test", kind="transfer", idempotency_key="k", body=BODY)
    journal.record_unknown("k", message="timed out")
    assert journal.get("k").error_message == "timed out"
    entry = journal.record_success("k", transfer_id="tr_k", status="succeeded")
    assert entry.error_message is None and entry.resolved


def test_a_key_is_journaled_once(journal):
    journal.record_intent(environment="test", kind="transfer", idempotency_key="k", body=BODY)
    with pytest.raises(sqlite3.IntegrityError):
        journal.record_intent(environment="test", kind="transfer", idempotency_key="k", body=BODY)


def test_updating_an_unknown_key_raises(journal):
    with pytest.raises(KeyError):
        journal.record_success("nope", transfer_id="tr", status="pending")


def test_body_bytes_survive_exactly(journal):
    odd = '{"comment":"ñandú \\u00e9 é","amount":1}'.encode()
    journal.record_intent(environment="test", kind="transfer", idempotency_key="k", body=odd)
    assert journal.get("k").body == odd


def test_repr_hides_the_body(journal):
    entry = journal.record_intent(
        environment="test", kind="transfer", idempotency_key="k", body=BODY
    )
    assert "012180015017460373" not in repr(entry)
    assert "k" in repr(entry)


def test_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "j.sqlite3"
    Journal(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.commit()
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        Journal(path)


def test_reopening_keeps_everything(tmp_path, clock):
    path = tmp_path / "j.sqlite3"
    with Journal(path, clock=clock) as journal:
        journal.record_intent(environment="live", kind="return", idempotency_key="r", body=b"{}")
    with Journal(path, clock=clock) as journal:
        (entry,) = journal.unresolved("live")
        assert (entry.kind, entry.body) == ("return", b"{}")


def test_kill_9_right_after_record_intent_loses_nothing():
    """The writer is killed by SIGKILL the instant record_intent returns."""
    script = textwrap.dedent(
        """
        import os, signal
        from fintoc_tui.journal import Journal
        journal = Journal()
        journal.record_intent(environment="test", kind="transfer",
                              idempotency_key="crash-key", body=b'{"amount":1}')
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=os.environ.copy(), capture_output=True, timeout=60
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    with Journal() as journal:
        (entry,) = journal.unresolved("test")
        assert entry.idempotency_key == "crash-key"
        assert entry.body == b'{"amount":1}'


def test_ids_are_the_rows_in_order(journal):
    first = journal.record_intent(
        environment="test", kind="transfer", idempotency_key="a", body=BODY
    )
    second = journal.record_intent(
        environment="test", kind="return", idempotency_key="b", body=BODY
    )
    assert (first.id, second.id) == (1, 2)
    assert journal.get("a").id == 1 and journal.get("b").id == 2
    assert [e.id for e in journal.entries()] == [2, 1]


def test_entries_default_to_the_latest_hundred_of_every_environment(journal):
    for n in range(101):
        env = "test" if n % 2 else "sandbox"
        journal.record_intent(environment=env, kind="transfer", idempotency_key=f"k{n}", body=BODY)
    latest = journal.entries()
    assert len(latest) == 100
    assert [e.idempotency_key for e in latest[:3]] == ["k100", "k99", "k98"]
    assert latest[-1].idempotency_key == "k1"  # k0, the oldest, is the one left out
    assert {e.environment for e in latest} == {"test", "sandbox"}


def test_updating_an_unknown_key_names_it(journal):
    with pytest.raises(KeyError) as info:
        journal.record_failure("nope", code=None, message="x")
    assert info.value.args == ("no journal entry for idempotency key 'nope'",)


def test_a_new_journal_makes_its_missing_folders(tmp_path):
    path = tmp_path / "not" / "yet" / "there" / "journal.sqlite3"
    with Journal(path) as journal:
        journal.record_intent(environment="test", kind="transfer", idempotency_key="k", body=BODY)
    assert (path.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("level", ["OFF", "NORMAL", "FULL", "EXTRA"])
def test_settings_report_the_synchronous_level_in_force(journal, level):
    """The debug screen shows what SQLite actually does, not what we meant to set."""
    journal._conn.execute(f"PRAGMA synchronous={level}")
    assert journal.settings()["synchronous"] == level
