"""Webhook endpoints, the event outbox and the delivery log, in the sandbox's SQLite file.

Every event the sandbox emits goes through ONE function, `publish_event`: it
stores the event (its exact signed bytes) and queues one delivery per enabled
endpoint subscribed to its type, inside the caller's transaction, so an event
exists if and only if the transition that caused it was committed. Sending
is someone else's job (`webhook_delivery.py`, a background thread), so no
request ever waits on, or fails because of, a webhook receiver.

Retries: a delivery not answered with a 2xx is tried again after
`retry_delay(attempt)` seconds (5 s, 15 s, 45 s, … ×3 each time, at most an
hour), `MAX_ATTEMPTS` times in all; then it is `failed`. Fintoc's own
schedule is not public ("after multiple days"); a local sandbox retries
sooner so that a developer sees the retries while fixing their handler.

The tables are created on every store open (`store.py` runs `WEBHOOK_TABLES`),
so a state file from before webhooks simply gains them. No import of
`store.py` here at run time: the store imports this module for its DDL.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import string
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fintoc_tui.sandbox.events import TRANSFER_EVENT_TYPES, event_body, event_object
from fintoc_tui.sandbox.events import transfer_event_type as _transfer_event_type
from fintoc_tui.sandbox.ids import new_id, runtime_rng

if TYPE_CHECKING:
    from fintoc_tui.sandbox.store import SandboxStore

__all__ = [
    "KNOWN_EVENT_TYPES",
    "MAX_ATTEMPTS",
    "WEBHOOK_TABLES",
    "WEBHOOK_TABLE_NAMES",
    "Delivery",
    "DeliveryLogEntry",
    "delivery_log",
    "due_deliveries",
    "publish_event",
    "publish_transfer_transition",
    "record_attempt",
    "retry_delay",
]

WEBHOOK_TABLES: Final = """
CREATE TABLE IF NOT EXISTS webhook_endpoints (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
    secret TEXT NOT NULL,
    data TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS webhook_events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    created_at REAL NOT NULL,
    body BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'canceled')),
    attempts INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at REAL,
    last_status INTEGER,
    last_error TEXT,
    updated_at REAL NOT NULL,
    UNIQUE (event_id, endpoint_id)
) STRICT;
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE state = 'pending';
"""

#: The webhook tables, in the order `store.reset` empties them (their ids and
#: event ids come from counters the reset also forgets).
WEBHOOK_TABLE_NAMES: Final = ("webhook_deliveries", "webhook_events", "webhook_endpoints")

#: Every event type the sandbox sends, or will send once wired in: the
#: transfer transitions, and the account verifications' outcomes (additions §9.1).
KNOWN_EVENT_TYPES: Final = frozenset(
    {
        *TRANSFER_EVENT_TYPES.values(),
        "account_verification.succeeded",
        "account_verification.failed",
    }
)

#: How many times a delivery is tried before it is given up (`failed`).
MAX_ATTEMPTS: Final = 8
_FIRST_RETRY = 5.0
_FACTOR = 3.0
_LONGEST_WAIT = 3600.0

_SECRET_ALPHABET = string.ascii_letters + string.digits


def retry_delay(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): 5, 15, 45 … ≤ 3600."""
    return min(_FIRST_RETRY * _FACTOR ** (attempt - 1), _LONGEST_WAIT)


def new_secret() -> str:
    """A signing secret shaped like Fintoc's (`whsec_` + 22 letters and digits), truly random."""
    return "whsec_" + "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(22))


def iso(ts: float) -> str:
    """Fintoc's timestamp shape for Unix seconds (ledger.iso, without importing the ledger)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(ts)))


def dumps(obj: Any) -> str:
    """Compact UTF-8 JSON, as the store keeps every object."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def runtime_id(db: sqlite3.Connection, prefix: str) -> str:
    """A deterministic runtime id, as `ledger.runtime_id` makes them, from the connection alone."""
    row = db.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()
    key = f"counter:{prefix}"
    counter_row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    counter = int(counter_row[0]) + 1 if counter_row else 1
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, str(counter)),
    )
    return new_id(prefix, runtime_rng(row[0] if row else "0", prefix, counter))


# -- publishing -------------------------------------------------------------------


def publish_event(
    db: sqlite3.Connection,
    event_type: str,
    data: dict[str, Any],
    *,
    now: float,
    only_endpoint: str | None = None,
) -> str:
    """Store an event and queue it for every enabled endpoint subscribed to `event_type`.

    Runs inside the caller's transaction. `only_endpoint` sends it to that one
    endpoint whatever it subscribes to (the `/test` route). Returns the event id.
    """
    event_id = runtime_id(db, "evt")
    mode = data.get("mode") if isinstance(data.get("mode"), str) else "test"
    event = event_object(event_id, event_type, data, created_at=iso(now), mode=str(mode))
    db.execute(
        "INSERT INTO webhook_events (id, type, created_at, body) VALUES (?, ?, ?, ?)",
        (event_id, event_type, now, event_body(event)),
    )
    if only_endpoint is not None:
        targets: Iterable[str] = [only_endpoint]
    else:
        targets = [
            endpoint_id
            for endpoint_id, raw in db.execute(
                "SELECT id, data FROM webhook_endpoints WHERE status = 'enabled' ORDER BY seq"
            )
            if event_type in json.loads(raw)["enabled_events"]
        ]
    db.executemany(
        "INSERT INTO webhook_deliveries (event_id, endpoint_id, state, attempts, "
        "next_attempt_at, updated_at) VALUES (?, ?, 'pending', 0, ?, ?)",
        [(event_id, endpoint_id, now, now) for endpoint_id in targets],
    )
    return event_id


def publish_transfer_transition(
    db: sqlite3.Connection, transfer_id: str, *, direction: str, before: str, when: float
) -> str | None:
    """The event for a transfer that just left status `before`, if that transition has one."""
    (raw,) = db.execute("SELECT data FROM transfers WHERE id = ?", (transfer_id,)).fetchone()
    transfer = json.loads(raw)
    event_type = _transfer_event_type(direction, before, transfer["status"])
    if event_type is None:
        return None
    return publish_event(db, event_type, transfer, now=when)


# -- delivering -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event due at one endpoint: everything needed to send it, read in one query."""

    seq: int
    event_id: str
    event_type: str
    endpoint_id: str
    url: str
    secret: str
    endpoint_enabled: bool
    attempt: int  # the number this attempt will have (1-based)
    body: bytes


_DUE = (
    "SELECT d.seq, d.event_id, e.type, d.endpoint_id, w.data, w.secret, w.status, d.attempts, "
    "e.body FROM webhook_deliveries d "
    "JOIN webhook_events e ON e.id = d.event_id "
    "JOIN webhook_endpoints w ON w.id = d.endpoint_id "
    "WHERE d.state = 'pending' AND d.next_attempt_at <= ? "
    "ORDER BY d.next_attempt_at, d.seq LIMIT ?"
)


def due_deliveries(store: SandboxStore, now: float, limit: int = 50) -> list[Delivery]:
    """The deliveries whose next attempt is due at `now`, oldest first."""
    with store.reading() as db:
        rows = db.execute(_DUE, (now, limit)).fetchall()
    return [
        Delivery(
            seq=seq,
            event_id=event_id,
            event_type=event_type,
            endpoint_id=endpoint_id,
            url=json.loads(data)["url"],
            secret=secret,
            endpoint_enabled=status == "enabled",
            attempt=attempts + 1,
            body=bytes(body),
        )
        for seq, event_id, event_type, endpoint_id, data, secret, status, attempts, body in rows
    ]


def record_attempt(
    store: SandboxStore,
    delivery: Delivery,
    *,
    now: float,
    status: int | None,
    error: str | None,
) -> str:
    """Write an attempt's outcome; returns the delivery's new state.

    A 2xx is `delivered`; anything else is retried after `retry_delay` until
    `MAX_ATTEMPTS`, then `failed`.
    """
    if status is not None and 200 <= status < 300:
        state, next_at = "delivered", None
    elif delivery.attempt >= MAX_ATTEMPTS:
        state, next_at = "failed", None
    else:
        state, next_at = "pending", now + retry_delay(delivery.attempt)
    with store.transaction() as db:
        db.execute(
            "UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, "
            "last_status = ?, last_error = ?, updated_at = ? WHERE seq = ? AND state = 'pending'",
            (state, delivery.attempt, next_at, status, error, now, delivery.seq),
        )
    return state


def cancel(store: SandboxStore, delivery: Delivery, *, now: float, reason: str) -> None:
    """Drop a pending delivery without sending it (its endpoint was disabled)."""
    with store.transaction() as db:
        db.execute(
            "UPDATE webhook_deliveries SET state = 'canceled', next_attempt_at = NULL, "
            "last_error = ?, updated_at = ? WHERE seq = ? AND state = 'pending'",
            (reason, now, delivery.seq),
        )


def cancel_pending_for(
    db: sqlite3.Connection, endpoint_id: str, *, now: float, reason: str
) -> None:
    """Inside a transaction: an endpoint disabled or deleted gets nothing more."""
    db.execute(
        "UPDATE webhook_deliveries SET state = 'canceled', next_attempt_at = NULL, "
        "last_error = ?, updated_at = ? WHERE endpoint_id = ? AND state = 'pending'",
        (reason, now, endpoint_id),
    )


@dataclass(frozen=True, slots=True)
class DeliveryLogEntry:
    """One row of the delivery log: where an event stands at one endpoint."""

    event_id: str
    event_type: str
    endpoint_id: str
    state: str
    attempts: int
    last_status: int | None
    last_error: str | None
    next_attempt_at: float | None


def delivery_log(store: SandboxStore, *, endpoint_id: str | None = None) -> list[DeliveryLogEntry]:
    """Every delivery, oldest first (optionally of one endpoint)."""
    sql = (
        "SELECT d.event_id, e.type, d.endpoint_id, d.state, d.attempts, d.last_status, "
        "d.last_error, d.next_attempt_at FROM webhook_deliveries d "
        "JOIN webhook_events e ON e.id = d.event_id"
    )
    params: tuple[str, ...] = ()
    if endpoint_id is not None:
        sql += " WHERE d.endpoint_id = ?"
        params = (endpoint_id,)
    with store.reading() as db:
        rows = db.execute(sql + " ORDER BY d.seq", params).fetchall()
    return [DeliveryLogEntry(*row) for row in rows]
