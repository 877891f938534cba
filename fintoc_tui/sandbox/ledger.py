"""Balance-moving operations, always inside a store transaction.

Every balance change writes a movement with the balance after it, in the same
transaction, so movements always add up to balances. Money that goes back
where it came from (a failed outbound transfer given back, an inbound one
returned) is a reversal: its two movements name each other in
`return_pair_id`. Debits are a single
guarded `UPDATE ... WHERE available_balance >= amount`: two concurrent
transfers can never both spend the same money. Credits are guarded the other
way, so no balance ever passes `money.MAX_AMOUNT` (which keeps every balance
and every sum the guards compute inside a signed 64-bit integer).
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from fintoc_tui.money import MAX_AMOUNT
from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.ids import new_id, runtime_rng
from fintoc_tui.sandbox.store import SandboxStore, dumps


def iso(ts: float) -> str:
    """Fintoc's timestamp shape for Unix seconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(ts)))


def iso_day(ts: float) -> str:
    """The UTC day of `ts` at midnight: a `post_date` as Fintoc writes it (`…T00:00:00Z`)."""
    return time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(int(ts)))


#: Fintoc's own Banxico participant code, in every tracking key it makes.
FINTOC_BANXICO_CODE = "90735"


def tracking_key(ts: float, counter: int) -> str:
    """A SPEI tracking key as Fintoc's test mode makes them: day, 90735, a 17-digit counter.

    `202509029073500000000000000006` (additions §1.5): 30 characters.
    """
    return f"{time.strftime('%Y%m%d', time.gmtime(int(ts)))}{FINTOC_BANXICO_CODE}{counter:017d}"


def runtime_id(store: SandboxStore, db: sqlite3.Connection, prefix: str) -> str:
    seed = store.get_meta("seed") or "0"
    return new_id(prefix, runtime_rng(seed, prefix, store.next_counter(db, prefix)))


def _checked(amount: int) -> int:
    """Every amount that moves a balance is an int from 1 to `MAX_AMOUNT`; anything else is a bug."""
    if type(amount) is not int or not 1 <= amount <= MAX_AMOUNT:
        raise ValueError(f"a balance moves by an int from 1 to {MAX_AMOUNT}, not {amount!r}")
    return amount


def debit(db: sqlite3.Connection, account_id: str, amount: int) -> int | None:
    """Take `amount` off the balance; the new balance, or None if it does not cover it."""
    row = db.execute(
        "UPDATE accounts SET available_balance = available_balance - :amount, "
        "data = json_set(data, '$.available_balance', available_balance - :amount) "
        "WHERE id = :id AND available_balance >= :amount RETURNING available_balance",
        {"amount": _checked(amount), "id": account_id},
    ).fetchone()
    return row[0] if row else None


def credit(db: sqlite3.Connection, account_id: str, amount: int) -> int | None:
    """Add `amount`; the new balance, or None if it would pass `MAX_AMOUNT`.

    The guard subtracts rather than adds (`balance <= MAX - amount`), so even
    the check never computes a number past the bound.
    """
    row = db.execute(
        "UPDATE accounts SET available_balance = available_balance + :amount, "
        "data = json_set(data, '$.available_balance', available_balance + :amount) "
        "WHERE id = :id AND available_balance <= :max - :amount RETURNING available_balance",
        {"amount": _checked(amount), "id": account_id, "max": MAX_AMOUNT},
    ).fetchone()
    if row is None:
        if db.execute("SELECT 1 FROM accounts WHERE id = ?", (account_id,)).fetchone() is None:
            raise LookupError(f"no account {account_id}")
        return None
    return int(row[0])


def may_come_back(db: sqlite3.Connection, account_id: str) -> int:
    """Money the lifecycle may still credit to this account.

    Every transfer still due a transition: an outbound one may fail, be
    rejected or be returned (its amount given back), an inbound one may
    arrive or have its return fail (credited again). Counting them all,
    even a return that will succeed, errs on the safe side: a new credit
    must leave room for them, so settling can never push the balance past
    `MAX_AMOUNT`.
    """
    # The unary `+` keeps SQLite on the small partial index of transfers still
    # due (`transfers_due`) instead of walking every transfer.
    (total,) = db.execute(
        "SELECT COALESCE(SUM(amount), 0) FROM transfers "
        "WHERE settle_at IS NOT NULL AND +account_id = ?",
        (account_id,),
    ).fetchone()
    return int(total)


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
    reverses: str | None = None,
) -> str:
    """Write a movement; `reverses` names the movement it undoes, and both get the pair."""
    movement = objects.movement_object(
        runtime_id(store, db, "mov"),
        account_id=account_id,
        amount=amount,
        balance=balance,
        currency=currency,
        direction=direction,
        resource_id=resource_id,
        return_pair_id=reverses,
        transaction_date=iso(when),
        type=type,
    )
    db.execute(
        "INSERT INTO movements (id, account_id, data, direction, resource_id, ts) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (movement["id"], account_id, dumps(movement), direction, resource_id, int(when)),
    )
    if reverses is not None:
        set_return_pair(db, reverses, movement["id"])
    return str(movement["id"])


def set_return_pair(db: sqlite3.Connection, movement_id: str, pair: str | None) -> None:
    """Point a movement's `return_pair_id` at its other half (or clear it)."""
    db.execute(
        "UPDATE movements SET data = json_set(data, '$.return_pair_id', ?) WHERE id = ?",
        (pair, movement_id),
    )


def last_movement(
    db: sqlite3.Connection, resource_id: str, *, direction: str, type: str
) -> str | None:
    """The newest movement of `resource_id` in this direction and of this type, if any."""
    row = db.execute(
        "SELECT id FROM movements WHERE resource_id = ? AND direction = ? "
        "AND json_extract(data, '$.type') = ? ORDER BY seq DESC LIMIT 1",
        (resource_id, direction, type),
    ).fetchone()
    return str(row[0]) if row else None


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
