"""The contract suite's two targets: the sandbox (always) and Fintoc's real test mode (opt-in).

Every case takes the `target` fixture and runs once per target, with the same
assertions: what holds of Fintoc must hold of the sandbox. The sandbox runs in
process on a manual clock, so waiting for a transfer to settle is moving the
clock. Fintoc runs only when asked for, with a test key:

    FINTOC_TEST_SECRET_KEY=sk_test_… FINTOC_TEST_JWS_PRIVATE_KEY_FILE=private.pem \\
        .venv/bin/python -m pytest tests/contract -m fintoc_live_contract

(any of the app's key variables works, see docs/keys.md). It reads, and makes
small test-mode transfers and simulated inbound transfers; a live key
(`sk_live_…`) is refused. See docs/contract.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from fintoc_tui.api.client import FintocClient, RetryPolicy
from fintoc_tui.api.jws import JWSSigner, generate_keypair
from fintoc_tui.clock import Clock, ManualClock, SystemClock
from fintoc_tui.environments import FINTOC_BASE_URL

LIVE_MARK = "fintoc_live_contract"
SANDBOX_SETTLE_AFTER = 4.0
#: How long a live case waits for Fintoc's test mode to move a transfer on
#: (recorded: seconds to about two minutes), polling every `LIVE_POLL` seconds.
LIVE_WAIT = 240.0
LIVE_POLL = 5.0

# tests/conftest.py removes every FINTOC* variable before each test (no test
# may see a developer's keys); the live target reads them here, at collection.
_ENV_AT_START = {name: value for name, value in os.environ.items() if name.startswith("FINTOC")}


def _live_credentials() -> tuple[str, str] | str:
    """(secret key, JWS private PEM) for Fintoc's test mode, or why they cannot be had."""
    from fintoc_tui.credentials import CredentialError, CredentialStore
    from fintoc_tui.keyring_memory import MemoryKeyring

    store = CredentialStore(keyring=MemoryKeyring(), env=_ENV_AT_START)
    try:
        secret = store.secret_key("test")
        jws = store.jws_private_key("test")
    except CredentialError as exc:
        return str(exc)
    if secret is None:
        return "set FINTOC_TEST_SECRET_KEY to a Fintoc test key (sk_test_…)"
    if jws is None:
        return (
            "set FINTOC_TEST_JWS_PRIVATE_KEY_FILE to the JWS private key whose public "
            "key is registered for test mode in the Fintoc dashboard"
        )
    return secret.secret(), jws.secret()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fintoc is reached only on request (`-m fintoc_live_contract`) and with keys."""
    asked = LIVE_MARK in (config.option.markexpr or "")
    credentials = _live_credentials() if asked else None
    for item in items:
        if item.get_closest_marker(LIVE_MARK) is None:
            continue
        if not asked:
            item.add_marker(pytest.mark.skip(reason=f"Fintoc itself: run with -m {LIVE_MARK}"))
        elif isinstance(credentials, str):
            item.add_marker(pytest.mark.skip(reason=f"Fintoc itself: {credentials}"))


@dataclass
class Target:
    """One API to hold to the contract, and the few ways the cases drive it."""

    name: str
    raw: httpx.AsyncClient
    client: FintocClient
    signer: JWSSigner
    clock: Clock
    pass_time: Callable[[], Awaitable[None]]
    attempts: int
    made: list[str] = field(default_factory=list)

    @property
    def live(self) -> bool:
        return self.name == "fintoc"

    async def get_json(self, path: str, **params: Any) -> Any:
        response = await self.raw.get(path, params=params or None)
        assert response.status_code == 200, f"{self.name}: GET {path} → {response.text[:300]}"
        return response.json()

    async def post(
        self,
        path: str,
        body: dict[str, Any] | bytes,
        *,
        key: str | None = None,
        sign: bool = True,
        signer: JWSSigner | None = None,
        clock: Clock | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        """A POST with its own idempotency key and, unless told otherwise, a fresh JWS."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": key or f"contract-{uuid.uuid4()}",
        }
        if signature is not None:
            headers["Fintoc-JWS-Signature"] = signature
        elif sign:
            headers["Fintoc-JWS-Signature"] = (signer or self.signer).sign(
                data, clock or self.clock
            )
        return await self.raw.post(path, content=data, headers=headers)

    async def accounts(self) -> dict[str, dict[str, Any]]:
        """One account per currency (the root one when there is a choice)."""
        found: dict[str, dict[str, Any]] = {}
        for account in await self.get_json("/v2/accounts", limit=300):
            if account["currency"] not in found or account.get("is_root"):
                found[account["currency"]] = account
        return found

    async def account(self, currency: str) -> dict[str, Any]:
        account = (await self.accounts()).get(currency)
        if account is None:
            pytest.skip(f"{self.name} has no {currency} account")
        return account

    async def wait_for(
        self, transfer_id: str, done: Callable[[dict[str, Any]], bool], what: str
    ) -> dict[str, Any]:
        """Let time pass until the transfer satisfies `done`; fail saying where it stopped."""
        transfer: dict[str, Any] = {}
        for _ in range(self.attempts):
            transfer = await self.get_json(f"/v2/transfers/{transfer_id}")
            if done(transfer):
                return transfer
            await self.pass_time()
        pytest.fail(f"{self.name}: {transfer_id} never {what}; it is {transfer.get('status')}")

    async def simulate(self, currency: str, amount: int, **fields: Any) -> dict[str, Any]:
        """A simulated inbound transfer to the account's root number (test mode only)."""
        account = await self.account(currency)
        response = await self.post(
            "/v2/simulate/receive_transfer",
            {
                "account_number_id": account["root_account_number_id"],
                "amount": amount,
                "currency": currency,
                **fields,
            },
            sign=False,
        )
        assert response.status_code == 201, f"{self.name}: simulate → {response.text[:300]}"
        transfer: dict[str, Any] = response.json()
        self.made.append(transfer["id"])
        return transfer

    async def fund(self, currency: str, amount: int) -> dict[str, Any]:
        """Make sure the account holds at least `amount`, by a simulated transfer that arrives."""
        account = await self.account(currency)
        if account["available_balance"] >= amount:
            return account
        inbound = await self.simulate(currency, amount - account["available_balance"] + 1000)
        await self.wait_for(inbound["id"], lambda t: t["status"] == "succeeded", "arrived")
        return await self.account(currency)


async def _sandbox_target() -> AsyncIterator[Target]:
    from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
    from fintoc_tui.sandbox.seed import seed_store
    from fintoc_tui.sandbox.store import SandboxStore

    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    private_pem, public_pem = _sandbox_keypair()
    store = SandboxStore(None)
    seed_store(store, transfers=60, now=clock.now())
    app = create_app(store, clock, jws_public_pems=[public_pem], settle_after=SANDBOX_SETTLE_AFTER)
    signer = JWSSigner.from_pem(private_pem)
    base = "http://sandbox.contract"

    async def pass_time() -> None:
        clock.advance(SANDBOX_SETTLE_AFTER + 1)

    async with (
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=base,
            headers={"Authorization": SANDBOX_SECRET_KEY},
        ) as raw,
        FintocClient(
            SANDBOX_SECRET_KEY,
            base_url=base,
            transport=httpx.ASGITransport(app=app),
            jws_signer=signer,
            clock=clock,
            retry=RetryPolicy(max_attempts=1),
        ) as client,
    ):
        yield Target("sandbox", raw, client, signer, clock, pass_time, attempts=3)
    store.close()


_KEYPAIR: list[tuple[bytes, bytes]] = []


def _sandbox_keypair() -> tuple[bytes, bytes]:
    if not _KEYPAIR:
        _KEYPAIR.append(generate_keypair())
    return _KEYPAIR[0]


async def _fintoc_target() -> AsyncIterator[Target]:
    credentials = _live_credentials()
    if isinstance(credentials, str):  # pragma: no cover - skipped at collection
        pytest.skip(credentials)
    secret, pem = credentials
    signer = JWSSigner.from_pem(pem)
    clock = SystemClock()
    base = _ENV_AT_START.get("FINTOC_CONTRACT_BASE_URL", FINTOC_BASE_URL)

    async def pass_time() -> None:
        await asyncio.sleep(LIVE_POLL)

    async with (
        httpx.AsyncClient(base_url=base, headers={"Authorization": secret}, timeout=30) as raw,
        FintocClient(secret, base_url=base, jws_signer=signer, clock=clock) as client,
    ):
        yield Target(
            "fintoc", raw, client, signer, clock, pass_time, attempts=int(LIVE_WAIT / LIVE_POLL)
        )


@pytest.fixture(
    params=[
        pytest.param("sandbox"),
        pytest.param("fintoc", marks=pytest.mark.fintoc_live_contract),
    ]
)
async def target(request: pytest.FixtureRequest) -> AsyncIterator[Target]:
    """The API under contract: the sandbox, or Fintoc's test mode."""
    make = _sandbox_target if request.param == "sandbox" else _fintoc_target
    async for made in make():
        yield made
