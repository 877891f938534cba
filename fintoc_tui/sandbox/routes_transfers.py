"""Transfers: list, get, create (JWS), return an inbound one (JWS).

Request validation is the client's own (`fintoc_tui.api.models`): the sandbox
answers exactly the errors the app would have flagged before sending.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.endpoint import api_get, api_post
from fintoc_tui.sandbox.errors import SandboxError, brief, not_found
from fintoc_tui.sandbox.filters import parse_direction, parse_id, parse_period, parse_statuses
from fintoc_tui.sandbox.ledger import (
    add_movement,
    debit,
    insert_transfer,
    iso,
    last_movement,
    runtime_id,
    tracking_key,
    update_transfer,
)
from fintoc_tui.sandbox.magic import outcome_for
from fintoc_tui.sandbox.pagination import paged_response
from fintoc_tui.sandbox.returns import RETURN_WINDOW_SECONDS, return_fails
from fintoc_tui.sandbox.store import FilterValue

if TYPE_CHECKING:
    from pydantic import BaseModel

    from fintoc_tui.api.models import TransferRequest

# The pydantic models (fintoc_tui.api.models) are imported inside the POST
# handlers, not here: GET requests never need them, and importing them costs
# the sandbox ~0.1-0.2 s before it can announce itself.

M = TypeVar("M", bound="BaseModel")

_FORBIDDEN_CODES = frozenset({"account_not_active", "forbidden_account"})
#: The CL once-a-day duplicate rule counts days as Chile does.
_CHILE = ZoneInfo("America/Santiago")


def parse_request(model: type[M], data: dict[str, Any]) -> M:
    """Validate a POST body with the client's own model; a failure is a Fintoc 400 naming the param."""
    from pydantic import ValidationError

    from fintoc_tui.api.models import error_detail

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        detail = error_detail(exc)
        # brief(): a model's message may quote the value; an answer never grows with the input.
        raise SandboxError(
            400,
            detail.code or "invalid_request",
            brief(detail.message or "", 300),
            param=detail.param,
        ) from None


@api_get
async def list_transfers(request: Request) -> Response:
    filters: dict[str, FilterValue] = {}
    for name in ("account_id", "account_number_id"):
        value = parse_id(request, name)
        if value is not None:
            filters[name] = value
    direction = parse_direction(request)
    if direction is not None:
        filters["direction"] = direction
    statuses = parse_statuses(request)
    if statuses:
        filters["status"] = statuses[0] if len(statuses) == 1 else statuses
    since, until = parse_period(request)
    # The sandbox makes no transfer batches, so no transfer belongs to one.
    no_batch = parse_id(request, "transfer_batch_id") is not None
    return paged_response(
        request, "transfers", filters=filters, since=since, until=until, nothing=no_batch
    )


@api_get
async def get_transfer(request: Request) -> Response:
    transfer_id = request.path_params["id"]
    raw = request.app.state.store.get_json("transfers", transfer_id)
    if raw is None:
        raise not_found("transfer", transfer_id)
    return Response(raw.encode("utf-8"), media_type="application/json")


def _dedupe_key(req: TransferRequest, now: float) -> str:
    cp = req.counterparty
    day = datetime.fromtimestamp(now, _CHILE).date().isoformat()
    parts = (
        day,
        req.account_id,
        str(req.amount),
        getattr(cp, "institution_id", "") or "",
        cp.account_number,
        cp.holder_id or "",
        req.comment or "",
    )
    return json.dumps(parts, ensure_ascii=False)


@api_post(jws=True)
def create_transfer(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    state = request.app.state
    store = state.store

    from fintoc_tui.api.models import (
        Account,
        TransferRequest,
        TransferRequestError,
        validate_against_account,
    )

    req = parse_request(TransferRequest, data)
    row = db.execute("SELECT data FROM accounts WHERE id = ?", (req.account_id,)).fetchone()
    if row is None:
        raise not_found("account", req.account_id, param="account_id")
    account = Account.model_validate_json(row[0])
    try:
        validate_against_account(req, account)
    except TransferRequestError as exc:
        status = 403 if exc.code in _FORBIDDEN_CODES else 400
        raise SandboxError(status, exc.code, exc.message, param=exc.param) from None
    cp = req.counterparty
    outcome = outcome_for(req.currency, cp.account_number)
    now = state.clock.time()
    dedupe_key = None
    if req.currency == "CLP":
        dedupe_key = _dedupe_key(req, now)
        duplicate = db.execute(
            "SELECT id FROM transfers WHERE dedupe_key = ? AND status NOT IN ('failed', 'rejected')",
            (dedupe_key,),
        ).fetchone()
        if duplicate is not None:
            raise SandboxError(
                409,
                "invalid_duplicated_transfer",
                "A transfer with the same amount, counterparty and comment was already made "
                f"today ({duplicate[0]}); change the comment to send it again",
            )
    balance = debit(db, account.id, req.amount)
    if balance is None:
        raise _insufficient(req.amount, req.currency)
    transfer_id = runtime_id(store, db, "tr")
    root = json.loads(
        db.execute(
            "SELECT data FROM account_numbers WHERE id = ?", (account.root_account_number_id,)
        ).fetchone()[0]
    )
    key = None
    if req.currency == "MXN":
        key = tracking_key(now, store.next_counter(db, "tracking"))
    transfer = objects.transfer_object(
        transfer_id,
        amount=req.amount,
        currency=req.currency,
        direction="outbound",
        status="pending",
        transaction_date=iso(now),
        post_date=None,
        comment=req.comment,
        reference_id=req.reference_id,
        tracking_key=key,
        receipt_url=None,
        return_reason=None,
        counterparty=objects.counterparty_object(
            req.currency,
            account_number=cp.account_number,
            holder_name=cp.holder_name,
            holder_id=cp.holder_id,
            account_type=cp.account_type,
            institution_id=getattr(cp, "institution_id", None),
        ),
        account_number=root,
        metadata=req.metadata,
    )
    insert_transfer(
        db,
        transfer,
        account_id=account.id,
        ts=int(now),
        settle_at=now + state.settle_after,
        outcome=outcome,
        dedupe_key=dedupe_key,
    )
    add_movement(
        store,
        db,
        account_id=account.id,
        currency=req.currency,
        amount=req.amount,
        balance=balance,
        direction="outbound",
        resource_id=transfer_id,
        when=now,
        type="transfer",
    )
    return 201, transfer


def _insufficient(amount: int, currency: str) -> SandboxError:
    from fintoc_tui.money import format_amount

    return SandboxError(
        409,
        "insufficient_balance",
        f"The account's available balance does not cover {format_amount(amount, currency)}",
        param="amount",
    )


@api_post(jws=True)
def return_transfer(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    state = request.app.state
    from fintoc_tui.api.models import ReturnTransferRequest

    req = parse_request(ReturnTransferRequest, data)
    row = db.execute(
        "SELECT data, account_id, ts FROM transfers WHERE id = ?", (req.transfer_id,)
    ).fetchone()
    if row is None:
        raise not_found("transfer", req.transfer_id, param="transfer_id")
    transfer, account_id, ts = json.loads(row[0]), row[1], row[2]
    if transfer["direction"] != "inbound":
        raise SandboxError(
            409,
            "invalid_transfer_direction",
            "Only inbound transfers can be returned",
            param="transfer_id",
        )
    if transfer["currency"] != "MXN":
        raise SandboxError(
            409,
            "invalid_transfer_direction",
            "Only Mexican (MXN) inbound transfers can be returned",
            param="transfer_id",
        )
    if transfer["status"] != "succeeded":
        raise SandboxError(
            409,
            "invalid_transfer_status",
            f"Only a succeeded transfer can be returned; this one is {transfer['status']}",
            param="transfer_id",
        )
    now = state.clock.time()
    if now - ts > RETURN_WINDOW_SECONDS:
        raise SandboxError(
            409,
            "invalid_transfer_status",
            f"An inbound transfer can be returned up to 90 days after it arrived; this one "
            f"arrived on {transfer['transaction_date'][:10]}",
            param="transfer_id",
        )
    amount = transfer["amount"]
    balance = debit(db, account_id, amount)
    if balance is None:
        raise _insufficient(amount, transfer["currency"])
    outcome = "return_failed" if return_fails(transfer["currency"], amount) else "returned"
    update_transfer(
        db,
        req.transfer_id,
        settle_at=now + state.settle_after,
        outcome=outcome,
        status="return_pending",
    )
    # The money is held from now on; the debit reverses the transfer's arrival.
    add_movement(
        state.store,
        db,
        account_id=account_id,
        currency=transfer["currency"],
        amount=amount,
        balance=balance,
        direction="outbound",
        resource_id=req.transfer_id,
        when=now,
        type="transfer_return",
        reverses=last_movement(db, req.transfer_id, direction="inbound", type="transfer"),
    )
    transfer["status"] = "return_pending"
    return 200, transfer


ROUTES = [
    Route("/v2/transfers", list_transfers, methods=["GET"]),
    Route("/v2/transfers", create_transfer, methods=["POST"]),
    Route("/v2/transfers/return", return_transfer, methods=["POST"]),
    Route("/v2/transfers/{id}", get_transfer, methods=["GET"]),
]
