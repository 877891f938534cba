"""Account verifications: create (JWS, idempotent), list, get (additions §3; verifications.py)."""

from __future__ import annotations

import sqlite3
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fintoc_tui.sandbox import verifications
from fintoc_tui.sandbox.endpoint import api_get, api_post
from fintoc_tui.sandbox.errors import SandboxError, not_found
from fintoc_tui.sandbox.filters import parse_time
from fintoc_tui.sandbox.pagination import paged_response
from fintoc_tui.sandbox.routes_transfers import parse_request

_TABLE = "account_verifications"


@api_post(jws=True)
def create_verification(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    from fintoc_tui.api.verification_models import AccountVerificationRequest

    state = request.app.state
    req = parse_request(AccountVerificationRequest, data)
    account = verifications.root_mxn_account(db)
    if account is None:
        raise SandboxError(
            403,
            "forbidden_account_verification",
            "This organisation has no active Mexican (MXN) account to pay the 0.01 MXN "
            "verification from; account verifications work only in Mexico",
        )
    verification = verifications.create(
        state.store,
        db,
        account=account,
        clabe=req.account_number,
        now=state.clock.time(),
        settle_after=state.settle_after,
    )
    if verification is None:
        raise SandboxError(
            409,
            "insufficient_balance",
            f"The root account {account['id']} has no $0.01 MXN left to pay the verification",
        )
    return 201, verification


@api_get
async def list_verifications(request: Request) -> Response:
    """Newest first; `since` (a `transaction_date` bound) as seen on the wire, `limit` and cursors."""
    raw = request.query_params.get("since")
    since = parse_time(raw, "since") if raw else None
    return paged_response(request, _TABLE, since=since)


@api_get
async def get_verification(request: Request) -> Response:
    verification_id = request.path_params["id"]
    raw = request.app.state.store.get_json(_TABLE, verification_id)
    if raw is None:
        raise not_found("account verification", verification_id)
    return Response(raw.encode("utf-8"), media_type="application/json")


ROUTES = [
    Route("/v2/account_verifications", list_verifications, methods=["GET"]),
    Route("/v2/account_verifications", create_verification, methods=["POST"]),
    Route("/v2/account_verifications/{id}", get_verification, methods=["GET"]),
]
