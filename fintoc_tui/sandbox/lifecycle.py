"""Pending transfers reach their outcome as the clock passes their settle time.

Nothing runs in the background: at the start of each request the app settles
whatever is due, in clock order, so tests move a `ManualClock` instead of
sleeping and a person watching a real server sees `pending` become
`succeeded` a few seconds after creating a transfer.

Outcomes (chosen at creation from the magic table, column `outcome`):
- outbound `succeeded`: pending → succeeded (post_date, receipt_url).
- outbound `failed` / `rejected`: pending → failed / rejected; amount given back.
- outbound `returned`: pending → succeeded, then one settle delay later
  → returned (return_reason), amount given back.
- inbound being returned: return_pending → returned.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.ledger import add_movement, credit, iso, update_transfer
from fintoc_tui.sandbox.seed import INBOUND_RETURN_REASON
from fintoc_tui.sandbox.store import SandboxStore

OUTBOUND_RETURN_REASON = "account_closed"

_DUE = (
    "SELECT id, status, outcome, settle_at, account_id, amount, currency, direction "
    "FROM transfers WHERE settle_at IS NOT NULL AND settle_at <= ? "
    "ORDER BY settle_at, seq LIMIT 1"
)


def settle_due(store: SandboxStore, now: float, settle_after: float) -> int:
    """Apply every transition due at or before `now`; returns how many were applied."""
    with store.reading() as db:
        if db.execute(_DUE, (now,)).fetchone() is None:
            return 0  # the common case: no write transaction at all
    applied = 0
    with store.transaction() as db:
        while (row := db.execute(_DUE, (now,)).fetchone()) is not None:
            _apply(store, db, row, settle_after)
            applied += 1
    return applied


def _apply(
    store: SandboxStore, db: sqlite3.Connection, row: tuple[Any, ...], settle_after: float
) -> None:
    transfer_id, status, outcome, settle_at, account_id, amount, currency, direction = row
    when = iso(settle_at)

    def give_back() -> None:
        balance = credit(db, account_id, amount)
        add_movement(
            store,
            db,
            account_id=account_id,
            currency=currency,
            amount=amount,
            balance=balance,
            direction="inbound",
            resource_id=transfer_id,
            when=settle_at,
            type="transfer_return",
        )

    if status == "pending" and outcome in ("succeeded", "returned"):
        update_transfer(
            db,
            transfer_id,
            settle_at=settle_at + settle_after if outcome == "returned" else None,
            status="succeeded",
            post_date=when,
            receipt_url=objects.receipt_url(transfer_id),
        )
    elif status == "pending" and outcome in ("failed", "rejected"):
        update_transfer(db, transfer_id, settle_at=None, status=outcome)
        give_back()
    elif status == "succeeded" and outcome == "returned" and direction == "outbound":
        update_transfer(
            db, transfer_id, settle_at=None, status="returned", return_reason=OUTBOUND_RETURN_REASON
        )
        give_back()
    elif status == "return_pending":
        update_transfer(
            db, transfer_id, settle_at=None, status="returned", return_reason=INBOUND_RETURN_REASON
        )
    else:  # nothing left to do for this one; never loop on it
        update_transfer(db, transfer_id, settle_at=None)
