"""Account numbers (CLABEs for collecting): list with `no_transfers_since`, create, update, delete.

Fintoc's shapes and rules (additions §4): create answers 200, not 201; a
number's `status` is `enabled` or `disabled` by PATCH, `deleted` only by
DELETE, which refuses a root number; `options.min_amount/max_amount` bound
the inbound transfers a number takes. Where the public record is silent the
sandbox's choices are in docs/sandbox.md ("Account numbers"): a deleted
number stays readable with `status: deleted` and `deleted_at`, and an
inbound simulation the number would not take is refused with a 409 that
says why (`refuse_inbound`), where Fintoc would create a rejected transfer.
"""

from __future__ import annotations

import json
import random
import sqlite3
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fintoc_tui import banking
from fintoc_tui.money import format_amount
from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.endpoint import api_get, api_post
from fintoc_tui.sandbox.errors import SandboxError, brief, not_found
from fintoc_tui.sandbox.filters import parse_id, parse_time
from fintoc_tui.sandbox.ledger import iso, runtime_id
from fintoc_tui.sandbox.pagination import base_url_of, cursors, parse_limit
from fintoc_tui.sandbox.routes_transfers import parse_request
from fintoc_tui.sandbox.store import SandboxStore, dumps

#: Fintoc's bank and plaza digits, the start of every CLABE it issues (`735969…`).
FINTOC_CLABE_PREFIX = ("735", "969")


@api_get
async def list_account_numbers(request: Request) -> Response:
    """`account_id` and `no_transfers_since` (a date: numbers with no inbound transfer since it)."""
    store: SandboxStore = request.app.state.store
    query = request.query_params
    limit = parse_limit(query.get("limit"))
    where = ["1"]
    params: list[Any] = []
    account_id = parse_id(request, "account_id")
    if account_id is not None:
        where.append("n.account_id = ?")
        params.append(account_id)
    since = query.get("no_transfers_since")
    if since:
        where.append(
            "NOT EXISTS (SELECT 1 FROM transfers t WHERE t.account_number_id = n.id "
            "AND t.direction = 'inbound' AND t.ts >= ?)"
        )
        params.append(parse_time(since, "no_transfers_since"))
    after, before = cursors(query)
    cursor_param, cursor = ("starting_after", after) if after else ("ending_before", before)
    order = "DESC"
    if cursor:
        seq = store.seq_of("account_numbers", cursor)
        if seq is None:
            raise SandboxError(
                400,
                "invalid_request",
                f"No such object to page from: {brief(cursor)}",
                param=cursor_param,
            )
        where.append("n.seq < ?" if after else "n.seq > ?")
        params.append(seq)
        order = "DESC" if after else "ASC"
    sql = (
        f"SELECT n.id, n.data FROM account_numbers n WHERE {' AND '.join(where)} "  # noqa: S608
        f"ORDER BY n.seq {order} LIMIT ?"
    )
    with store.reading() as db:
        rows = db.execute(sql, (*params, limit + 1)).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    if order == "ASC":
        rows.reverse()  # newest first, as every page
    link = ""
    if more and rows:
        # Forwards (older) continues after the last item; backwards before the first.
        edge, next_param = (
            (rows[0][0], "ending_before") if before else (rows[-1][0], "starting_after")
        )
        items = [("limit", str(limit)), (next_param, edge)]
        items += [
            (k, v)
            for k, v in query.multi_items()
            if k not in ("starting_after", "ending_before", "limit")
        ]
        link = f'<{base_url_of(request)}{request.url.path}?{urlencode(items)}>; rel="next"'
    body = ("[" + ",".join(data for _, data in rows) + "]").encode("utf-8")
    return Response(body, media_type="application/json", headers={"Link": link})


def _new_clabe(store: SandboxStore, db: sqlite3.Connection) -> str:
    """A Fintoc CLABE with a valid check digit that no number has yet (deterministic per seed)."""
    seed = store.get_meta("seed") or "0"
    while True:
        rng = random.Random(f"{seed}:clabe:{store.next_counter(db, 'clabe')}")
        number = banking.make_clabe(*FINTOC_CLABE_PREFIX, f"{rng.randrange(10**11):011d}")
        if db.execute("SELECT 1 FROM account_numbers WHERE number = ?", (number,)).fetchone():
            continue
        return number


@api_post(jws=False)
def create_account_number(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    from fintoc_tui.api.account_number_models import AccountNumberCreateRequest

    req = parse_request(AccountNumberCreateRequest, data)
    row = db.execute("SELECT currency FROM accounts WHERE id = ?", (req.account_id,)).fetchone()
    if row is None:
        raise not_found("account", req.account_id, param="account_id")
    if row[0] != "MXN":
        raise SandboxError(
            409,
            "account_number_limit_reached",
            "In Chile an account has exactly one account number; only Mexican accounts "
            "can have more",
            param="account_id",
        )
    state = request.app.state
    store: SandboxStore = state.store
    now = iso(state.clock.time())
    number = objects.account_number_object(
        runtime_id(store, db, "acno"),
        account_id=req.account_id,
        number=_new_clabe(store, db),
        description=req.description or "",
        is_root=False,
        created_at=now,
    )
    number["description"] = req.description
    number["metadata"] = req.metadata or {}
    number["options"] = _options(req.options)
    db.execute(
        "INSERT INTO account_numbers (id, account_id, number, data) VALUES (?, ?, ?, ?)",
        (number["id"], req.account_id, number["number"], dumps(number)),
    )
    return 200, number


def _options(options: Any) -> dict[str, int | None]:
    if options is None:
        return {"max_amount": None, "min_amount": None}
    return {"max_amount": options.max_amount, "min_amount": options.min_amount}


def _editable(db: sqlite3.Connection, number_id: str) -> dict[str, Any]:
    row = db.execute("SELECT data FROM account_numbers WHERE id = ?", (number_id,)).fetchone()
    if row is None:
        raise not_found("account_number", number_id)
    number: dict[str, Any] = json.loads(row[0])
    if number["status"] in ("deleted", "blocked"):
        raise SandboxError(
            409,
            "invalid_account_number_status",
            f"Account number {number_id} is {number['status']} and can no longer be changed",
        )
    return number


def _save(db: sqlite3.Connection, number: dict[str, Any]) -> None:
    db.execute("UPDATE account_numbers SET data = ? WHERE id = ?", (dumps(number), number["id"]))


@api_post(jws=False)
def update_account_number(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    from fintoc_tui.api.account_number_models import AccountNumberUpdateRequest

    number = _editable(db, request.path_params["id"])
    req = parse_request(AccountNumberUpdateRequest, data)
    given = req.model_fields_set
    if "options" in given and len(number["number"]) != banking.CLABE_LENGTH:
        raise SandboxError(
            400,
            "invalid_request",
            "options (min and max amounts) are for CLABEs only",
            param="options",
        )
    if "description" in given:
        number["description"] = req.description
    if "status" in given and req.status is not None:
        number["status"] = req.status
    if "metadata" in given:
        number["metadata"] = req.metadata or {}
    if "options" in given:
        number["options"] = _options(req.options)
    number["updated_at"] = iso(request.app.state.clock.time())
    _save(db, number)
    return 200, number


@api_post(jws=False)
def delete_account_number(
    request: Request, db: sqlite3.Connection, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    number = _editable(db, request.path_params["id"])
    if number["is_root"]:
        raise SandboxError(
            409,
            "root_account_number_cannot_be_deleted",
            "A root account number (is_root: true) cannot be deleted: it is the account's "
            "own number, the one its outbound transfers are sent from",
        )
    now = iso(request.app.state.clock.time())
    number["status"] = "deleted"
    number["deleted_at"] = now
    number["updated_at"] = now
    _save(db, number)
    return 200, number


def refuse_inbound(account_number: dict[str, Any], amount: int, currency: str) -> None:
    """Raise the 409 for an inbound transfer this number would not take (disabled, out of range).

    Fintoc rejects such a transfer and returns it to the sender (additions
    §4.2); the simulation is refused instead, so the tester sees why at once
    and no money arrives.
    """
    status = account_number.get("status", "enabled")
    if status != "enabled":
        raise SandboxError(
            409,
            "account_number_not_enabled",
            f"Account number {account_number['id']} is {status}; Fintoc rejects every inbound "
            "transfer to it and returns it to the sender. Enable it first",
            param="account_number_id",
        )
    options = account_number.get("options") or {}
    low, high = options.get("min_amount"), options.get("max_amount")
    if (low is not None and amount < low) or (high is not None and amount > high):
        bounds = " to ".join(
            format_amount(bound, currency) if bound is not None else "any amount"
            for bound in (low, high)
        )
        raise SandboxError(
            409,
            "amount_out_of_range",
            f"Account number {account_number['id']} accepts inbound transfers from {bounds}; "
            f"Fintoc would reject {format_amount(amount, currency)} and return it to the sender",
            param="amount",
        )


ROUTES = [
    Route("/v2/account_numbers", list_account_numbers, methods=["GET"]),
    Route("/v2/account_numbers", create_account_number, methods=["POST"]),
    Route("/v2/account_numbers/{id}", update_account_number, methods=["PATCH"]),
    Route("/v2/account_numbers/{id}", delete_account_number, methods=["DELETE"]),
]
