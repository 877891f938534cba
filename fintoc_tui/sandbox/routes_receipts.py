"""Transfer receipts: `GET /v2/transfers/{id}/receipt` and the signed PDF link it hands out.

Fintoc answers JSON holding a signed, expiring link to the PDF (additions §2;
the field names are UNKNOWN). The sandbox answers
`{"object": "transfer_receipt", "transfer_id", "url", "expires_at"}`, where
`url` is on the sandbox's own origin, needs no API key (like a signed storage
URL) and stops working `LINK_SECONDS` after it was made. The PDF is made when
it is fetched, from the transfer as it is then (pdf.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fintoc_tui.sandbox.endpoint import api_get, json_response
from fintoc_tui.sandbox.errors import SandboxError, not_found
from fintoc_tui.sandbox.ledger import iso
from fintoc_tui.sandbox.pagination import base_url_of
from fintoc_tui.sandbox.pdf import text_pdf
from fintoc_tui.sandbox.store import SandboxStore

#: How long a receipt link works (a sandbox choice; Fintoc's expiry is UNKNOWN).
LINK_SECONDS = 600
#: The statuses Fintoc documents a receipt for.
RECEIPT_STATUSES = frozenset({"succeeded", "partially_succeeded", "returned"})


def _signing_key(store: SandboxStore) -> bytes:
    """Per sandbox seed. Not a secret worth keeping: it only stops links being guessed or edited."""
    seed = store.get_meta("seed") or "0"
    return hashlib.sha256(f"fintoc-tui sandbox receipts:{seed}".encode()).digest()


def _signature(store: SandboxStore, transfer_id: str, expires: int) -> str:
    message = f"{transfer_id}:{expires}".encode()
    return hmac.new(_signing_key(store), message, hashlib.sha256).hexdigest()


def _receipt_path(transfer_id: str) -> str:
    return f"/sandbox/receipts/{transfer_id}.pdf"


@api_get
async def get_receipt(request: Request) -> Response:
    state = request.app.state
    transfer_id = request.path_params["id"]
    raw = state.store.get_json("transfers", transfer_id)
    if raw is None:
        raise not_found("transfer", transfer_id)
    status = json.loads(raw)["status"]
    if status not in RECEIPT_STATUSES:
        raise SandboxError(
            409,
            "invalid_transfer_status",
            f"The receipt is ready once the transfer is succeeded or returned; "
            f"this one is {status}. Ask again when it has settled",
        )
    expires = int(state.clock.time()) + LINK_SECONDS
    query = urlencode(
        {"expires": expires, "signature": _signature(state.store, transfer_id, expires)}
    )
    receipt = {
        "object": "transfer_receipt",
        "transfer_id": transfer_id,
        "url": f"{base_url_of(request)}{_receipt_path(transfer_id)}?{query}",
        "expires_at": iso(expires),
    }
    return json_response(200, receipt)


async def download_receipt(request: Request) -> Response:
    """The PDF behind a signed link: no API key, but a valid, unexpired signature."""
    state = request.app.state
    transfer_id = request.path_params["id"]
    expires_raw = request.query_params.get("expires", "")
    signature = request.query_params.get("signature", "")
    # Length first: int() refuses past 4,300 digits, and 12 reach the year 33658.
    well_formed = 0 < len(expires_raw) <= 12 and expires_raw.isascii() and expires_raw.isdigit()
    expires = int(expires_raw) if well_formed else -1
    if expires < 0 or not hmac.compare_digest(
        signature.encode(), _signature(state.store, transfer_id, expires).encode()
    ):
        raise SandboxError(
            403,
            "invalid_receipt_link",
            "This receipt link is not valid: ask for the receipt again "
            "(GET /v2/transfers/{id}/receipt) and use the link it gives",
        )
    if state.clock.time() > expires:
        raise SandboxError(
            403,
            "expired_receipt_link",
            "This receipt link has expired: ask for the receipt again for a fresh link",
        )
    raw = state.store.get_json("transfers", transfer_id)
    if raw is None:
        raise not_found("transfer", transfer_id)
    return Response(
        receipt_pdf(json.loads(raw)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="receipt-{transfer_id}.pdf"'},
    )


def receipt_pdf(transfer: dict[str, Any]) -> bytes:
    """The receipt's page: what a CEP says about a transfer, from the sandbox's record."""
    from fintoc_tui.money import format_amount

    counterparty = transfer.get("counterparty") or {}
    institution = counterparty.get("institution") or {}
    own = transfer.get("account_number") or {}
    lines = [
        f"Transfer: {transfer['id']}",
        f"Status: {transfer['status']}",
        f"Direction: {transfer['direction']}",
        f"Amount: {format_amount(transfer['amount'], transfer['currency'])} {transfer['currency']}",
        f"Transaction date: {transfer.get('transaction_date') or '-'}",
        f"Post date: {transfer.get('post_date') or '-'}",
        f"Tracking key: {transfer.get('tracking_key') or '-'}",
        f"Reference: {transfer.get('reference_id') or '-'}",
        f"Counterparty: {counterparty.get('holder_name') or '-'}",
        f"Counterparty account: {counterparty.get('account_number') or '-'}",
        f"Institution: {institution.get('name') or '-'} ({institution.get('id') or '-'})",
        f"Our account number: {own.get('number') or '-'}",
        f"Return reason: {transfer.get('return_reason') or '-'}",
        "",
        "Made by the local fintoc-tui sandbox (test mode). Not a Banxico CEP.",
    ]
    return text_pdf("Transfer receipt (sandbox)", lines)


ROUTES = [
    Route("/v2/transfers/{id}/receipt", get_receipt, methods=["GET"]),
    Route("/sandbox/receipts/{id}.pdf", download_receipt, methods=["GET"]),
]
