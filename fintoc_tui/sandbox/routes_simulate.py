"""POST /v2/simulate/receive_transfer: money arrives at one of our account numbers.

As in Fintoc's test mode (additions §1.5) the transfer is created `pending`
with its `post_date` already set (that day, 00:00Z), and arrives (`succeeded`,
money credited) one settle delay later. A sender not given is made up:
a plausible RFC, a name and a valid CLABE of another bank.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from fintoc_tui.money import MAX_AMOUNT, format_amount
from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.endpoint import api_post
from fintoc_tui.sandbox.errors import SandboxError, not_found
from fintoc_tui.sandbox.ledger import (
    insert_transfer,
    iso,
    iso_day,
    may_come_back,
    runtime_id,
    tracking_key,
)
from fintoc_tui.sandbox.routes_account_numbers import refuse_inbound
from fintoc_tui.sandbox.routes_transfers import parse_request
from fintoc_tui.sandbox.senders import made_up_sender


@api_post(jws=False)
def receive_transfer(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    state = request.app.state
    from fintoc_tui.api.models import SimulateReceiveTransferRequest

    req = parse_request(SimulateReceiveTransferRequest, data)
    row = db.execute(
        "SELECT data, account_id FROM account_numbers WHERE id = ?", (req.account_number_id,)
    ).fetchone()
    if row is None:
        raise not_found("account_number", req.account_number_id, param="account_number_id")
    account_number, account_id = json.loads(row[0]), row[1]
    (currency,) = db.execute("SELECT currency FROM accounts WHERE id = ?", (account_id,)).fetchone()
    if req.currency != currency:
        raise SandboxError(
            400,
            "currency_mismatch",
            f"currency {req.currency} does not match the account's {currency}",
            param="currency",
        )
    refuse_inbound(account_number, req.amount, currency)  # disabled, or outside min/max
    headroom = _headroom(db, account_id)
    if req.amount > headroom:
        raise _past_the_bound(req.amount, currency, headroom)
    store = state.store
    sender: dict[str, Any] = made_up_sender(
        currency, store.get_meta("seed") or "0", store.next_counter(db, "sender")
    )
    for field in ("account_number", "holder_name", "holder_id", "account_type", "institution_id"):
        value = getattr(req, f"counterparty_{field}")
        if value is not None:
            sender[field] = value
    now = state.clock.time()
    transfer_id = runtime_id(store, db, "tr")
    reference_id = req.reference_id
    key = None
    if currency == "MXN":
        key = tracking_key(now, store.next_counter(db, "tracking"))
        if reference_id is None:  # Fintoc's test mode numbers them: "1", "3", "6"…
            reference_id = str(store.next_counter(db, "inbound_reference"))
    transfer = objects.transfer_object(
        transfer_id,
        amount=req.amount,
        currency=currency,
        direction="inbound",
        status="pending",
        transaction_date=iso(now),
        post_date=iso_day(now),
        comment=req.comment,
        reference_id=reference_id,
        tracking_key=key,
        receipt_url=None,
        return_reason=None,
        counterparty=objects.counterparty_object(currency, **sender),
        account_number=account_number,
    )
    # The money is credited when it arrives (lifecycle.py); the headroom check
    # above already counts it, so that credit always fits.
    insert_transfer(
        db,
        transfer,
        account_id=account_id,
        ts=int(now),
        settle_at=now + state.settle_after,
        outcome="succeeded",
    )
    return 201, transfer


def _headroom(db: sqlite3.Connection, account_id: str) -> int:
    """How much more may arrive: the bound less the balance and what may still come back to it."""
    (balance,) = db.execute(
        "SELECT available_balance FROM accounts WHERE id = ?", (account_id,)
    ).fetchone()
    return max(0, MAX_AMOUNT - int(balance) - may_come_back(db, account_id))


def _past_the_bound(amount: int, currency: str, headroom: int) -> SandboxError:
    most = format_amount(MAX_AMOUNT, currency)
    if headroom:
        advice = f"simulate at most {format_amount(headroom, currency)}"
    else:
        advice = "send some of it out first"
    return SandboxError(
        409,
        "balance_limit_exceeded",
        f"Receiving {format_amount(amount, currency)} would take this account past {most}, "
        f"the most a sandbox balance holds (counting transfers still in flight); {advice}",
        param="amount",
    )


ROUTES = [Route("/v2/simulate/receive_transfer", receive_transfer, methods=["POST"])]
