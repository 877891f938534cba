"""FintocClient against the real sandbox, in process (httpx.ASGITransport)."""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from joserfc import jws
from joserfc.jwk import RSAKey
from joserfc.registry import HeaderParameter

from fintoc_tui import __version__
from fintoc_tui.api.client import FintocClient, Page, RetryPolicy, _parse_retry_after
from fintoc_tui.api.errors import (
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
)
from fintoc_tui.api.models import (
    Account,
    AccountNumber,
    Movement,
    SimulateReceiveTransferRequest,
    Transfer,
)
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.seed import ORG_NAME

BASE_URL = "http://sandbox.test"

# -- reading -------------------------------------------------------------------------


async def test_accounts_come_back_as_models(client, sandbox):
    accounts = await client.list_accounts()
    assert {a.currency for a in accounts} == {"MXN", "CLP"}
    assert all(isinstance(a, Account) for a in accounts)
    one = await client.get_account(sandbox.account_id("CLP"))
    assert isinstance(one, Account)
    assert one.available_balance == sandbox.balance("CLP")
    assert isinstance(one.available_balance, int)


async def test_whoami_is_two_calls(client, sandbox):
    transport = client._http._transport
    info = await client.whoami()
    assert info.organization == ORG_NAME
    assert info.mode == "test"
    assert info.account_count == 2 and not info.more_accounts
    assert [r.url.path for r in transport.requests] == ["/v1/whoami", "/v2/accounts"]


async def test_account_numbers_filtered_by_account(client, sandbox):
    account_id = sandbox.account_id("MXN")
    numbers = await client.list_account_numbers(account_id=account_id)
    assert numbers and all(isinstance(n, AccountNumber) for n in numbers)
    assert {n.account_id for n in numbers} == {account_id}
    assert len(numbers) < len(await client.list_account_numbers())


async def test_movements_page_and_all(client, sandbox):
    account_id = sandbox.account_id("MXN")
    page = await client.list_movements_page(account_id, limit=5)
    assert len(page.items) == 5 and page.next_url
    assert all(isinstance(m, Movement) and m.account_id == account_id for m in page.items)
    every = await client.list_movements(account_id, limit=50)
    assert [m.id for m in every[:5]] == [m.id for m in page.items]
    assert len({m.id for m in every}) == len(every) > 5


async def test_get_transfer_and_not_found(client):
    page = await client.list_transfers_page(limit=1)
    (first,) = page.items
    again = await client.get_transfer(first.id)
    assert isinstance(again, Transfer) and again.id == first.id
    with pytest.raises(NotFoundError) as caught:
        await client.get_transfer("tr_doesnotexist000000000000000")
    assert caught.value.status == 404 and caught.value.param == "id"
    assert caught.value.code == "missing_resource"


async def test_ids_cannot_change_the_path(client):
    with pytest.raises(ValueError):
        await client.get_transfer("../accounts")


# -- paging --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_sandbox(make_sandbox):
    box = make_sandbox(transfers=3000, seed=3)
    yield box
    box.store.close()


async def test_iterates_thousands_of_transfers_newest_first(big_sandbox):
    async with big_sandbox.client() as client:
        seen = [t async for t in client.iter_transfers(limit=300)]
        requests = client._http._transport.requests
    assert len(seen) == big_sandbox.store.count("transfers") == 3000
    assert len({t.id for t in seen}) == 3000
    dates = [t.transaction_date for t in seen]
    assert dates == sorted(dates, reverse=True)
    assert len(requests) == 10


@pytest.mark.parametrize(
    "filters",
    [
        {"status": "succeeded"},
        {"direction": "inbound"},
        {"direction": "outbound", "status": "returned"},
        {"account": "CLP"},
        {"account": "MXN", "direction": "outbound"},
    ],
)
async def test_filters_hold_across_pages(big_sandbox, filters):
    filters = dict(filters)
    if "account" in filters:
        filters["account_id"] = big_sandbox.account_id(filters.pop("account"))
    async with big_sandbox.client() as client:
        everything = [t async for t in client.iter_transfers(limit=300)]
        expected = [
            t.id
            for t in everything
            if all(
                (t.account_number.account_id if key == "account_id" else getattr(t, key)) == value
                for key, value in filters.items()
            )
        ]
        got = [t.id async for t in client.iter_transfers(limit=97, **filters)]
    assert got == expected
    assert len(expected) > 97  # more than one page, so the filter rode the Link URL


async def test_since_until_filters(big_sandbox):
    async with big_sandbox.client() as client:
        everything = [t async for t in client.iter_transfers(limit=300)]
        since = everything[-1].transaction_date + timedelta(days=30)
        until = since + timedelta(days=20)
        got = [t async for t in client.iter_transfers(since=since, until=until, limit=50)]
    expected = [t.id for t in everything if since <= t.transaction_date <= until]
    assert [t.id for t in got] == expected and len(expected) > 50


async def test_one_page_at_a_time_for_lazy_screens(big_sandbox):
    async with big_sandbox.client() as client:
        first = await client.list_transfers_page(status="succeeded", limit=25)
        assert isinstance(first, Page) and len(first.items) == 25
        assert first.next_url and "status=succeeded" in first.next_url
        second = await client.list_transfers_page(next_url=first.next_url)
        assert len(second.items) == 25
        assert {t.status for t in second.items} == {"succeeded"}
        assert not {t.id for t in first.items} & {t.id for t in second.items}
        # Walk to the end: the last page has no next URL.
        page, pages = second, 2
        while page.next_url:
            page = await client.list_transfers_page(next_url=page.next_url)
            pages += 1
        assert page.next_url is None and pages > 2


async def test_next_url_on_another_host_never_leaves_our_base_url(client):
    first = await client.list_transfers_page(limit=2)
    foreign = first.next_url.replace(BASE_URL, "https://attacker.example")
    assert foreign != first.next_url
    second = await client.list_transfers_page(next_url=foreign)
    request = client._http._transport.requests[-1]
    assert request.url.host == "sandbox.test"
    assert len(second.items) == 2


# -- sending: headers, signature, body --------------------------------------------------------


async def test_create_transfer_signs_the_exact_bytes_sent(
    client, sandbox, jws_public_pem, mx_request
):
    request = mx_request(sandbox.account_id(), 12_345)
    before = sandbox.balance()
    transfer = await client.create_transfer(request, idempotency_key="key-sign-1")
    assert isinstance(transfer, Transfer) and transfer.status == "pending"
    assert transfer.amount == 12_345
    assert sandbox.balance() == before - 12_345

    (sent,) = client._http._transport.posts("/v2/transfers")
    assert sent.content == request.to_body()
    assert sent.headers["Authorization"] == SANDBOX_SECRET_KEY
    assert sent.headers["Idempotency-Key"] == "key-sign-1"
    assert sent.headers["User-Agent"] == f"fintoc-tui/{__version__}"
    assert sent.headers["Content-Type"] == "application/json"
    # An independent JOSE library agrees the detached signature covers these bytes.
    protected_b64, signature_b64 = sent.headers["Fintoc-JWS-Signature"].split(".")
    payload_b64 = base64.urlsafe_b64encode(sent.content).rstrip(b"=").decode()
    compact = f"{protected_b64}.{payload_b64}.{signature_b64}"
    key = RSAKey.import_key(jws_public_pem)
    registry = jws.JWSRegistry(
        header_registry={
            "ts": HeaderParameter("Fintoc timestamp", "int", required=True),
            "nonce": HeaderParameter("Fintoc nonce", "str", required=True),
        },
        algorithms=["RS256"],
    )
    verified = jws.deserialize_compact(compact, key, registry=registry)
    assert verified.payload == sent.content
    assert verified.protected["ts"] == int(sandbox.clock.time())


async def test_gets_carry_no_signature(client):
    await client.list_accounts()
    (sent,) = client._http._transport.requests
    assert "Fintoc-JWS-Signature" not in sent.headers
    assert sent.headers["Authorization"] == SANDBOX_SECRET_KEY


async def test_retry_has_same_key_and_body_but_fresh_signature(client, sandbox, mx_request):
    sandbox.faults.force_next("error", 2, status=503)
    transfer = await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="k2")
    attempts = client._http._transport.posts("/v2/transfers")
    assert len(attempts) == 3
    assert {a.headers["Idempotency-Key"] for a in attempts} == {"k2"}
    assert len({a.content for a in attempts}) == 1
    assert len({a.headers["Fintoc-JWS-Signature"] for a in attempts}) == 3
    assert sandbox.store.get("transfers", transfer.id) is not None


async def test_simulate_receive_then_return(client, sandbox):
    numbers = await client.list_account_numbers(account_id=sandbox.account_id("MXN"))
    inbound = await client.simulate_receive_transfer(
        SimulateReceiveTransferRequest(
            account_number_id=numbers[0].id,
            amount=50_000,
            currency="MXN",
            counterparty_account_number="012180000000000992",
            counterparty_holder_name="Cliente",
        )
    )
    assert inbound.direction == "inbound" and inbound.amount == 50_000
    assert inbound.status == "pending"  # as Fintoc's test mode: it arrives a moment later
    sandbox.clock.advance(5)
    returned = await client.return_transfer(inbound.id, idempotency_key="ret-1")
    assert returned.id == inbound.id and returned.status == "return_pending"
    # The same key replays rather than failing on the new status.
    again = await client.return_transfer(inbound.id, idempotency_key="ret-1")
    assert again.id == inbound.id and again.status == "return_pending"


# -- every error class ----------------------------------------------------------------------


async def test_wrong_key_is_authentication_error_without_the_key(sandbox):
    wrong = "sk_test_totallywrongkey1234567890abcd"
    async with sandbox.client(secret_key=wrong) as client:
        assert wrong not in repr(client)
        with pytest.raises(AuthenticationError) as caught:
            await client.list_accounts()
    error = caught.value
    assert error.status == 401 and error.type == "authentication_error"
    assert error.code == "invalid_api_key"
    for text in (str(error), repr(error), error.message):
        assert wrong not in text


async def test_unsigned_transfer_is_refused(sandbox, mx_request):
    async with sandbox.client(jws_signer=None) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="u1")
    assert caught.value.code == "missing_jws_signature_header"


async def test_invalid_request_names_the_param(client, sandbox, mx_request):
    body = json.loads(mx_request(sandbox.account_id()).to_body())
    body["currency"] = "CLP"  # the account is MXN
    body["counterparty"] = {
        "account_number": "900000001",
        "holder_id": "111111111",
        "holder_name": "X",
        "institution_id": "cl_banco_estado",
        "account_type": "checking_account",
    }
    with pytest.raises(InvalidRequestError) as caught:
        await client.create_transfer(json.dumps(body).encode(), idempotency_key="bad-1")
    error = caught.value
    assert type(error) is InvalidRequestError
    assert error.status == 400 and error.code == "currency_mismatch"
    assert error.param == "currency"


async def test_insufficient_balance_is_a_conflict_and_creates_nothing(client, sandbox, mx_request):
    before = sandbox.store.count("transfers")
    with pytest.raises(ConflictError) as caught:
        await client.create_transfer(
            mx_request(sandbox.account_id(), sandbox.balance() + 1), idempotency_key="broke"
        )
    assert caught.value.is_insufficient_balance and caught.value.status == 409
    assert sandbox.store.count("transfers") == before


async def test_returning_an_outbound_is_a_conflict(client, sandbox, mx_request):
    outbound = await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="o1")
    with pytest.raises(ConflictError) as caught:
        await client.return_transfer(outbound.id, idempotency_key="r-o1")
    assert caught.value.is_wrong_status


async def test_get_retries_5xx_then_succeeds(client, sandbox):
    sandbox.faults.force_next("error", 2, status=500)
    accounts = await client.list_accounts()
    assert len(accounts) == 2
    assert len(client._http._transport.requests) == 3
    policy = client.retry
    assert len(sandbox.sleeps.delays) == 2
    for n, delay in enumerate(sandbox.sleeps.delays, start=1):
        ceiling = min(policy.max_delay, policy.base_delay * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling


async def test_get_retries_a_dropped_connection(client, sandbox):
    sandbox.faults.force_next("drop", 2)
    page = await client.list_transfers_page(limit=3)
    assert len(page.items) == 3
    assert len(client._http._transport.requests) == 3
    assert len(sandbox.sleeps.delays) == 2


async def test_get_gives_up_with_server_error(client, sandbox):
    sandbox.faults.force_next("error", 4, status=503)
    with pytest.raises(ServerError) as caught:
        await client.list_accounts()
    assert caught.value.status == 503 and caught.value.type == "api_error"
    assert len(client._http._transport.requests) == client.retry.max_attempts == 4


async def test_retry_after_is_honoured(sandbox):
    sandbox.faults.retry_after = 7
    sandbox.faults.force_next("rate_limit")
    async with sandbox.client(retry=RetryPolicy(seed=1, base_delay=0.1)) as client:
        assert len(await client.list_accounts()) == 2
    assert sandbox.sleeps.delays == [7.0]


async def test_rate_limited_to_the_end_is_rate_limit_error(client, sandbox):
    sandbox.faults.retry_after = 2
    sandbox.faults.force_next("rate_limit", 4)
    with pytest.raises(RateLimitError) as caught:
        await client.list_transfers_page()
    assert caught.value.status == 429 and caught.value.retry_after == 2.0
    assert caught.value.code == "rate_limit_exceeded"


async def test_rate_limited_post_is_definite_not_unknown(client, sandbox, mx_request):
    before = sandbox.store.count("transfers")
    sandbox.faults.force_next("rate_limit", 4)
    with pytest.raises(RateLimitError):
        await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="rl")
    assert sandbox.store.count("transfers") == before


async def test_network_error_when_nothing_listens(unused_tcp_port):
    async with FintocClient(
        SANDBOX_SECRET_KEY,
        base_url=f"http://127.0.0.1:{unused_tcp_port}",
        sleep=_no_sleep,
        retry=RetryPolicy(max_attempts=2, seed=0),
    ) as client:
        with pytest.raises(NetworkError) as caught:
            await client.list_accounts()
        assert caught.value.status is None and "connect" in caught.value.message.lower()
        # Connecting failed, so a POST certainly never arrived: a definite error.
        with pytest.raises(NetworkError) as caught_post:
            await client.create_transfer(b'{"amount":1}', idempotency_key="nc")
        assert not isinstance(caught_post.value, OutcomeUnknownError)


async def _no_sleep(seconds: float) -> None:
    return None


# -- retries that cannot double-pay --------------------------------------------------------


async def test_drop_after_commit_on_first_attempt_makes_one_transfer(client, sandbox, mx_request):
    before = sandbox.store.count("transfers")
    sandbox.faults.force_next("drop")
    transfer = await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="d1")
    assert sandbox.store.count("transfers") == before + 1
    assert sandbox.store.get("transfers", transfer.id) is not None
    assert len(client._http._transport.posts("/v2/transfers")) == 2


async def test_every_attempt_dropped_is_unknown_not_failed(client, sandbox, mx_request):
    before = sandbox.store.count("transfers")
    sandbox.faults.force_next("drop", 4)
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="d-all")
    error = caught.value
    assert error.idempotency_key == "d-all"
    assert isinstance(error.last_error, NetworkError)
    assert "may or may not" in error.message
    assert sandbox.store.count("transfers") == before + 1
    # Asking again with the same key finds the one transfer.
    transfer = await client.create_transfer(
        mx_request(sandbox.account_id()), idempotency_key="d-all"
    )
    assert sandbox.store.count("transfers") == before + 1
    assert sandbox.store.get("transfers", transfer.id) is not None


async def test_5xx_on_every_post_attempt_is_unknown(client, sandbox, mx_request):
    sandbox.faults.force_next("error", 4, status=500)
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="e-all")
    assert isinstance(caught.value.last_error, ServerError)


async def test_half_the_posts_fail_with_500_and_100_transfers_go_through_once(sandbox, mx_request):
    sandbox.faults.error_rate = 0.5
    sandbox.faults.error_status = 500
    sandbox.faults.methods = frozenset({"POST"})
    account_id = sandbox.account_id()
    before_count, before_balance = sandbox.store.count("transfers"), sandbox.balance()
    async with sandbox.client(retry=RetryPolicy(max_attempts=16, seed=5)) as client:
        transfers = [
            await client.create_transfer(
                mx_request(account_id, 100 + i, comment=f"n{i}"), idempotency_key=f"half-{i}"
            )
            for i in range(100)
        ]
        posts = client._http._transport.posts("/v2/transfers")
    assert len(posts) > 150  # the faults really fired
    assert len({t.id for t in transfers}) == 100
    assert sandbox.store.count("transfers") == before_count + 100
    assert sandbox.balance() == before_balance - sum(100 + i for i in range(100))


async def test_repr_masks_the_key(sandbox):
    async with sandbox.client() as client:
        text = repr(client)
    assert SANDBOX_SECRET_KEY not in text and "sk_test_…" in text
    assert "SecretStr" in repr(client._http.auth) or "*" in repr(client._http.auth)


def test_timeouts_are_bounded():
    client = FintocClient("sk_test_x" * 4)
    timeout = client._http.timeout
    assert timeout.connect is not None and timeout.connect <= 10
    assert timeout.read is not None and timeout.read <= 60
    assert client._http.base_url == httpx.URL("https://api.fintoc.com")
    assert client.mode == "test"


# -- small pieces ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("7", 7.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("Tue, 02 Sep 2025 15:59:01 GMT", 10.0),  # an HTTP date 10 s after "now"
        ("Tue, 02 Sep 2025 15:58:00 GMT", 0.0),  # already past
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_parsing(header, expected):
    now = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC).timestamp()
    assert _parse_retry_after(header, now) == expected


def test_backoff_is_capped_exponential_with_jitter():
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    rng = random.Random(3)
    for n, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 4.0), (9, 4.0)]:
        delays = {policy.delay(n, rng) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered, so clients do not retry in lockstep
