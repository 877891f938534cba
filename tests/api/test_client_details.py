"""FintocClient details that one-line changes used to slip past (found by mutation testing).

Each test pins one behaviour a person or the money path relies on: the words
of each outcome, the request each list call makes, the organisation the
environment screen shows, the delay a `Retry-After` asks for.
"""

from __future__ import annotations

import email.utils
import json
import random
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from fintoc_tui.api.client import DEFAULT_TIMEOUT, FintocAuth, FintocClient, RetryPolicy
from fintoc_tui.api.errors import (
    FintocError,
    NetworkError,
    OutcomeUnknownError,
    RateLimitError,
    UnexpectedResponseError,
)
from fintoc_tui.api.models import SimulateReceiveTransferRequest
from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.seed import ORG_NAME
from fintoc_tui.sandbox.store import SandboxStore, dumps
from fintoc_tui.testing.intermediary import Answer, Intermediary, html, redirect

JSON = (("content-type", "application/json"),)
TAIL = " Send it again with the same idempotency key to find out; that cannot make it twice."


def fintoc_error(status: int, type_: str, code: str, *headers: tuple[str, str]) -> Answer:
    body = {"error": {"type": type_, "code": code, "message": "m", "param": None}}
    return Answer(status, json.dumps(body).encode(), (*JSON, *headers))


@pytest.fixture
def proxy(sandbox) -> Intermediary:
    return Intermediary(sandbox.app)


@pytest.fixture
async def client(sandbox, proxy):
    async with sandbox.client(transport=httpx.ASGITransport(app=proxy)) as client:
        yield client


def query_of(proxy_or_requests, index: int = -1) -> dict[str, list[str]]:
    request = proxy_or_requests.requests[index]
    return parse_qs(urlsplit(str(request.url)).query)


class Recording(httpx.AsyncBaseTransport):
    """Passes each request to `inner` and keeps it (for the query string sent)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


class Raising(httpx.AsyncBaseTransport):
    """A fault: every request fails with `error` (after being sent, unless it says not)."""

    def __init__(self, error: type[httpx.RequestError]) -> None:
        self.error = error
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        raise self.error("fault", request=request)


# -- the words of each ending -----------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (httpx.ConnectTimeout, "Timed out connecting to Fintoc."),
        (httpx.ReadTimeout, "Timed out waiting for Fintoc's answer."),
        (httpx.WriteTimeout, "Timed out sending the request to Fintoc."),
        (httpx.PoolTimeout, "Timed out waiting for a free connection."),
        (httpx.ConnectError, "Could not connect to Fintoc."),
        (httpx.RemoteProtocolError, "The connection to Fintoc broke mid-answer."),
        (httpx.ReadError, "The connection to Fintoc broke while reading the answer."),
        (httpx.WriteError, "The connection to Fintoc broke while sending."),
        (httpx.DecodingError, "The answer could not be decoded (its compression was broken)."),
        (httpx.ProxyError, "Network problem talking to Fintoc (ProxyError)."),
    ],
)
async def test_each_transport_failure_has_its_own_sentence(sandbox, error, sentence):
    async with sandbox.client(transport=Raising(error)) as client:
        with pytest.raises(NetworkError) as caught:
            await client.list_accounts()
    assert caught.value.message == sentence


@pytest.mark.parametrize(
    ("error", "sent"),
    [(httpx.ConnectError, False), (httpx.ConnectTimeout, False), (httpx.ReadTimeout, True)],
)
async def test_a_post_that_never_connected_is_definite_and_says_so(
    sandbox, mx_request, error, sent
):
    transport = Raising(error)
    async with sandbox.client(transport=transport) as client:
        with pytest.raises(FintocError) as caught:
            await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="nc")
    assert isinstance(caught.value, OutcomeUnknownError) is sent
    assert isinstance(caught.value, NetworkError) is not sent
    assert transport.calls == 4
    if not sent:
        assert (
            caught.value.message
            == {
                httpx.ConnectError: "Could not connect to Fintoc.",
                httpx.ConnectTimeout: "Timed out connecting to Fintoc.",
            }[error]
        )


UNKNOWN = "The outcome is unknown: Fintoc may or may not have made this {what}. {why}" + TAIL


@pytest.mark.parametrize(
    ("fault", "why"),
    [
        ("drop", "The connection failed after the request could have reached Fintoc."),
        ("html", "The answer did not come from Fintoc, so it says nothing about what Fintoc did."),
        ("500", "Fintoc answered with a server error, which can come after it acted."),
        ("429", "Fintoc asked to slow down, and an earlier attempt may have reached it."),
        (
            "401",
            "Fintoc refused the credentials on a retry, which says nothing of the earlier attempt.",
        ),
    ],
)
async def test_an_unknown_transfer_says_why(client, sandbox, proxy, mx_request, fault, why):
    sandbox.faults.force_next("drop")
    if fault == "drop":
        sandbox.faults.force_next("drop", 3)
    elif fault == "html":
        proxy.script(None, html(403), html(403), html(403))
    elif fault == "500":
        sandbox.faults.force_next("error", 3, status=500)
    elif fault == "429":
        sandbox.faults.force_next("rate_limit", 3)
    else:
        proxy.script(None, fintoc_error(401, "authentication_error", "invalid_api_key"))
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="why")
    assert caught.value.message == UNKNOWN.format(what="transfer", why=why)
    assert caught.value.idempotency_key == "why"


async def test_an_unknown_return_and_simulation_say_what_they_are(client, sandbox):
    numbers = await client.list_account_numbers(account_id=sandbox.account_id("MXN"))
    simulation = SimulateReceiveTransferRequest(
        account_number_id=numbers[0].id, amount=1_000, currency="MXN"
    )
    why = "The connection failed after the request could have reached Fintoc."
    sandbox.faults.force_next("drop", 4)
    with pytest.raises(OutcomeUnknownError) as simulated:
        await client.simulate_receive_transfer(simulation, idempotency_key="sim")
    assert simulated.value.message == UNKNOWN.format(what="simulated inbound transfer", why=why)
    inbound = await client.simulate_receive_transfer(simulation, idempotency_key="sim")
    sandbox.faults.force_next("drop", 4)
    with pytest.raises(OutcomeUnknownError) as returned:
        await client.return_transfer(inbound.id, idempotency_key="ret")
    assert returned.value.message == UNKNOWN.format(what="return", why=why)


UNREADABLE = Answer(201, b'{"object": "transfer"}', JSON, passes_on=True)
UNREADABLE_TEXT = (
    "The outcome is unknown: a success came back but its body is not a transfer this app can "
    "read." + TAIL
)


async def test_a_success_that_cannot_be_read_is_unknown_for_each_money_call(
    client, sandbox, proxy, mx_request
):
    numbers = await client.list_account_numbers(account_id=sandbox.account_id("MXN"))
    simulation = SimulateReceiveTransferRequest(
        account_number_id=numbers[0].id, amount=2_000, currency="MXN"
    )
    inbound = await client.simulate_receive_transfer(simulation)
    calls = {
        "t": lambda: client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="t"),
        "r": lambda: client.return_transfer(inbound.id, idempotency_key="r"),
        "s": lambda: client.simulate_receive_transfer(simulation, idempotency_key="s"),
    }
    for key, call in calls.items():
        proxy.script(UNREADABLE)
        with pytest.raises(OutcomeUnknownError) as caught:
            await call()
        error = caught.value
        assert (error.message, error.idempotency_key) == (UNREADABLE_TEXT, key)
        assert isinstance(error.last_error, UnexpectedResponseError)
        assert error.last_error.status == 201
        path = {"t": "/v2/transfers", "r": "/v2/transfers/return"}.get(
            key, "/v2/simulate/receive_transfer"
        )
        assert error.last_error.message.startswith(
            f"Fintoc answered POST {path} with a body this app does not understand ("
        )


async def test_a_get_whose_body_cannot_be_read_names_the_request(client, proxy):
    proxy.methods = frozenset({"GET"})
    proxy.script(Answer(200, b'[{"id": 1}]', JSON))
    with pytest.raises(UnexpectedResponseError) as caught:
        await client.list_accounts_page()
    assert caught.value.status == 200
    assert caught.value.message.startswith(
        "Fintoc answered GET /v2/accounts with a body this app does not understand ("
    )


async def test_a_redirect_names_where_it_pointed(client, proxy):
    proxy.methods = frozenset({"GET"})
    proxy.script(*[redirect(302, "https://portal.example.net/login")] * 4)
    with pytest.raises(UnexpectedResponseError) as caught:
        await client.list_accounts()
    assert "HTTP 302, a redirect to portal.example.net" in caught.value.message


# -- Retry-After, by the client's clock ----------------------------------------------------


async def test_a_rate_limited_post_waits_as_told(client, sandbox, mx_request):
    sandbox.faults.retry_after = 7
    sandbox.faults.force_next("rate_limit")
    await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="rl")
    assert sandbox.sleeps.delays == [7.0]


@pytest.mark.parametrize("zone", ["GMT", "-0000"])
async def test_retry_after_as_a_date_counts_from_the_clients_clock(client, sandbox, proxy, zone):
    """The sandbox's clock is 2025: a client reading the system clock would not wait."""
    when = sandbox.clock.time() + 9
    date = email.utils.formatdate(when, usegmt=True)
    date = date if zone == "GMT" else date.replace("GMT", zone)
    proxy.methods = frozenset({"GET"})
    proxy.script(
        fintoc_error(429, "invalid_request_error", "rate_limit_exceeded", ("retry-after", date))
    )
    await client.list_accounts()
    assert sandbox.sleeps.delays == [9.0]


async def test_rate_limited_to_the_end_reports_the_wait(client, proxy):
    proxy.methods = frozenset({"GET"})
    limited = fintoc_error(
        429, "invalid_request_error", "rate_limit_exceeded", ("retry-after", "3")
    )
    proxy.script(*[limited] * 4)
    with pytest.raises(RateLimitError) as caught:
        await client.list_accounts()
    assert caught.value.retry_after == 3.0


def test_backoff_uses_the_whole_jitter_range():
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    rng = random.Random(11)
    delays = [policy.delay(1, rng) for _ in range(400)]
    assert min(delays) >= 0.5 and max(delays) <= 1.0
    assert max(delays) > 0.95 and min(delays) < 0.55  # the whole [c/2, c] range is used


async def test_the_same_seed_gives_the_same_delays(sandbox):
    runs = []
    for _ in range(2):
        sandbox.sleeps.delays.clear()
        sandbox.faults.force_next("error", 3, status=503)
        async with sandbox.client(retry=RetryPolicy(seed=42)) as client:
            await client.list_accounts()
        runs.append(list(sandbox.sleeps.delays))
    assert runs[0] == runs[1] and len(runs[0]) == 3
    sandbox.sleeps.delays.clear()
    sandbox.faults.force_next("error", 3, status=503)
    async with sandbox.client(retry=RetryPolicy(seed=43)) as client:
        await client.list_accounts()
    assert sandbox.sleeps.delays != runs[0]


# -- construction ------------------------------------------------------------------------


async def test_base_url_and_key_forms(sandbox):
    async with sandbox.client(
        base_url="http://sandbox.test/", secret_key=SecretStr(SANDBOX_SECRET_KEY)
    ) as client:
        assert client.base_url == "http://sandbox.test"
        assert len(await client.list_accounts()) == 2
        (sent,) = client._http._transport.requests
    assert str(sent.url) == "http://sandbox.test/v2/accounts"
    assert sent.headers["Authorization"] == SANDBOX_SECRET_KEY
    assert sent.headers["Accept"] == "application/json"


async def test_has_signer_says_whether_transfers_can_be_signed(sandbox):
    async with sandbox.client() as signed, sandbox.client(jws_signer=None) as unsigned:
        assert signed.has_signer is True
        assert unsigned.has_signer is False
        assert "signed=True" in repr(signed) and "signed=False" in repr(unsigned)


def test_the_auth_never_shows_the_key():
    auth = FintocAuth(SecretStr(SANDBOX_SECRET_KEY), None)
    assert repr(auth) == "FintocAuth(secret_key=SecretStr('**********'))"


async def test_ids_that_would_change_the_path_are_refused(client):
    for bad in (".", "..", "", "tr_1/x", "tr_1?x", "tr_1#x", "tr_1%2F"):
        with pytest.raises(ValueError) as caught:
            await client.get_transfer(bad)
        assert str(caught.value) == "not a valid Fintoc id"


async def test_a_next_url_over_plain_http_elsewhere_stays_home(client, proxy):
    first = await client.list_transfers_page(limit=2)
    foreign = first.next_url.replace("http://sandbox.test", "http://attacker.example")
    second = await client.list_transfers_page(next_url=foreign)
    assert proxy.seen[-1][1] == "sandbox.test"
    assert len(second.items) == 2
    bare = await client.list_accounts_page(next_url="https://attacker.example/v2/accounts")
    assert proxy.seen[-1] == ("GET", "sandbox.test", "/v2/accounts") and len(bare.items) == 2


async def test_simulations_without_a_key_are_each_their_own(client, sandbox):
    numbers = await client.list_account_numbers(account_id=sandbox.account_id("MXN"))
    first, second = [
        await client.simulate_receive_transfer(
            SimulateReceiveTransferRequest(
                account_number_id=numbers[0].id, amount=amount, currency="MXN"
            )
        )
        for amount in (3_000, 4_000)
    ]
    assert first.id != second.id and (first.amount, second.amount) == (3_000, 4_000)


# -- the request each list call makes -----------------------------------------------------------


@pytest.fixture
async def recorded(sandbox):
    transport = Recording(httpx.ASGITransport(app=sandbox.app))
    async with sandbox.client(transport=transport) as client:
        yield client, transport


async def test_list_defaults_and_limits_reach_the_query(recorded, sandbox):
    client, sent = recorded
    await client.list_transfers_page()
    assert query_of(sent)["limit"] == ["30"]
    async for _ in client.iter_transfers():
        break
    assert query_of(sent)["limit"] == ["100"]
    await client.list_accounts_page(limit=1)
    assert query_of(sent)["limit"] == ["1"]
    account_id = sandbox.account_id("MXN")
    await client.list_movements(account_id, limit=7)
    assert query_of(sent)["limit"] == ["7"]
    async for _ in client.iter_movements(account_id, limit=6):
        break
    assert query_of(sent)["limit"] == ["6"]
    await client.list_movements_page(account_id)
    assert "limit" not in query_of(sent)


async def test_account_numbers_page_by_page(recorded, sandbox):
    client, sent = recorded
    account_id = sandbox.account_id("MXN")
    every = await client.list_account_numbers(account_id=account_id)
    first = await client.list_account_numbers_page(account_id=account_id, limit=1)
    assert query_of(sent) == {"account_id": [account_id], "limit": ["1"]}
    assert [n.id for n in first.items] == [every[0].id]
    second = await client.list_account_numbers_page(next_url=first.next_url)
    assert [n.id for n in second.items] == [every[1].id]
    assert {n.account_id for n in every} == {account_id}


async def test_accounts_page_follows_its_next_url(recorded):
    client, _sent = recorded
    first = await client.list_accounts_page(limit=1)
    second = await client.list_accounts_page(next_url=first.next_url)
    assert len(first.items) == len(second.items) == 1
    assert first.items[0].id != second.items[0].id and second.next_url is None


async def test_movements_page_follows_its_next_url(recorded, sandbox):
    client, _sent = recorded
    account_id = sandbox.account_id("MXN")
    first = await client.list_movements_page(account_id, limit=3)
    second = await client.list_movements_page(account_id, next_url=first.next_url)
    every = await client.list_movements(account_id, limit=3)
    assert [m.id for m in first.items + second.items] == [m.id for m in every[:6]]


async def test_transfers_by_account_number(recorded, sandbox):
    client, sent = recorded
    numbers = await client.list_account_numbers(account_id=sandbox.account_id("MXN"))
    number_id = numbers[0].id
    page = await client.list_transfers_page(account_number_id=number_id, limit=100)
    assert query_of(sent)["account_number_id"] == [number_id]
    assert page.items and {t.account_number.id for t in page.items} == {number_id}
    every = [t async for t in client.iter_transfers(account_number_id=number_id)]
    assert [t.id for t in every[: len(page.items)]] == [t.id for t in page.items]


async def test_transfers_page_since_until(recorded):
    client, sent = recorded
    everything = [t async for t in client.iter_transfers(limit=300)]
    since, until = everything[-10].transaction_date, everything[-3].transaction_date
    page = await client.list_transfers_page(since=since, until=until, limit=300)
    assert set(query_of(sent)) >= {"since", "until"}
    assert [t.id for t in page.items] == [
        t.id for t in everything if since <= t.transaction_date <= until
    ]


# -- who am I ---------------------------------------------------------------------------------


def add_account(store: SandboxStore, *, holder: str, is_root: bool, balance: int = 5) -> str:
    """A real account row in the sandbox (a sub-account of another entity, say)."""
    account_id = f"acc_{holder.replace(' ', '')[:8]}{store.count('accounts'):019d}"
    entity = {"id": f"ent_{account_id[4:]}", "holder_name": holder, "holder_id": "X"}
    account = objects.account_object(
        account_id,
        description=holder,
        currency="MXN",
        available_balance=balance,
        entity=entity,
        root_number="738180000000000014",
        root_number_id=f"acno_{account_id[4:]}",
    )
    account["is_root"] = is_root
    account["entity"]["is_root"] = is_root
    with store.transaction() as db:
        store.insert_many(
            db,
            "accounts",
            ("id", "currency", "status", "available_balance", "data"),
            [(account_id, "MXN", "active", balance, dumps(account))],
        )
    return account_id


async def test_whoami_names_the_root_entity_even_when_another_account_comes_first(
    recorded, sandbox
):
    client, sent = recorded
    newest = add_account(sandbox.store, holder="Filial Norte", is_root=False)
    info = await client.whoami()
    assert info.accounts[0].id == newest  # newest first: the sub-account leads the page
    assert info.organization == ORG_NAME
    assert info.mode == "test"
    assert (info.account_count, info.more_accounts) == (3, False)
    assert [a.id for a in info.accounts] == [a.id for a in await client.list_accounts()]
    assert query_of(sent, 1)["limit"] == ["300"]  # after GET /v1/whoami


async def test_whoami_without_a_root_account_names_the_first(signer, sandbox):
    store = SandboxStore(None)
    add_account(store, holder="Primera", is_root=False)
    add_account(store, holder="Segunda", is_root=False)
    app = create_app(store, sandbox.clock, jws_public_pems=[signer.public_pem])
    async with sandbox.client(transport=httpx.ASGITransport(app=app)) as client:
        info = await client.whoami()
    assert info.organization == "Segunda"  # newest first
    assert info.account_count == 2 and info.mode == "test"
    store.close()


async def test_whoami_with_no_accounts_takes_the_mode_from_the_key(signer, sandbox):
    store = SandboxStore(None)
    app = create_app(store, sandbox.clock, jws_public_pems=[signer.public_pem])
    async with sandbox.client(transport=httpx.ASGITransport(app=app)) as client:
        info = await client.whoami()
        assert client.mode == "test"
    assert info.organization is None and info.mode == "test"
    assert (info.account_count, info.more_accounts, info.accounts) == (0, False, [])
    store.close()


async def test_whoami_says_when_there_are_more_accounts_than_one_page(recorded, sandbox):
    client, _sent = recorded
    for n in range(299):
        add_account(sandbox.store, holder=f"Filial {n}", is_root=False)
    info = await client.whoami()
    assert info.account_count == 300 and info.more_accounts is True
    assert info.organization == ORG_NAME


async def test_whoami_takes_the_mode_from_the_accounts_when_the_key_does_not_say(signer, sandbox):
    """A key without a known prefix (a proxy's token, say): the accounts still say test."""
    key = "custom-key-0123456789abcdef"
    app = create_app(
        sandbox.store, sandbox.clock, jws_public_pems=[signer.public_pem], secret_keys=(key,)
    )
    async with sandbox.client(transport=httpx.ASGITransport(app=app), secret_key=key) as client:
        assert client.mode is None
        info = await client.whoami()
    assert info.mode == "test" and info.organization == ORG_NAME


async def test_a_transfers_page_by_account_and_direction(recorded, sandbox):
    client, sent = recorded
    account_id = sandbox.account_id("CLP")
    page = await client.list_transfers_page(account_id=account_id, direction="inbound")
    assert query_of(sent)["account_id"] == [account_id]
    assert query_of(sent)["direction"] == ["inbound"]
    assert page.items
    assert {(t.account_number.account_id, t.direction) for t in page} == {(account_id, "inbound")}
    assert len(page) == len(page.items) == len(list(page))


@pytest.mark.parametrize("timeout", [None, httpx.Timeout(3.0, connect=1.0)])
def test_the_timeout_given_is_the_one_used(timeout):
    options = {} if timeout is None else {"timeout": timeout}
    client = FintocClient(SANDBOX_SECRET_KEY, **options)
    assert client._http.timeout == (timeout or DEFAULT_TIMEOUT)
    assert httpx.Timeout(20.0, connect=5.0) == DEFAULT_TIMEOUT


async def test_a_retry_after_date_without_a_zone_is_utc_whatever_the_local_zone(
    client, sandbox, proxy, monkeypatch
):
    """`-0000` means "UTC, zone unknown" (RFC 5322); it must not be read as local time."""
    monkeypatch.setenv("TZ", "America/Santiago")
    time.tzset()
    try:
        date = email.utils.formatdate(sandbox.clock.time() + 9, usegmt=True)
        limited = fintoc_error(
            429,
            "invalid_request_error",
            "rate_limit_exceeded",
            ("retry-after", date.replace("GMT", "-0000")),
        )
        proxy.methods = frozenset({"GET"})
        proxy.script(limited)
        await client.list_accounts()
    finally:
        monkeypatch.undo()
        time.tzset()
    assert sandbox.sleeps.delays == [9.0]
