"""The first frame from prefetched accounts (`fintoc-tui --sandbox`), then the client's models.

The prefetch goes over a real loopback socket to the same sandbox the client
reaches in process; `network.gate` holds the client's own request, so the
tests can look at the screen while only the prefetched snapshots exist.
"""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

import pytest
from textual.widgets import ContentSwitcher, DataTable

from fintoc_tui.api.models import Account
from fintoc_tui.api.prefetch import AccountSnapshot, AccountsPrefetch
from fintoc_tui.money import format_amount
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.ui.shell.sandbox_link import SandboxInfo


@pytest.fixture
def served(sandbox_asgi):
    with SandboxServer(sandbox_asgi) as server:
        yield server


def _prefetch(served, key, *, hold: threading.Event | None = None) -> AccountsPrefetch:
    def address():
        if hold is not None:
            hold.wait(10)
        return SimpleNamespace(base_url=served.base_url, secret_key=key)

    return AccountsPrefetch(address)


def _rows(app) -> list[list[str]]:
    table = app.screen.query_one("#accounts-table", DataTable)
    return [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _view(app) -> str:
    return app.screen.query_one(ContentSwitcher).current


async def test_first_frame_is_the_prefetch_then_the_models_replace_it(
    make_app, network, served, sandbox_secret_key, settle
):
    prefetch = _prefetch(served, sandbox_secret_key)
    snapshots = prefetch.wait(10)
    assert snapshots
    network.gate = asyncio.Event()  # the client's own GET /v2/accounts waits
    app = make_app("sandbox", accounts_prefetch=prefetch)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert _view(app) == "accounts-view"
        before = _rows(app)
        assert [row[4] for row in before] == [
            format_amount(s.available_balance, s.currency) for s in snapshots
        ]
        assert app.accounts == []  # only models are published to the rest of the app
        assert app.organisation == "Tienda Demo SpA"
        network.gate.set()
        await settle(pilot)
        assert network.requests.count("GET /v2/accounts") == 1
        assert app.accounts and all(isinstance(a, Account) for a in app.accounts)
        assert _view(app) == "accounts-view"
        assert _rows(app) == before


async def test_a_prefetch_that_arrives_after_mount_paints_when_it_lands(
    make_app, network, served, sandbox_secret_key, settle
):
    hold = threading.Event()
    prefetch = _prefetch(served, sandbox_secret_key, hold=hold)
    network.gate = asyncio.Event()
    app = make_app("sandbox", accounts_prefetch=prefetch)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert _view(app) == "accounts-loading"
        hold.set()
        assert prefetch.wait(10), prefetch.problem
        for _ in range(20):  # the prefetch thread posts a message; let it be handled
            await pilot.pause()
            if _view(app) == "accounts-view":
                break
        assert _view(app) == "accounts-view"
        assert len(_rows(app)) == len(prefetch.accounts)
        network.gate.set()
        await settle(pilot)
        assert all(isinstance(a, Account) for a in app.accounts)


async def test_an_unusable_prefetch_is_ignored(make_app, served, settle):
    prefetch = _prefetch(served, "sk_test_" + "refused000000000000000")
    assert prefetch.wait(10) is None and "401" in prefetch.problem
    app = make_app("sandbox", accounts_prefetch=prefetch)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert _view(app) == "accounts-view"
        assert all(isinstance(a, Account) for a in app.accounts)


async def test_the_clients_answer_wins_over_the_prefetch(
    make_app, served, sandbox_secret_key, sandbox_jws_keys, settle
):
    prefetch = _prefetch(served, sandbox_secret_key)
    assert prefetch.wait(10)
    refused = SandboxInfo(
        base_url="http://sandbox.test",
        secret_key="sk_test_" + "refused000000000000000",
        jws_private_key_path=str(sandbox_jws_keys[0]),
    )
    app = make_app("sandbox", accounts_prefetch=prefetch, sandbox=refused)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert _view(app) == "accounts-message"
        assert "refused" in str(app.screen.query_one("#accounts-message").render()).lower()


async def test_switching_environment_drops_the_prefetched_rows(
    make_app, network, served, sandbox_secret_key, settle
):
    prefetch = _prefetch(served, sandbox_secret_key)
    assert prefetch.wait(10)
    network.gate = asyncio.Event()
    app = make_app("sandbox", accounts_prefetch=prefetch)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert _view(app) == "accounts-view"
        app.request_environment("test")  # no test key in this keyring
        await pilot.pause()
        assert _view(app) != "accounts-view"
        network.gate.set()  # the sandbox client's answer comes back, too late
        await settle(pilot)
        assert app.environment.name == "test"
        assert _view(app) == "accounts-message"
        assert "No secret key" in str(app.screen.query_one("#accounts-message").render())
        assert app.accounts == []


async def test_an_account_opened_before_the_client_waits_for_it(
    make_app, client_factory, served, sandbox_secret_key, settle
):
    prefetch = _prefetch(served, sandbox_secret_key)
    assert prefetch.wait(10)
    built = threading.Event()

    def slow_factory(environment, key, pem):
        built.wait(10)  # on the connect worker's thread: the client is not there yet
        return client_factory(environment, key, pem)

    app = make_app("sandbox", accounts_prefetch=prefetch, client_factory=slow_factory)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.client is None and app.connecting
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert type(detail).__name__ == "AccountDetailScreen"
        assert isinstance(detail.account, AccountSnapshot)
        assert detail.query_one(ContentSwitcher).current == "detail-loading"
        built.set()
        await settle(pilot)
        assert app.client is not None
        assert detail.query_one(ContentSwitcher).current == "detail-view"
        assert detail.query_one("#detail-numbers", DataTable).row_count >= 1
