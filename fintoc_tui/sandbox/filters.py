"""Query-string filters of the list endpoints, read once for transfers and movements.

Each function reads one filter from the request and answers a Fintoc-shaped
400 naming the param when the value cannot be right; an empty value is the
same as leaving the filter out.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request

from fintoc_tui.sandbox.errors import SandboxError, brief

#: TransferStatus's values, spelled out so listing transfers needs no pydantic
#: import; tests/sandbox/test_lazy_imports.py checks they stay the same. The
#: sandbox never reaches the last two, but Fintoc documents them as filters.
STATUSES = frozenset(
    {
        "pending",
        "succeeded",
        "failed",
        "rejected",
        "returned",
        "return_pending",
        "reject_failed",
        "partially_succeeded",
    }
)
DIRECTIONS = frozenset({"inbound", "outbound"})
#: Longest id a filter takes (real ids are about 30 characters).
MAX_FILTER_ID = 64


def parse_time(raw: str, param: str) -> int:
    """ISO 8601 (a date, or a date-time with `Z` or an offset; naive means UTC) → Unix seconds."""
    try:
        when = datetime.fromisoformat(raw.strip().replace("z", "Z"))
    except ValueError:
        raise SandboxError(
            400,
            "invalid_request",
            f"{param} must be an ISO 8601 date or date-time, like 2025-09-02T15:58:51Z",
            param=param,
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


def parse_statuses(request: Request) -> tuple[str, ...]:
    """Every status asked for, in any of the three spellings a client may use.

    Fintoc documents `status` as an array but not how it goes in a query
    string (UNKNOWN), so all three are read: `status=a,b`, `status[]=a&status[]=b`
    and a repeated `status=a&status=b`. An empty value is no filter; an empty
    entry inside one (`a,,b`) is a mistake and a 400.
    """
    query = request.query_params
    statuses: dict[str, None] = {}
    for value in (*query.getlist("status"), *query.getlist("status[]")):
        if not value:
            continue
        for status in value.split(","):
            if status not in STATUSES:
                raise SandboxError(
                    400,
                    "invalid_request",
                    f"status {brief(status)!r} is not one of {', '.join(sorted(STATUSES))}",
                    param="status",
                )
            statuses[status] = None
    return tuple(statuses)


def parse_direction(request: Request) -> str | None:
    direction = request.query_params.get("direction") or None
    if direction is not None and direction not in DIRECTIONS:
        raise SandboxError(
            400, "invalid_request", "direction must be inbound or outbound", param="direction"
        )
    return direction


def parse_id(request: Request, name: str) -> str | None:
    """An id filter, or None when absent or empty; a 400 when no id could be that long."""
    value = request.query_params.get(name) or None
    if value is not None and len(value) > MAX_FILTER_ID:
        raise SandboxError(
            400,
            "invalid_request",
            f"{name} is at most {MAX_FILTER_ID} characters, not {len(value):,}",
            param=name,
        )
    return value


def parse_period(request: Request) -> tuple[int | None, int | None]:
    """`since` / `until` as Unix seconds (bounds on `transaction_date`, both inclusive)."""
    query = request.query_params
    since = parse_time(query["since"], "since") if query.get("since") else None
    until = parse_time(query["until"], "until") if query.get("until") else None
    return since, until
