"""POST /v2/simulate/receive_transfer: money arrives at one of our account numbers."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.endpoint import api_post
from fintoc_tui.sandbox.errors import SandboxError, not_found
from fintoc_tui.sandbox.ledger import add_movement, credit, insert_transfer, iso, runtime_id
from fintoc_tui.sandbox.routes_transfers import parse_request

#: Who sends simulated money when the request does not say (valid numbers).
DEFAULT_SENDERS: dict[str, dict[str, Any]] = {
    "MXN": {
        "account_number": "012180000000000992",
        "holder_name": "Cliente Demo",
        "holder_id": None,
        "account_type": "clabe",
        "institution_id": None,
    },
    "CLP": {
        "account_number": "123456789",
        "holder_name": "Cliente Demo",
        "holder_id": "111111111",
        "account_type": "checking_account",
        "institution_id": "cl_banco_estado",
    },
}


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
    sender = dict(DEFAULT_SENDERS[currency])
    for field in ("account_number", "holder_name", "holder_id", "account_type", "institution_id"):
        value = getattr(req, f"counterparty_{field}")
        if value is not None:
            sender[field] = value
    now = state.clock.time()
    transfer_id = runtime_id(state.store, db, "tr")
    transfer = objects.transfer_object(
        transfer_id,
        amount=req.amount,
        currency=currency,
        direction="inbound",
        status="succeeded",
        transaction_date=iso(now),
        post_date=iso(now),
        comment=req.comment,
        reference_id=req.reference_id,
        tracking_key=None,
        receipt_url=objects.receipt_url(transfer_id),
        return_reason=None,
        counterparty=objects.counterparty_object(currency, **sender),
        account_number=account_number,
    )
    insert_transfer(
        db, transfer, account_id=account_id, ts=int(now), settle_at=None, outcome="succeeded"
    )
    balance = credit(db, account_id, req.amount)
    add_movement(
        state.store,
        db,
        account_id=account_id,
        currency=currency,
        amount=req.amount,
        balance=balance,
        direction="inbound",
        resource_id=transfer_id,
        when=now,
        type="transfer",
    )
    return 201, transfer


ROUTES = [Route("/v2/simulate/receive_transfer", receive_transfer, methods=["POST"])]
