"""Cursor pagination exactly as fintoc-api.md §7.

The body is a bare JSON array; the next page is only in the `Link` header, as
an absolute URL that carries every query parameter the client sent (filters,
unknown ones too) plus `limit` and the new cursor, because SDKs follow it as
is. On the last page `Link` is present and empty.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from fintoc_tui.sandbox.errors import SandboxError, brief
from fintoc_tui.sandbox.store import FilterValue, SandboxStore

DEFAULT_LIMIT = 30
MAX_LIMIT = 300
_CURSORS = ("starting_after", "ending_before")


def parse_limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    # Length first: int() of 5,000 digits raises (Python's 4,300-digit limit).
    if len(raw) > 3 or not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise SandboxError(
            400,
            "invalid_request",
            f"limit must be a whole number from 1 to {MAX_LIMIT}, not {brief(raw)!r}",
            param="limit",
        )
    return int(raw)


def base_url_of(request: Request) -> str:
    configured = request.app.state.base_url
    if configured:
        return str(configured).rstrip("/")
    return str(request.base_url).rstrip("/")


def paged_response(
    request: Request,
    table: str,
    *,
    filters: dict[str, FilterValue] | None = None,
    since: int | None = None,
    until: int | None = None,
    nothing: bool = False,
) -> Response:
    """One page of `table` as the request asks; `nothing` answers an empty last page.

    `nothing` still checks `limit` and the cursors first, so a filter that
    matches nothing answers exactly as one the store found empty.
    """
    store: SandboxStore = request.app.state.store
    query = request.query_params
    limit = parse_limit(query.get("limit"))
    after, before = cursors(query)
    after_seq = before_seq = None
    cursor_param, cursor = ("starting_after", after) if after else ("ending_before", before)
    if cursor:
        seq = store.seq_of(table, cursor)
        if seq is None:
            raise SandboxError(
                400,
                "invalid_request",
                f"No such object to page from: {brief(cursor)}",
                param=cursor_param,
            )
        if after:
            after_seq = seq
        else:
            before_seq = seq
    if nothing:
        return Response(b"[]", media_type="application/json", headers={"Link": ""})
    rows, more = store.page(
        table,
        filters=filters,
        since=since,
        until=until,
        limit=limit,
        after_seq=after_seq,
        before_seq=before_seq,
    )
    link = ""
    if more and rows:
        # Forwards (older) continues after the last item; backwards before the first.
        edge = rows[-1] if before_seq is None else rows[0]
        edge_id = json.loads(edge)["id"]
        next_param = "starting_after" if before_seq is None else "ending_before"
        items = [("limit", str(limit)), (next_param, edge_id)]
        items += [(k, v) for k, v in query.multi_items() if k not in (*_CURSORS, "limit")]
        link = f'<{base_url_of(request)}{request.url.path}?{urlencode(items)}>; rel="next"'
    body = ("[" + ",".join(rows) + "]").encode("utf-8")
    return Response(body, media_type="application/json", headers={"Link": link})


def cursors(query: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(`starting_after`, `ending_before`) of a list request; both at once is a 400."""
    after = query.get("starting_after") or None
    before = query.get("ending_before") or None
    if after and before:
        raise SandboxError(
            400,
            "invalid_request",
            "use starting_after or ending_before, not both",
            param="ending_before",
        )
    return after, before
