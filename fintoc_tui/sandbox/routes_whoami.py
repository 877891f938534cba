"""`GET /v1/whoami` (additions §11.2): the key's organisation, mode and pinned API version.

The shape is the one Fintoc's current CLI reads (`organization.name`,
`organization.api_version`, `api_key.mode`); the organisation's name is its
root entity's `holder_name`, as in Fintoc's test mode.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.endpoint import api_get, json_response

#: The version the sandbox follows (the current docs, v2026-02-01).
API_VERSION = "2026-02-01"


@api_get
async def whoami(request: Request) -> Response:
    store = request.app.state.store
    with store.reading() as db:
        rows = [json.loads(row[0]) for row in db.execute("SELECT data FROM entities ORDER BY seq")]
    root = next((e for e in rows if e.get("is_root")), rows[0] if rows else None)
    name = root.get("holder_name") if root is not None else None
    return json_response(
        200,
        {
            "organization": {"name": name, "api_version": API_VERSION},
            "api_key": {"mode": objects.MODE},
        },
    )


ROUTES = [Route("/v1/whoami", whoami, methods=["GET"])]
