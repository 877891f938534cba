"""The batch's own state: one SQLite file beside the results, named by the input's hash.

It maps each row (by its number in the file) to the idempotency key minted
for it, and keeps what is known of its outcome. The row → key map is written
in one transaction, fsynced, before any row is journaled or sent; from then
on a run killed at any point (kill -9 included) finds the same keys on the
next run, and Fintoc's idempotency replays what each key already did: every
row is paid exactly once. The journal (`journal.py`) stays the record of each
request; this file only says which journal entry is which row.

Statuses: `queued` (not sent yet, or to send again), `made` (Fintoc made a
transfer: `transfer_status` follows it), `refused` (Fintoc definitely
refused; nothing was made; a later run sends it again with a new key) and
`unknown` (may have been made: the next run asks with the same key).

A lock file beside it keeps two runs of one batch from sending at once.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

__all__ = [
    "BatchBusy",
    "BatchState",
    "BatchStateMismatch",
    "RowState",
    "read_rows",
    "state_path_for",
]

RowStatus = str  # "queued" | "made" | "refused" | "unknown"
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    number INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount INTEGER NOT NULL,
    status TEXT NOT NULL,
    transfer_id TEXT,
    transfer_status TEXT,
    transaction_date TEXT,
    tracking_key TEXT,
    error_code TEXT,
    message TEXT,
    updated_at TEXT NOT NULL
);
"""
_COLUMNS = (
    "number, idempotency_key, account_id, currency, amount, status, transfer_id, "
    "transfer_status, transaction_date, tracking_key, error_code, message, updated_at"
)


def read_rows(path: Path) -> dict[int, tuple[str, str | None]]:
    """{row: (status, transfer id)} of a batch's state, read without its lock (before validating)."""
    if not path.exists():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = conn.execute("SELECT number, status, transfer_id FROM rows").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    return {number: (status, transfer_id) for number, status, transfer_id in found}


def state_path_for(results: Path, sha256: str) -> Path:
    """`payouts.results.csv` + the file's hash → `payouts.results.csv.1a2b3c4d5e6f.state`."""
    return results.with_name(f"{results.name}.{sha256[:12]}.state")


class BatchStateMismatch(ValueError):
    """The state beside the results belongs to another environment or file."""


class BatchBusy(RuntimeError):
    """Another run of this batch holds its lock."""


@dataclass(frozen=True)
class RowState:
    number: int
    idempotency_key: str
    account_id: str
    currency: str
    amount: int
    status: RowStatus
    transfer_id: str | None
    transfer_status: str | None
    transaction_date: str | None
    tracking_key: str | None
    error_code: str | None
    message: str | None
    updated_at: str

    @property
    def shown_status(self) -> str:
        """The results file's status: the transfer's own once made, else ours."""
        if self.status == "made":
            return self.transfer_status or "made"
        return {"queued": "not_sent"}.get(self.status, self.status)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Lock:
    """An exclusive lock on `path` for this process's lifetime (released by the OS on kill)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+")
        if sys.platform != "win32":
            import fcntl

            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip()
                handle.close()
                raise BatchBusy(
                    f"another fintoc-tui batch is running this file ({holder or 'pid unknown'}); "
                    "wait for it to finish or stop it (Ctrl-C pauses it cleanly)"
                ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class BatchState:
    """Open with `BatchState.open(path, sha256=…, environment=…, source=…)`; close when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: _Lock) -> None:
        self.path = path
        self._conn = conn
        self._lock = lock

    @classmethod
    def open(cls, path: Path, *, sha256: str, environment: str, source: Path) -> BatchState:
        """Open (or create) the state and take its lock; raises `BatchBusy`, `BatchStateMismatch`."""
        lock = _Lock(path.with_name(path.name + ".lock"))
        lock.acquire()
        try:
            new = not path.exists()
            if new:
                path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                conn.executescript(
                    f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version={_SCHEMA_VERSION}; COMMIT;"
                )
            state = cls(path, conn, lock)
            state._check_meta(sha256=sha256, environment=environment, source=source)
        except BaseException:
            lock.release()
            raise
        return state

    def _check_meta(self, *, sha256: str, environment: str, source: Path) -> None:
        meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        if not meta:
            with self._transaction():
                self._conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("sha256", sha256),
                        ("environment", environment),
                        ("source", str(source)),
                        ("created_at", _now()),
                    ],
                )
            return
        if meta.get("sha256") != sha256:
            raise BatchStateMismatch(f"{self.path} belongs to another file (hash differs)")
        if meta.get("environment") != environment:
            raise BatchStateMismatch(
                f"this batch was started in {meta.get('environment', '?').upper()}; resume it "
                f"there (--env {meta.get('environment')}), or pass --results with a new path "
                f"to start it afresh in {environment.upper()}"
            )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn)

    @property
    def created_at(self) -> str:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'created_at'").fetchone()
        return str(row[0]) if row else ""

    def close(self) -> None:
        self._conn.close()
        self._lock.release()

    # -- rows ---------------------------------------------------------------------------------

    def rows(self) -> list[RowState]:
        cursor = self._conn.execute(f"SELECT {_COLUMNS} FROM rows ORDER BY number")  # noqa: S608 - constant column list
        return [RowState(*row) for row in cursor.fetchall()]

    def row(self, number: int) -> RowState | None:
        found = self._conn.execute(
            f"SELECT {_COLUMNS} FROM rows WHERE number = ?",  # noqa: S608 - constant column list
            (number,),
        ).fetchone()
        return RowState(*found) if found else None

    def add_rows(
        self, rows: Iterable[tuple[int, str, str, int]], new_key: Callable[[], str]
    ) -> int:
        """Give every (number, account_id, currency, amount) not yet known a key; one commit.

        Rows a previous run saw refused get a fresh key too (nothing was made
        for their old one). Returns how many rows got a new key.
        """
        known = {
            number: status
            for number, status in self._conn.execute("SELECT number, status FROM rows")
        }
        now = _now()
        added = 0
        with self._transaction():
            for number, account_id, currency, amount in rows:
                status = known.get(number)
                if status is None:
                    self._conn.execute(
                        "INSERT INTO rows (number, idempotency_key, account_id, currency, amount, "
                        "status, updated_at) VALUES (?, ?, ?, ?, ?, 'queued', ?)",
                        (number, new_key(), account_id, currency, amount, now),
                    )
                    added += 1
                elif status == "refused":
                    self._conn.execute(
                        "UPDATE rows SET idempotency_key = ?, status = 'queued', error_code = NULL, "
                        "message = NULL, updated_at = ? WHERE number = ?",
                        (new_key(), now, number),
                    )
                    added += 1
        return added

    def _set(self, number: int, assignments: str, params: tuple[object, ...]) -> None:
        self._conn.execute(
            f"UPDATE rows SET {assignments}, updated_at = ? WHERE number = ?",  # noqa: S608 - assignments are literals from this module
            (*params, _now(), number),
        )

    def mark_made(
        self,
        number: int,
        *,
        transfer_id: str,
        status: str,
        transaction_date: str | None,
        tracking_key: str | None,
    ) -> None:
        self._set(
            number,
            "status = 'made', transfer_id = ?, transfer_status = ?, transaction_date = ?, "
            "tracking_key = ?, error_code = NULL, message = NULL",
            (transfer_id, status, transaction_date, tracking_key),
        )

    def mark_refused(self, number: int, *, code: str | None, message: str) -> None:
        self._set(number, "status = 'refused', error_code = ?, message = ?", (code, message))

    def mark_unknown(self, number: int, *, message: str) -> None:
        self._set(number, "status = 'unknown', error_code = NULL, message = ?", (message,))

    def mark_queued(self, number: int, *, message: str | None = None) -> None:
        self._set(number, "status = 'queued', message = ?", (message,))

    def update_transfer(self, number: int, *, status: str, tracking_key: str | None) -> None:
        self._set(
            number,
            "transfer_status = ?, tracking_key = COALESCE(?, tracking_key)",
            (status, tracking_key),
        )


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
