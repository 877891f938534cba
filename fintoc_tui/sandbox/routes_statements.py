"""Monthly account statements, made from the sandbox's own ledger, and their PDFs.

`GET /v2/accounts/{account_id}/account_statements` (additions §5) lists one
statement per whole calendar month (UTC) from the account's first movement
to the month before the clock's: `initial_balance_cents` is the balance
after the last movement before the month, the totals are the sums of the
month's inbound (`credited`) and outbound (`debited`) movements, and
`final_balance_cents` is initial + credited − debited, which is also the
balance after the month's last movement. Nothing is stored: a statement is
computed on each request, so it always agrees with the movements.

`download_url` is the sandbox's own URL for the statement's PDF
(statement_pdf.py). Like Fintoc's signed storage links it needs no API key;
the statement id in it (random-looking, fixed by the seed) is what a caller
must know.
"""

from __future__ import annotations

import calendar
import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fintoc_tui.money import format_amount
from fintoc_tui.sandbox.endpoint import api_get, json_response
from fintoc_tui.sandbox.errors import SandboxError, not_found
from fintoc_tui.sandbox.ids import new_id
from fintoc_tui.sandbox.pagination import base_url_of
from fintoc_tui.sandbox.statement_pdf import text_pdf
from fintoc_tui.sandbox.store import SandboxStore

#: Where the PDFs are served; not under /v2, as Fintoc's are not on its API host.
PDF_PATH = "/sandbox/account_statements"


@dataclass(frozen=True, slots=True)
class Statement:
    """One month of one account, all money in minor units."""

    id: str
    account_id: str
    currency: str
    start: date
    end: date
    initial_balance: int
    credited: int
    debited: int

    @property
    def final_balance(self) -> int:
        return self.initial_balance + self.credited - self.debited

    @property
    def period(self) -> str:
        return self.start.strftime("%Y-%m")

    def to_api(self, base_url: str) -> dict[str, Any]:
        created = datetime.combine(_next_month(self.start), datetime.min.time(), UTC)
        return {
            "id": self.id,
            "start_date": self.start.isoformat(),
            "end_date": self.end.isoformat(),
            "total_debited_cents": self.debited,
            "total_credited_cents": self.credited,
            "initial_balance_cents": self.initial_balance,
            "final_balance_cents": self.final_balance,
            "download_url": f"{base_url}{PDF_PATH}/{self.account_id}/{self.period}/{self.id}.pdf",
            "created_at": created.replace(hour=6).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "object": "account_statement",
        }


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _ts(day: date) -> int:
    return calendar.timegm(day.timetuple())


def statements(store: SandboxStore, account_id: str, now: float) -> list[Statement]:
    """Every whole month's statement of the account, newest first ([] for an unknown account)."""
    seed = store.get_meta("seed") or "0"
    this_month = datetime.fromtimestamp(now, UTC).date().replace(day=1)
    with store.reading() as db:
        row = db.execute("SELECT currency FROM accounts WHERE id = ?", (account_id,)).fetchone()
        first = db.execute(
            "SELECT MIN(ts) FROM movements WHERE account_id = ?", (account_id,)
        ).fetchone()
        if row is None or first[0] is None:
            return []
        currency = row[0]
        month = datetime.fromtimestamp(first[0], UTC).date().replace(day=1)
        found: list[Statement] = []
        balance = 0
        while month < this_month:
            following = _next_month(month)
            credited, debited = _totals(db, account_id, _ts(month), _ts(following))
            rng = random.Random(f"{seed}:acst:{account_id}:{month:%Y-%m}")
            end = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
            found.append(
                Statement(
                    new_id("acst", rng),
                    account_id,
                    currency,
                    month,
                    end,
                    balance,
                    credited,
                    debited,
                )
            )
            balance = found[-1].final_balance
            month = following
    found.reverse()
    return found


def _totals(db: sqlite3.Connection, account_id: str, start: int, end: int) -> tuple[int, int]:
    """Sums of the inbound and the outbound movement amounts in [start, end)."""
    sums = dict(
        db.execute(
            "SELECT direction, SUM(json_extract(data, '$.amount')) FROM movements "
            "WHERE account_id = ? AND ts >= ? AND ts < ? GROUP BY direction",
            (account_id, start, end),
        ).fetchall()
    )
    return int(sums.get("inbound") or 0), int(sums.get("outbound") or 0)


def _day(raw: str | None, param: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise SandboxError(
            400, "invalid_request", f"{param} must be a date, like 2026-03-01", param=param
        ) from None


@api_get
async def list_account_statements(request: Request) -> Response:
    """Statements whose period overlaps `since`..`until` (dates, both optional), newest first."""
    state = request.app.state
    account_id = request.path_params["account_id"]
    if state.store.seq_of("accounts", account_id) is None:
        raise not_found("account", account_id, param="account_id")
    since = _day(request.query_params.get("since"), "since")
    until = _day(request.query_params.get("until"), "until")
    base = base_url_of(request)
    chosen = [
        statement.to_api(base)
        for statement in statements(state.store, account_id, state.clock.time())
        if (since is None or statement.end >= since) and (until is None or statement.start <= until)
    ]
    response = json_response(200, chosen)
    response.headers["Link"] = ""  # one page: an account has a statement a month
    return response


async def statement_pdf(request: Request) -> Response:
    """The PDF behind a `download_url` (no API key, as a signed link needs none)."""
    state = request.app.state
    account_id = request.path_params["account_id"]
    wanted = request.path_params["statement_id"]
    for statement in statements(state.store, account_id, state.clock.time()):
        if statement.id == wanted and statement.period == request.path_params["period"]:
            return Response(
                _pdf(statement),
                media_type="application/pdf",
                headers={
                    "Content-Disposition": f'attachment; filename="statement-{statement.period}.pdf"'
                },
            )
    raise not_found("account statement", wanted)


def _pdf(statement: Statement) -> bytes:
    money = statement.currency

    def amount(value: int) -> str:
        return format_amount(value, money)

    lines = [
        f"Account statement {statement.period} (sandbox)",
        "",
        f"Account: {statement.account_id}",
        f"Period: {statement.start.isoformat()} to {statement.end.isoformat()} (UTC)",
        f"Statement: {statement.id}",
        "",
        f"Opening balance:  {amount(statement.initial_balance)}",
        f"Money in:         {amount(statement.credited)}",
        f"Money out:        {amount(statement.debited)}",
        f"Closing balance:  {amount(statement.final_balance)}",
        "",
        "Made by the fintoc-tui sandbox from its own movements; not a Fintoc document.",
    ]
    return text_pdf(lines, title=f"Statement {statement.period}")


ROUTES = [
    Route("/v2/accounts/{account_id}/account_statements", list_account_statements, methods=["GET"]),
    Route(PDF_PATH + "/{account_id}/{period}/{statement_id}.pdf", statement_pdf, methods=["GET"]),
]
