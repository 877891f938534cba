"""A write-ahead journal of money-moving requests, in SQLite.

Before the first attempt of a transfer (or a return) we write down the
environment, the idempotency key, the exact request body bytes and the time;
after it we write the outcome: the transfer id and status, a definite error,
or "unknown". On the next start `unresolved()` lists what never got an answer,
and re-sending the same body with the same key (see `api/submit.py`) asks
Fintoc what happened without paying twice.

Durability, and why:
- `journal_mode=WAL`: a writer never blocks readers (the history screen can
  read while a send is recorded) and a commit is one sequential append.
- `synchronous=FULL`: the WAL is fsynced at every commit. In WAL mode NORMAL
  already survives a killed process (the data sits in the OS page cache), but
  a power cut could roll back the last commits: exactly the row written just
  before a transfer goes out. Journal writes are a handful per transfer, so
  the extra fsync costs nothing anyone notices.
- Autocommit connection, one statement per write: every `record_*` call has
  committed (and fsynced) when it returns, so `kill -9` right after
  `record_intent` returns loses nothing.
- The file is 0600, created so or tightened on open (SQLite gives its
  -wal/-shm files the same mode; existing ones are tightened too): bodies
  hold counterparty names and account numbers.

Secrets never enter the journal: it stores the body (no key in it), never
headers, and error messages arrive already redacted by `api/errors.py`.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from fintoc_tui.clock import Clock, SystemClock, isoformat_z
from fintoc_tui.paths import private_database

__all__ = ["Journal", "JournalEntry", "JournalKind", "JournalState"]

JournalKind = Literal["transfer", "return"]
JournalState = Literal["prepared", "succeeded", "failed", "unknown"]
UNRESOLVED_STATES: tuple[str, ...] = ("prepared", "unknown")

_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    environment TEXT NOT NULL,
    kind TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    transfer_id TEXT,
    transfer_status TEXT,
    error_code TEXT,
    error_message TEXT
);
CREATE INDEX IF NOT EXISTS entries_state ON entries (state, environment);
"""
_COLUMNS = (
    "id, environment, kind, idempotency_key, body, created_at, updated_at, state, "
    "attempts, transfer_id, transfer_status, error_code, error_message"
)


@dataclass(frozen=True)
class JournalEntry:
    """One money-moving request and what is known of its outcome."""

    id: int
    environment: str
    kind: str
    idempotency_key: str
    body: bytes
    created_at: datetime
    updated_at: datetime
    state: str
    attempts: int
    transfer_id: str | None
    transfer_status: str | None
    error_code: str | None
    error_message: str | None

    @property
    def resolved(self) -> bool:
        """True once Fintoc answered definitely (a transfer, or a definite refusal)."""
        return self.state not in UNRESOLVED_STATES

    def __repr__(self) -> str:
        # The body holds counterparty data; keep it out of logs and tracebacks.
        return (
            f"JournalEntry(id={self.id}, environment={self.environment!r}, kind={self.kind!r}, "
            f"idempotency_key={self.idempotency_key!r}, state={self.state!r}, "
            f"attempts={self.attempts}, transfer_id={self.transfer_id!r}, "
            f"transfer_status={self.transfer_status!r}, error_code={self.error_code!r})"
        )


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Journal:
    """The journal file; safe to share between threads (one lock, one connection)."""

    def __init__(self, path: Path | str | None = None, *, clock: Clock | None = None) -> None:
        if path is None:
            from fintoc_tui.paths import journal_file

            path = journal_file()
        self.path = Path(path)
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        private_database(self.path)
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=10.0
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        with self._lock:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                self._conn.executescript(
                    f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version={_SCHEMA_VERSION}; COMMIT;"
                )
            elif version > _SCHEMA_VERSION:
                raise RuntimeError(
                    f"The journal at {self.path} was written by a newer fintoc-tui "
                    f"(schema {version}); refusing to touch it."
                )

    # -- lifecycle -----------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def settings(self) -> dict[str, object]:
        """The durability pragmas in force (for the debug screen and tests)."""
        with self._lock:
            mode = self._conn.execute("PRAGMA journal_mode").fetchone()[0]
            sync = self._conn.execute("PRAGMA synchronous").fetchone()[0]
        return {
            "journal_mode": mode,
            "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[sync],
        }

    # -- writes (each commits durably before returning) ------------------------

    def _now(self) -> str:
        return isoformat_z(self._clock.now())

    def record_intent(
        self, *, environment: str, kind: JournalKind, idempotency_key: str, body: bytes
    ) -> JournalEntry:
        """Write a request down before it is sent. Raises if the key is already journaled."""
        now = self._now()
        with self._lock:
            cursor = self._conn.execute(
                "INSERT INTO entries (environment, kind, idempotency_key, body, created_at, "
                "updated_at, state) VALUES (?, ?, ?, ?, ?, ?, 'prepared')",
                (environment, kind, idempotency_key, bytes(body), now, now),
            )
            row_id = cursor.lastrowid
        entry = self._get_by_id(row_id)
        assert entry is not None
        return entry

    def record_attempt(self, idempotency_key: str) -> None:
        """Count one more attempt (so a person can see a request was sent at least once)."""
        self._update(idempotency_key, "attempts = attempts + 1", ())

    def record_success(
        self, idempotency_key: str, *, transfer_id: str, status: str
    ) -> JournalEntry:
        return self._update(
            idempotency_key,
            "state = 'succeeded', transfer_id = ?, transfer_status = ?, "
            "error_code = NULL, error_message = NULL",
            (transfer_id, status),
        )

    def record_failure(
        self, idempotency_key: str, *, code: str | None, message: str
    ) -> JournalEntry:
        """Fintoc refused definitely: no transfer was made."""
        return self._update(
            idempotency_key,
            "state = 'failed', error_code = ?, error_message = ?",
            (code, message),
        )

    def record_unknown(self, idempotency_key: str, *, message: str) -> JournalEntry:
        """Retries ran out after an attempt that may have reached Fintoc."""
        return self._update(
            idempotency_key,
            "state = 'unknown', error_code = NULL, error_message = ?",
            (message,),
        )

    def _update(
        self, idempotency_key: str, assignments: str, params: tuple[Any, ...]
    ) -> JournalEntry:
        with self._lock:
            cursor = self._conn.execute(
                f"UPDATE entries SET {assignments}, updated_at = ? WHERE idempotency_key = ?",  # noqa: S608 - assignments are literals from this module
                (*params, self._now(), idempotency_key),
            )
            if cursor.rowcount != 1:
                raise KeyError(f"no journal entry for idempotency key {idempotency_key!r}")
        entry = self.get(idempotency_key)
        assert entry is not None
        return entry

    # -- reads -------------------------------------------------------------------

    def _row(self, row: tuple[Any, ...] | None) -> JournalEntry | None:
        if row is None:
            return None
        (rid, env, kind, key, body, created, updated, state, attempts, tid, tstatus, code, msg) = (
            row
        )
        return JournalEntry(
            id=rid,
            environment=env,
            kind=kind,
            idempotency_key=key,
            body=bytes(body),
            created_at=_parse_time(created),
            updated_at=_parse_time(updated),
            state=state,
            attempts=attempts,
            transfer_id=tid,
            transfer_status=tstatus,
            error_code=code,
            error_message=msg,
        )

    def _get_by_id(self, row_id: int | None) -> JournalEntry | None:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM entries WHERE id = ?",  # noqa: S608 - constant column list
                (row_id,),
            ).fetchone()
        return self._row(row)

    def get(self, idempotency_key: str) -> JournalEntry | None:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM entries WHERE idempotency_key = ?",  # noqa: S608 - constant column list
                (idempotency_key,),
            ).fetchone()
        return self._row(row)

    def unresolved(self, environment: str | None = None) -> list[JournalEntry]:
        """Entries without a definite outcome, oldest first."""
        query = f"SELECT {_COLUMNS} FROM entries WHERE state IN ('prepared', 'unknown')"  # noqa: S608 - constant column list
        params: tuple[Any, ...] = ()
        if environment is not None:
            query += " AND environment = ?"
            params = (environment,)
        with self._lock:
            rows = self._conn.execute(query + " ORDER BY id", params).fetchall()
        return [entry for entry in map(self._row, rows) if entry is not None]

    def entries(self, environment: str | None = None, *, limit: int = 100) -> list[JournalEntry]:
        """The most recent entries, newest first."""
        query = f"SELECT {_COLUMNS} FROM entries"  # noqa: S608 - constant column list
        params: tuple[Any, ...] = ()
        if environment is not None:
            query += " WHERE environment = ?"
            params = (environment,)
        with self._lock:
            rows = self._conn.execute(
                query + " ORDER BY id DESC LIMIT ?", (*params, limit)
            ).fetchall()
        return [entry for entry in map(self._row, rows) if entry is not None]
