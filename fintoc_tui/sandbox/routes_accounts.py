"""Accounts, their movements, account numbers and entities (read-only).

Listing and changing account numbers: routes_account_numbers.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fintoc_tui.sandbox.endpoint import api_get
from fintoc_tui.sandbox.errors import not_found
from fintoc_tui.sandbox.filters import parse_direction, parse_id, parse_period
from fintoc_tui.sandbox.pagination import paged_response
from fintoc_tui.sandbox.store import FilterValue


def _one(request: Request, table: str, kind: str) -> Response:
    object_id = request.path_params["id"]
    raw = request.app.state.store.get_json(table, object_id)
    if raw is None:
        raise not_found(kind, object_id)
    return Response(raw.encode("utf-8"), media_type="application/json")


@api_get
async def list_accounts(request: Request) -> Response:
    return paged_response(request, "accounts")


@api_get
async def get_account(request: Request) -> Response:
    return _one(request, "accounts", "account")


@api_get
async def list_movements(request: Request) -> Response:
    """An account's movements; filters `direction`, `since`/`until` (transaction_date), `resource_id`."""
    account_id = request.path_params["account_id"]
    if request.app.state.store.seq_of("accounts", account_id) is None:
        raise not_found("account", account_id, param="account_id")
    filters: dict[str, FilterValue] = {"account_id": account_id}
    direction = parse_direction(request)
    if direction is not None:
        filters["direction"] = direction
    resource_id = parse_id(request, "resource_id")
    if resource_id is not None:
        filters["resource_id"] = resource_id
    since, until = parse_period(request)
    return paged_response(request, "movements", filters=filters, since=since, until=until)


@api_get
async def get_account_number(request: Request) -> Response:
    return _one(request, "account_numbers", "account_number")


@api_get
async def list_entities(request: Request) -> Response:
    return paged_response(request, "entities")


@api_get
async def get_entity(request: Request) -> Response:
    return _one(request, "entities", "entity")


ROUTES = [
    Route("/v2/accounts", list_accounts, methods=["GET"]),
    Route("/v2/accounts/{id}", get_account, methods=["GET"]),
    Route("/v2/accounts/{account_id}/movements", list_movements, methods=["GET"]),
    Route("/v2/account_numbers/{id}", get_account_number, methods=["GET"]),
    Route("/v2/entities", list_entities, methods=["GET"]),
    Route("/v2/entities/{id}", get_entity, methods=["GET"]),
]
