"""Sandbox fixtures: a seeded in-memory sandbox on a manual clock, reached in process."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from fintoc_tui.clock import ManualClock

NOW = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)
BASE = "http://sandbox.test"


@pytest.fixture(scope="session")
def keypair():
    from fintoc_tui.api.jws import generate_keypair

    return generate_keypair()


@pytest.fixture(scope="session")
def other_keypair():
    from fintoc_tui.api.jws import generate_keypair

    return generate_keypair()


@pytest.fixture
def clock():
    return ManualClock(NOW)


@pytest.fixture
def store(clock):
    from fintoc_tui.sandbox.seed import seed_store
    from fintoc_tui.sandbox.store import SandboxStore

    store = SandboxStore(None)
    seed_store(store, now=clock.now(), transfers=300)
    yield store
    store.close()


@pytest.fixture
def faults():
    from fintoc_tui.sandbox.faults import Faults

    return Faults()


@pytest.fixture
def app(store, clock, keypair, faults):
    from fintoc_tui.sandbox.app import create_app

    return create_app(store, clock, jws_public_pems=[keypair[1]], faults=faults, settle_after=4.0)


@pytest.fixture
def signer(keypair):
    from fintoc_tui.api.jws import JWSSigner

    return JWSSigner.from_pem(keypair[0])


class Sandbox:
    """An httpx client on the in-process app, with helpers for signed POSTs."""

    def __init__(self, client: httpx.AsyncClient, signer, clock, store, app) -> None:
        self.client = client
        self.signer = signer
        self.clock = clock
        self.store = store
        self.app = app

    async def get(self, path: str, **kwargs) -> httpx.Response:
        return await self.client.get(path, **kwargs)

    async def post(
        self,
        path: str,
        obj=None,
        *,
        body: bytes | None = None,
        sign: bool = True,
        signer=None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        if body is None:
            body = json.dumps(obj).encode()
        all_headers = {"content-type": "application/json", **(headers or {})}
        if sign:
            all_headers["Fintoc-JWS-Signature"] = (signer or self.signer).sign(body, self.clock)
        return await self.client.post(path, content=body, headers=all_headers)

    async def accounts(self) -> dict[str, dict]:
        response = await self.get("/v2/accounts")
        return {a["currency"]: a for a in response.json()}

    async def transfer(self, transfer_id: str) -> dict:
        response = await self.get(f"/v2/transfers/{transfer_id}")
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
async def sandbox(app, signer, clock, store):
    from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE, headers={"Authorization": SANDBOX_SECRET_KEY}
    ) as client:
        yield Sandbox(client, signer, clock, store, app)
