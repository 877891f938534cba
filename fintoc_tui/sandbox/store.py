"""The sandbox's state in SQLite (stdlib sqlite3).

Each object is one row: the columns the API filters and pages on are real,
indexed columns, and the object itself is a JSON text column, so a page of
transfers is served by joining stored JSON strings without parsing them.

Concurrency: one connection per store, guarded by a lock (requests on one
event loop, the lifecycle and tests in other threads all go through it), and
every balance change runs inside `BEGIN IMMEDIATE`, so two stores (or two
processes) on the same file also serialise their writes. Balances are
decremented with a guarded `UPDATE ... WHERE available_balance >= ?`, so a
balance can never be double-spent. On disk the journal is WAL.

Long module: the schema, its history (the conversions from versions 1 and 2)
and the queries share one connection and one lock; apart they would pass both
around, and each half would need the other's tables and constants.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fintoc_tui import paths
from fintoc_tui.money import MAX_AMOUNT
from fintoc_tui.sandbox import verification_schema
from fintoc_tui.sandbox.webhooks import WEBHOOK_TABLE_NAMES, WEBHOOK_TABLES

#: 2: every table STRICT, money columns CHECKed against `money.MAX_AMOUNT`.
#: 3: movements get `direction`, `resource_id` and `ts` columns (the list filters)
#:    and `return_pair_id` in their JSON (issue 13).
SCHEMA_VERSION = "3"

# STRICT: SQLite itself refuses a REAL (or a text) in an INTEGER column, so a
# balance can never silently become a float again (issue 12). The CHECKs hold
# every stored amount and balance to `money.MAX_AMOUNT`.
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS entities (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS accounts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    available_balance INTEGER NOT NULL CHECK (available_balance BETWEEN 0 AND {MAX_AMOUNT}),
    data TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS account_numbers (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS account_numbers_account ON account_numbers (account_id, seq);
CREATE TABLE IF NOT EXISTS transfers (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    account_number_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount BETWEEN 1 AND {MAX_AMOUNT}),
    ts INTEGER NOT NULL,
    settle_at REAL,
    outcome TEXT NOT NULL,
    dedupe_key TEXT,
    data TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS transfers_account ON transfers (account_id, seq);
CREATE INDEX IF NOT EXISTS transfers_account_number ON transfers (account_number_id, seq);
CREATE INDEX IF NOT EXISTS transfers_status ON transfers (status, seq);
CREATE INDEX IF NOT EXISTS transfers_direction ON transfers (direction, seq);
CREATE INDEX IF NOT EXISTS transfers_ts ON transfers (ts);
CREATE INDEX IF NOT EXISTS transfers_due ON transfers (settle_at) WHERE settle_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS transfers_dedupe ON transfers (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS movements (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    data TEXT NOT NULL,
    direction TEXT,
    resource_id TEXT,
    ts INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS movements_account ON movements (account_id, seq);
CREATE INDEX IF NOT EXISTS movements_resource ON movements (resource_id, seq)
    WHERE resource_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body BLOB NOT NULL,
    created_at REAL NOT NULL
) STRICT;
"""

#: Every table, in the order they are created.
TABLES = (
    "meta",
    "entities",
    "accounts",
    "account_numbers",
    "transfers",
    "movements",
    "idempotency",
)


class SandboxStateError(Exception):
    """A state file this version cannot open as it is; `str()` says what to do. Nothing was changed."""


def _statements(script: str) -> list[str]:
    # One statement at a time: `executescript` would commit the open transaction.
    return [statement.strip() for statement in script.split(";") if statement.strip()]


# Tables a list endpoint may page over, and the filter columns each allows.
LIST_TABLES: dict[str, frozenset[str]] = {
    "entities": frozenset(),
    "accounts": frozenset(),
    "account_numbers": frozenset({"account_id"}),
    "transfers": frozenset({"account_id", "account_number_id", "direction", "status"}),
    "movements": frozenset({"account_id", "direction", "resource_id"}),
    "account_verifications": frozenset(),
}

#: A filter's value: one value, or several of which any may match (`status=a,b`).
FilterValue = str | tuple[str, ...]


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(obj: Any) -> str:
    """The one JSON encoding the sandbox stores and serves (compact, UTF-8)."""
    return _ENCODER.encode(obj)


class SandboxStore:
    """SQLite state of one sandbox organisation. `path=None` keeps it in memory."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        target = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            paths.private_database(path)  # 0600, also when an older run made it 0644
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        self._conn = sqlite3.connect(
            target, isolation_level=None, check_same_thread=False, timeout=30.0
        )
        self._lock = threading.RLock()
        try:
            with self._lock:
                if path is not None:
                    self._conn.execute("PRAGMA journal_mode=WAL")
                    self._conn.execute("PRAGMA synchronous=NORMAL")
                self._conn.execute("PRAGMA busy_timeout=30000")
                with self.transaction() as db:
                    if _loose_tables(db):
                        _migrate_to_strict(db, path)
                    _upgrade_movements(db)
                    for statement in _statements(_SCHEMA + WEBHOOK_TABLES):
                        db.execute(statement)
                    for statement in _statements(verification_schema.DDL):
                        db.execute(statement)
                    SandboxStore.set_meta(db, "schema_version", SCHEMA_VERSION)
        except BaseException:
            self._conn.close()
            raise

    # -- plumbing -----------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (`BEGIN IMMEDIATE`): all or nothing, one writer at a time."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SandboxStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta ---------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self.reading() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @staticmethod
    def next_counter(db: sqlite3.Connection, name: str) -> int:
        """A per-name counter kept in the database (drives deterministic runtime ids)."""
        key = f"counter:{name}"
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        value = int(row[0]) + 1 if row else 1
        SandboxStore.set_meta(db, key, str(value))
        return value

    def is_seeded(self) -> bool:
        return self.get_meta("seed") is not None

    # -- reads --------------------------------------------------------------------

    def get_json(self, table: str, object_id: str) -> str | None:
        if table not in LIST_TABLES:
            raise ValueError(f"unknown table {table}")
        with self.reading() as db:
            row = db.execute(
                f"SELECT data FROM {table} WHERE id = ?",  # noqa: S608 - table is from a fixed set
                (object_id,),
            ).fetchone()
        return row[0] if row else None

    def get(self, table: str, object_id: str) -> dict[str, Any] | None:
        raw = self.get_json(table, object_id)
        return json.loads(raw) if raw is not None else None

    def account_number_by_number(self, number: str) -> dict[str, Any] | None:
        with self.reading() as db:
            row = db.execute(
                "SELECT data FROM account_numbers WHERE number = ?", (number,)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def seq_of(self, table: str, object_id: str) -> int | None:
        if table not in LIST_TABLES:
            raise ValueError(f"unknown table {table}")
        with self.reading() as db:
            row = db.execute(
                f"SELECT seq FROM {table} WHERE id = ?",  # noqa: S608 - table is from a fixed set
                (object_id,),
            ).fetchone()
        return row[0] if row else None

    def page(
        self,
        table: str,
        *,
        filters: dict[str, FilterValue] | None = None,
        since: int | None = None,
        until: int | None = None,
        limit: int = 30,
        after_seq: int | None = None,
        before_seq: int | None = None,
    ) -> tuple[list[str], bool]:
        """One page, newest first, as stored JSON strings, and whether more follow.

        `after_seq` pages towards older objects (`starting_after`); `before_seq`
        towards newer ones (`ending_before`) and still returns newest first.
        """
        allowed = LIST_TABLES[table]
        where: list[str] = []
        params: list[Any] = []
        for column, value in (filters or {}).items():
            if column not in allowed:
                raise ValueError(f"{table} cannot be filtered by {column}")
            if isinstance(value, tuple):
                where.append(f"{column} IN ({', '.join('?' for _ in value)})")
                params.extend(value)
            else:
                where.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            where.append("ts >= ?")
            params.append(since)
        if until is not None:
            where.append("ts <= ?")
            params.append(until)
        ascending = False
        if after_seq is not None:
            where.append("seq < ?")
            params.append(after_seq)
        elif before_seq is not None:
            where.append("seq > ?")
            params.append(before_seq)
            ascending = True
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        order = "ASC" if ascending else "DESC"
        sql = f"SELECT data FROM {table} {clause} ORDER BY seq {order} LIMIT ?"  # noqa: S608
        with self.reading() as db:
            rows = [r[0] for r in db.execute(sql, (*params, limit + 1))]
        more = len(rows) > limit
        rows = rows[:limit]
        if ascending:
            rows.reverse()
        return rows, more

    def count(self, table: str) -> int:
        if table not in LIST_TABLES:
            raise ValueError(f"unknown table {table}")
        with self.reading() as db:
            return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608

    def balances(self) -> dict[str, int]:
        with self.reading() as db:
            return dict(db.execute("SELECT id, available_balance FROM accounts"))

    def movement_totals(self) -> dict[str, int]:
        """Per account, inbound minus outbound movement amounts (for consistency checks)."""
        totals: dict[str, int] = {}
        with self.reading() as db:
            for account_id, data in db.execute("SELECT account_id, data FROM movements"):
                movement = json.loads(data)
                sign = 1 if movement["direction"] == "inbound" else -1
                totals[account_id] = totals.get(account_id, 0) + sign * movement["amount"]
        return totals

    # -- idempotency --------------------------------------------------------------

    def idempotent_response(self, key: str) -> tuple[str, int, bytes] | None:
        with self.reading() as db:
            row = db.execute(
                "SELECT fingerprint, status, body FROM idempotency WHERE key = ?", (key,)
            ).fetchone()
        return (row[0], row[1], bytes(row[2])) if row else None

    @staticmethod
    def save_idempotent_response(
        db: sqlite3.Connection, key: str, fingerprint: str, status: int, body: bytes, now: float
    ) -> None:
        db.execute(
            "INSERT OR IGNORE INTO idempotency (key, fingerprint, status, body, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (key, fingerprint, status, body, now),
        )

    def forget_idempotency_before(self, cutoff: float) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM idempotency WHERE created_at < ?", (cutoff,))

    # -- bulk ---------------------------------------------------------------------

    @staticmethod
    def insert_many(
        db: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        if table not in LIST_TABLES:
            raise ValueError(f"unknown table {table}")
        marks = ", ".join("?" for _ in columns)
        db.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            rows,
        )

    def reset(self) -> None:
        """Drop every object (keeps the schema); the next start seeds again."""
        with self.transaction() as db:
            for table in (*LIST_TABLES, "idempotency", "meta", *WEBHOOK_TABLE_NAMES):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )


# -- migration ----------------------------------------------------------------------


def _loose_tables(db: sqlite3.Connection) -> list[str]:
    """Our tables that exist without STRICT (a state file from schema version 1)."""
    rows = db.execute("SELECT name, strict FROM pragma_table_list WHERE schema = 'main'")
    return [name for name, strict in rows if name in TABLES and not strict]


def _migrate_to_strict(db: sqlite3.Connection, path: Path | None) -> None:
    """Rebuild every table STRICT, inside the caller's transaction; refuse state it cannot hold.

    A file whose balances or amounts are not integers within `MAX_AMOUNT`
    (the float balances of issue 12) is left exactly as it is, and the person
    is told how to start over, rather than the sandbox guessing at money.
    """
    _refuse_unrepresentable(db, path)
    for table in TABLES:
        if db.execute("SELECT 1 FROM pragma_table_list WHERE name = ?", (table,)).fetchone():
            db.execute(f"ALTER TABLE {table} RENAME TO {table}_v1")
    old_indexes = db.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name LIKE '%\\_v1' ESCAPE '\\'"
    ).fetchall()
    for (index,) in old_indexes:
        db.execute(f'DROP INDEX "{index}"')
    for statement in _statements(_SCHEMA):
        db.execute(statement)
    for table in TABLES:
        old = f"{table}_v1"
        if not db.execute("SELECT 1 FROM pragma_table_list WHERE name = ?", (old,)).fetchone():
            continue
        old_columns = {
            name for (name,) in db.execute("SELECT name FROM pragma_table_info(?)", (old,))
        }
        # Columns added since version 1 stay NULL here; _upgrade_movements fills them.
        columns = ", ".join(
            name
            for (name,) in db.execute("SELECT name FROM pragma_table_info(?)", (table,))
            if name in old_columns
        )
        try:
            db.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {old}")  # noqa: S608
        except sqlite3.IntegrityError as exc:
            raise _state_error(
                path, f"its {table} table holds a value it cannot keep ({exc})"
            ) from None
        db.execute(f"DROP TABLE {old}")


_MOVEMENT_COLUMNS = (("direction", "TEXT"), ("resource_id", "TEXT"), ("ts", "INTEGER"))


def _upgrade_movements(db: sqlite3.Connection) -> None:
    """Schema 3, inside the caller's transaction: movement filter columns and reversal pairs.

    A version-2 file gets the columns; any file whose movements lack them
    (version 1 or 2) has them filled from each movement's JSON, and every
    movement gains `return_pair_id`: the two movements of one transfer, the
    money out and the money back, name each other (the only reversals older
    versions made). New files have nothing to do.
    """
    if not db.execute("SELECT 1 FROM pragma_table_list WHERE name = 'movements'").fetchone():
        return
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if version is not None and version[0] == SCHEMA_VERSION:
        return
    present = {name for (name,) in db.execute("SELECT name FROM pragma_table_info('movements')")}
    for name, kind in _MOVEMENT_COLUMNS:
        if name not in present:
            db.execute(f"ALTER TABLE movements ADD COLUMN {name} {kind}")
    rows = db.execute("SELECT seq, data FROM movements WHERE ts IS NULL ORDER BY seq").fetchall()
    if not rows:
        return
    movements = {seq: json.loads(data) for seq, data in rows}
    halves: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for movement in movements.values():
        if movement.get("resource_id"):
            halves.setdefault((movement["account_id"], movement["resource_id"]), []).append(
                movement
            )
    pairs: dict[str, str] = {}
    for group in halves.values():
        kinds = sorted(group, key=lambda m: m["type"] != "transfer")
        if len(group) == 2 and [m["type"] for m in kinds] == ["transfer", "transfer_return"]:
            pairs[kinds[0]["id"]], pairs[kinds[1]["id"]] = kinds[1]["id"], kinds[0]["id"]
    for seq, movement in movements.items():
        rebuilt = _with_pair(movement, pairs.get(movement["id"]))
        db.execute(
            "UPDATE movements SET data = ?, direction = ?, resource_id = ?, "
            "ts = CAST(strftime('%s', ?) AS INTEGER) WHERE seq = ?",
            (
                dumps(rebuilt),
                movement["direction"],
                movement.get("resource_id"),
                movement["transaction_date"],
                seq,
            ),
        )


def _with_pair(movement: dict[str, Any], pair: str | None) -> dict[str, Any]:
    """The movement with `return_pair_id` right after `resource_id`, as Fintoc orders them."""
    rebuilt: dict[str, Any] = {}
    for key, value in movement.items():
        if key == "return_pair_id":
            continue
        rebuilt[key] = value
        if key == "resource_id":
            rebuilt["return_pair_id"] = pair
    rebuilt.setdefault("return_pair_id", pair)
    return rebuilt


def _refuse_unrepresentable(db: sqlite3.Connection, path: Path | None) -> None:
    loose = _loose_tables(db)
    if "accounts" not in loose or "transfers" not in loose:
        return  # not a whole version-1 file; the copy below still refuses what STRICT cannot hold
    bad = db.execute(
        "SELECT id, available_balance FROM accounts WHERE typeof(available_balance) != 'integer' "
        "OR available_balance NOT BETWEEN 0 AND ?",
        (MAX_AMOUNT,),
    ).fetchone()
    if bad is not None:
        raise _state_error(path, f"account {bad[0]} has a balance of {bad[1]!r}")
    bad = db.execute(
        "SELECT id, amount FROM transfers WHERE typeof(amount) != 'integer' "
        "OR amount NOT BETWEEN 1 AND ?",
        (MAX_AMOUNT,),
    ).fetchone()
    if bad is not None:
        raise _state_error(path, f"transfer {bad[0]} has an amount of {bad[1]!r}")
    # Money that may still come back (ledger.may_come_back) must fit too; summed
    # here in Python, where a sum cannot overflow.
    coming_back: dict[str, int] = {}
    for account_id, amount in db.execute(
        "SELECT account_id, amount FROM transfers "
        "WHERE settle_at IS NOT NULL AND direction = 'outbound'"
    ):
        coming_back[account_id] = coming_back.get(account_id, 0) + amount
    for account_id, balance in db.execute("SELECT id, available_balance FROM accounts"):
        if balance + coming_back.get(account_id, 0) > MAX_AMOUNT:
            raise _state_error(
                path, f"account {account_id} would pass the bound when its transfers settle"
            )


def _state_error(path: Path | None, problem: str) -> SandboxStateError:
    where = str(path) if path is not None else "the in-memory state"
    return SandboxStateError(
        f"The sandbox state in {where} was written by an older version and {problem}, "
        f"which this version cannot hold (money is whole minor units up to {MAX_AMOUNT:,}). "
        "Nothing was changed. "
        "Run `fintoc-tui sandbox reset` to start again with fresh demo data, or move the "
        "file away to keep it."
    )
