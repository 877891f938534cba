"""Balance-moving operations, always inside a store transaction.

Every balance change writes a movement with the balance after it, in the same
transaction, so movements always add up to balances. Debits are a single
guarded `UPDATE ... WHERE available_balance >= amount`: two concurrent
transfers can never both spend the same money.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.ids import new_id, runtime_rng
from fintoc_tui.sandbox.store import SandboxStore, dumps


def iso(ts: float) -> str:
    """Fintoc's timestamp shape for Unix seconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(ts)))


def runtime_id(store: SandboxStore, db: sqlite3.Connection, prefix: str) -> str:
    seed = store.get_meta("seed") or "0"
    return new_id(prefix, runtime_rng(seed, prefix, store.next_counter(db, prefix)))


def debit(db: sqlite3.Connection, account_id: str, amount: int) -> int | None:
    """Take `amount` off the balance; the new balance, or None if it does not cover it."""
    row = db.execute(
        "UPDATE accounts SET available_balance = available_balance - :amount, "
        "data = json_set(data, '$.available_balance', available_balance - :amount) "
        "WHERE id = :id AND available_balance >= :amount RETURNING available_balance",
        {"amount": amount, "id": account_id},
    ).fetchone()
    return row[0] if row else None


def credit(db: sqlite3.Connection, account_id: str, amount: int) -> int:
    row = db.execute(
        "UPDATE accounts SET available_balance = available_balance + :amount, "
        "data = json_set(data, '$.available_balance', available_balance + :amount) "
        "WHERE id = :id RETURNING available_balance",
        {"amount": amount, "id": account_id},
    ).fetchone()
    if row is None:
        raise LookupError(f"no account {account_id}")
    return int(row[0])


def add_movement(
    store: SandboxStore,
    db: sqlite3.Connection,
    *,
    account_id: str,
    currency: str,
    amount: int,
    balance: int,
    direction: str,
    resource_id: str | None,
    when: float,
    type: str,
) -> None:
    movement = objects.movement_object(
        runtime_id(store, db, "mov"),
        account_id=account_id,
        amount=amount,
        balance=balance,
        currency=currency,
        direction=direction,
        resource_id=resource_id,
        transaction_date=iso(when),
        type=type,
    )
    db.execute(
        "INSERT INTO movements (id, account_id, data) VALUES (?, ?, ?)",
        (movement["id"], account_id, dumps(movement)),
    )


def insert_transfer(
    db: sqlite3.Connection,
    data: dict[str, Any],
    *,
    account_id: str,
    ts: int,
    settle_at: float | None,
    outcome: str,
    dedupe_key: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO transfers (id, account_id, account_number_id, direction, status, currency, "
        "amount, ts, settle_at, outcome, dedupe_key, data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            data["id"],
            account_id,
            data["account_number"]["id"],
            data["direction"],
            data["status"],
            data["currency"],
            data["amount"],
            ts,
            settle_at,
            outcome,
            dedupe_key,
            dumps(data),
        ),
    )


def update_transfer(
    db: sqlite3.Connection,
    transfer_id: str,
    *,
    settle_at: float | None,
    outcome: str | None = None,
    **fields: Any,
) -> None:
    """Change a transfer's JSON fields (and the status column) and its next settle time."""
    data = json.loads(
        db.execute("SELECT data FROM transfers WHERE id = ?", (transfer_id,)).fetchone()[0]
    )
    data.update(fields)
    db.execute(
        "UPDATE transfers SET status = ?, settle_at = ?, outcome = COALESCE(?, outcome), data = ? "
        "WHERE id = ?",
        (data["status"], settle_at, outcome, dumps(data), transfer_id),
    )
