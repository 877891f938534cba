"""Issue 12 §1 end to end: after every attack of the issue, the app still reads its accounts.

A sandbox on a real loopback socket, with its state in a file, takes the
attacks (balances pushed past int64, amounts of 2^63, 2^64, 10^400 and 5,000
digits, broken form bodies, control characters, a lone surrogate, a 10 MB
name). Then the app's own client (httpx + pydantic) and the stdlib prefetch
that paints the first screen both read the accounts, get exact int balances,
and a transfer from the account under attack still goes through; the same
after the sandbox restarts on the same file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from fintoc_tui.api.client import FintocClient
from fintoc_tui.api.jws import JWSSigner, generate_keypair
from fintoc_tui.api.models import TransferRequest
from fintoc_tui.api.prefetch import fetch_accounts
from fintoc_tui.clock import ManualClock
from fintoc_tui.money import MAX_AMOUNT, format_amount
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore

pytestmark = pytest.mark.e2e

SIMULATE = "/v2/simulate/receive_transfer"


def attacks(mx: dict, signer: JWSSigner, clock: ManualClock) -> list[tuple[str, bytes, dict]]:
    """(path, body, headers) for every request the issue found harmful."""
    number = mx["root_account_number_id"]
    json_headers = {"content-type": "application/json"}
    form_headers = {"content-type": "application/x-www-form-urlencoded"}
    requests: list[tuple[str, bytes, dict]] = []
    # The float balance: 2^63 - balance in one go, then ten of the app's own maximum.
    for amount in [2**63 - mx["available_balance"], *([999_999_999_999_999_999] * 10)]:
        body = {"account_number_id": number, "amount": amount, "currency": "MXN"}
        requests.append((SIMULATE, json.dumps(body).encode(), json_headers))
    for digits in (str(2**63), str(2**64), str(10**400), "9" * 5000):
        requests.append(
            (
                SIMULATE,
                f'{{"account_number_id": "{number}", "currency": "MXN", "amount": {digits}}}'.encode(),
                json_headers,
            )
        )
        requests.append(
            (
                SIMULATE,
                f"account_number_id={number}&currency=MXN&amount={digits}".encode(),
                form_headers,
            )
        )
        requests.append(
            (
                "/v2/transfers",
                f"account_id={mx['id']}&currency=MXN&amount={digits}"
                "&counterparty[account_number]=012180000000000015".encode(),
                form_headers,
            )
        )
    requests.append(
        (
            "/v2/transfers",
            f"amount=100&currency=MXN&account_id={mx['id']}"
            "&counterparty=x&counterparty[account_number]=1".encode(),
            form_headers,
        )
    )
    for text in ("\ud800", "\x00", "\x1b[2J\x1b]0;pwned\x07", "\x9b31m"):
        body = {"account_number_id": number, "amount": 1, "currency": "MXN"}
        for field in ("comment", "counterparty_holder_name"):
            requests.append((SIMULATE, json.dumps({**body, field: text}).encode(), json_headers))
    big = {"account_number_id": number, "amount": 1, "counterparty_holder_name": "A" * 10_000_000}
    requests.append((SIMULATE, json.dumps({**big, "currency": "MXN"}).encode(), json_headers))
    signed = []
    for path, body, headers in requests:
        if path == "/v2/transfers":
            headers = {**headers, "Fintoc-JWS-Signature": signer.sign(body, clock)}
        signed.append((path, body, headers))
    return signed


async def read_accounts(base_url: str, signer: JWSSigner, clock: ManualClock) -> dict:
    """The accounts as the app's client and as the start-up prefetch read them; they agree."""
    async with FintocClient(
        SANDBOX_SECRET_KEY, base_url=base_url, jws_signer=signer, clock=clock
    ) as client:
        accounts = await client.list_accounts()
    snapshots = fetch_accounts(base_url, SANDBOX_SECRET_KEY)
    balances = {a.id: a.available_balance for a in accounts}
    assert balances == {s.id: s.available_balance for s in snapshots}
    for balance in balances.values():
        assert type(balance) is int and 0 <= balance <= MAX_AMOUNT
    return {a.currency: a for a in accounts}


async def test_the_app_reads_its_accounts_after_every_attack(tmp_path):
    private_pem, public_pem = generate_keypair()
    signer = JWSSigner.from_pem(private_pem)
    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    state = tmp_path / "sandbox.sqlite3"
    store = SandboxStore(state)
    seed_store(store, transfers=60, now=clock.now())
    app = create_app(store, clock, jws_public_pems=[public_pem])

    with SandboxServer(app) as server:
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"Authorization": SANDBOX_SECRET_KEY}, timeout=30
        ) as raw:
            mx = next(a for a in (await raw.get("/v2/accounts")).json() if a["currency"] == "MXN")
            statuses = []
            for path, body, headers in attacks(mx, signer, clock):
                response = await raw.post(path, content=body, headers=headers)
                statuses.append(response.status_code)
                assert 400 <= response.status_code < 500, (path, body[:120], response.text)
                error = response.json()["error"]
                assert set(error) == {"type", "code", "message", "param", "doc_url"}
            assert set(statuses) <= {400, 409, 413}

        accounts = await read_accounts(server.base_url, signer, clock)
        assert accounts["MXN"].available_balance == mx["available_balance"]

        # Fill the account to the very bound, then send money out of it.
        clock.advance(3 * 24 * 3600)  # every seeded transfer in flight settles
        accounts = await read_accounts(server.base_url, signer, clock)
        room = MAX_AMOUNT - accounts["MXN"].available_balance
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"Authorization": SANDBOX_SECRET_KEY}
        ) as raw:
            body = {
                "account_number_id": mx["root_account_number_id"],
                "amount": room,
                "currency": "MXN",
            }
            assert (await raw.post(SIMULATE, json=body)).status_code == 201
        clock.advance(60)  # the simulated transfer arrives (pending → succeeded)
        full = (await read_accounts(server.base_url, signer, clock))["MXN"]
        assert full.available_balance == MAX_AMOUNT
        assert format_amount(full.available_balance, "MXN") == "$9,999,999,999,999,999.99 MXN"
        async with FintocClient(
            SANDBOX_SECRET_KEY, base_url=server.base_url, jws_signer=signer, clock=clock
        ) as client:
            request = TransferRequest.model_validate(
                {
                    "amount": MAX_AMOUNT,
                    "currency": "MXN",
                    "account_id": full.id,
                    "counterparty": {"account_number": "012180000000000015"},
                }
            )
            transfer = await client.create_transfer(request, idempotency_key="all-of-it")
        assert transfer.amount == MAX_AMOUNT and transfer.status == "pending"
    store.close()

    # A restart on the same file reads the same exact books.
    clock.advance(10)
    with SandboxStore(state) as reopened:
        app = create_app(reopened, clock, jws_public_pems=[public_pem])
        with SandboxServer(app) as server:
            accounts = await read_accounts(server.base_url, signer, clock)
        assert accounts["MXN"].available_balance == 0
        assert reopened.balances() == reopened.movement_totals()
