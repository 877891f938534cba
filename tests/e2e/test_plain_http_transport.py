"""The sandbox's clients speak plain HTTP with no SSL context (`api/plain_http.py`).

Over a real loopback socket: the transport builds no `ssl.SSLContext` (httpx's
own does, even with `verify=False`), a client on it pages and keeps one
pooled connection as httpx's would, and a closed port is still httpx's
`ConnectError`, which the client's retry rules read.
"""

from __future__ import annotations

import ssl
from datetime import UTC, datetime

import httpx
import pytest

from fintoc_tui.api.client import FintocClient, RetryPolicy
from fintoc_tui.api.errors import NetworkError
from fintoc_tui.api.plain_http import plain_http_transport
from fintoc_tui.clock import ManualClock
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer, bind_socket
from fintoc_tui.sandbox.store import SandboxStore

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server():
    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    store = SandboxStore(None)
    seed_store(store, transfers=450, now=clock.now())
    with SandboxServer(create_app(store, clock)) as served:
        yield served
    store.close()


def test_it_is_httpx_transport_with_only_a_pool():
    # httpx's own sets nothing but `_pool`; if that changes, look at plain_http.py again.
    assert set(vars(httpx.AsyncHTTPTransport(verify=False))) == {"_pool"}
    assert set(vars(plain_http_transport())) == {"_pool"}


def test_it_builds_no_ssl_context(monkeypatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an SSL context was built")

    monkeypatch.setattr(ssl, "SSLContext", refuse)
    with pytest.raises(AssertionError):
        httpx.AsyncHTTPTransport(verify=False)  # what the app used before
    plain_http_transport()


async def test_a_client_on_it_pages_over_one_connection(server):
    async with FintocClient(
        SANDBOX_SECRET_KEY, base_url=server.base_url, transport=plain_http_transport()
    ) as client:
        transfers = [t async for t in client.iter_transfers(limit=100)]
        accounts = await client.list_accounts()
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert len(pool.connections) == 1
    assert len(transfers) == 450 and len({t.id for t in transfers}) == 450
    assert {a.currency for a in accounts} == {"MXN", "CLP"}


async def test_a_closed_port_is_a_network_error(server):
    with bind_socket("127.0.0.1", 0) as sock:  # a port nothing listens on once closed
        port = sock.getsockname()[1]
    async with FintocClient(
        SANDBOX_SECRET_KEY,
        base_url=f"http://127.0.0.1:{port}",
        transport=plain_http_transport(),
        retry=RetryPolicy(max_attempts=1),
    ) as client:
        with pytest.raises(NetworkError):
            await client.list_accounts()
