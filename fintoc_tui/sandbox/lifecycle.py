"""Pending transfers reach their outcome as the clock passes their settle time.

Nothing runs in the background: at the start of each request the app settles
whatever is due, in clock order, so tests move a `ManualClock` instead of
sleeping and a person watching a real server sees `pending` become
`succeeded` a few seconds after creating a transfer.

Transitions (the `outcome` column says where each transfer is headed):
- outbound `succeeded`: pending → succeeded (post_date; MX: receipt_url).
- outbound `failed` / `rejected`: pending → failed / rejected; amount given back.
- outbound `returned`: pending → succeeded, then one settle delay later
  → returned (a SPEI return_reason), amount given back.
- inbound arriving (simulated): pending → succeeded; the money is credited now.
- inbound being returned: return_pending → returned (outcome `returned`), or
  back to succeeded with the money credited again (outcome `return_failed`).

Money given back is a reversal: its movement and the one it undoes name each
other in `return_pair_id` (ledger.py). `events.transfer_event_type` names
each transition as Fintoc's webhooks would, and `webhooks.publish_transfer_transition`
puts its event in the outbox in the same transaction.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from fintoc_tui.sandbox import objects, webhooks
from fintoc_tui.sandbox.ledger import (
    add_movement,
    credit,
    iso_day,
    last_movement,
    set_return_pair,
    update_transfer,
)
from fintoc_tui.sandbox.returns import INBOUND_RETURN_REASON, OUTBOUND_RETURN_REASON
from fintoc_tui.sandbox.store import SandboxStore

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
            webhooks.publish_transfer_transition(
                db, row[0], direction=row[7], before=row[1], when=row[3]
            )
            applied += 1
    return applied


def _apply(
    store: SandboxStore, db: sqlite3.Connection, row: tuple[Any, ...], settle_after: float
) -> None:
    transfer_id, status, outcome, settle_at, account_id, amount, currency, direction = row
    receipt = objects.receipt_url(transfer_id) if currency == "MXN" else None

    def credit_back(reverses: str | None, type: str) -> str:
        """Credit `amount` again, as the reversal of movement `reverses`."""
        balance = credit(db, account_id, amount)
        if balance is None:
            # Unreachable: a simulated credit always leaves room for the money
            # that may come back (routes_simulate), and an older state file
            # that breaks this is refused when it is opened (store.migrate).
            raise RuntimeError(f"crediting {transfer_id} would pass the balance bound")
        return add_movement(
            store,
            db,
            account_id=account_id,
            currency=currency,
            amount=amount,
            balance=balance,
            direction="inbound",
            resource_id=transfer_id,
            when=settle_at,
            type=type,
            reverses=reverses,
        )

    def give_back() -> None:
        """An outbound transfer's money returns: the reversal of its debit."""
        debit_id = last_movement(db, transfer_id, direction="outbound", type="transfer")
        credit_back(debit_id, "transfer_return")

    if direction == "outbound" and status == "pending" and outcome in ("succeeded", "returned"):
        update_transfer(
            db,
            transfer_id,
            settle_at=settle_at + settle_after if outcome == "returned" else None,
            status="succeeded",
            post_date=iso_day(settle_at),
            receipt_url=receipt,
        )
    elif direction == "outbound" and status == "pending" and outcome in ("failed", "rejected"):
        update_transfer(db, transfer_id, settle_at=None, status=outcome)
        give_back()
    elif direction == "outbound" and status == "succeeded" and outcome == "returned":
        update_transfer(
            db, transfer_id, settle_at=None, status="returned", return_reason=OUTBOUND_RETURN_REASON
        )
        give_back()
    elif direction == "inbound" and status == "pending":
        # A simulated inbound transfer arrives: only now is the money there.
        update_transfer(db, transfer_id, settle_at=None, status="succeeded", receipt_url=receipt)
        credit_back(None, "transfer")
    elif direction == "inbound" and status == "return_pending" and outcome == "return_failed":
        # The money taken for the return comes back; that movement and the
        # return's debit are now the pair, and the arrival is no longer reversed.
        return_debit = last_movement(db, transfer_id, direction="outbound", type="transfer_return")
        arrival = last_movement(db, transfer_id, direction="inbound", type="transfer")
        update_transfer(db, transfer_id, settle_at=None, outcome="succeeded", status="succeeded")
        if arrival is not None:
            set_return_pair(db, arrival, None)
        credit_back(return_debit, "transfer_return")
    elif direction == "inbound" and status == "return_pending":
        update_transfer(
            db, transfer_id, settle_at=None, status="returned", return_reason=INBOUND_RETURN_REASON
        )
    else:  # nothing left to do for this one; never loop on it
        update_transfer(db, transfer_id, settle_at=None)
