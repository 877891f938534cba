"""Only Fintoc can say no: answers from anything in between never settle a POST.

The real sandbox commits the transfer (its drop-after-commit fault), then an
`Intermediary` in front of it answers the retries the way a proxy, a load
balancer or a captive portal would. The client must call that outcome
unknown, the sandbox must hold exactly one transfer, and a later re-send
with the same idempotency key must find it.
"""

from __future__ import annotations

import json

import httpx
import pytest

from fintoc_tui.api.errors import (
    InvalidRequestError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    ServerError,
    UnexpectedResponseError,
)
from fintoc_tui.api.models import SimulateReceiveTransferRequest
from fintoc_tui.testing.intermediary import (
    NOT_FINTOC_ANSWERS,
    Answer,
    Intermediary,
    empty,
    html,
    redirect,
)

CASES = sorted(NOT_FINTOC_ANSWERS)
RETRIES = 3  # RetryPolicy's default four attempts: one that commits, three answered


@pytest.fixture
def proxy(sandbox) -> Intermediary:
    return Intermediary(sandbox.app)


@pytest.fixture
async def client(sandbox, proxy):
    async with sandbox.client(transport=httpx.ASGITransport(app=proxy)) as client:
        yield client


def fintoc_error(status: int, type_: str, code: str) -> Answer:
    """A Fintoc-shaped error, for a refusal the sandbox has no way to make."""
    body = {"error": {"type": type_, "code": code, "message": "m", "param": None}}
    return Answer(status, json.dumps(body).encode(), (("content-type", "application/json"),))


def posts(proxy: Intermediary) -> list[tuple[str, str, str]]:
    return [seen for seen in proxy.seen if seen[0] == "POST"]


@pytest.mark.parametrize("case", CASES)
async def test_non_fintoc_answers_after_a_commit_are_unknown_and_resolve_to_one_transfer(
    case, client, sandbox, proxy, mx_request
):
    answer = NOT_FINTOC_ANSWERS[case]
    request = mx_request(sandbox.account_id(), 31_337)
    before, balance = sandbox.store.count("transfers"), sandbox.balance()
    sandbox.faults.force_next("drop")
    proxy.script(None, *[answer] * RETRIES)

    with pytest.raises(OutcomeUnknownError) as caught:
        await client.create_transfer(request, idempotency_key=f"k-{case}")

    error = caught.value
    assert error.idempotency_key == f"k-{case}"
    assert error.message.startswith("The outcome is unknown")
    assert "did not come from Fintoc" in error.message
    assert isinstance(error.last_error, UnexpectedResponseError)
    assert error.last_error.status == answer.status
    assert proxy.answered == RETRIES
    assert sandbox.store.count("transfers") == before + 1
    # Redirects are never followed: every request went to the sandbox's host and path.
    assert posts(proxy) == [("POST", "sandbox.test", "/v2/transfers")] * (RETRIES + 1)

    # Later, with nothing in between: the same key finds the one transfer.
    transfer = await client.create_transfer(request, idempotency_key=f"k-{case}")
    assert sandbox.store.count("transfers") == before + 1
    assert sandbox.store.get("transfers", transfer.id)["amount"] == 31_337
    assert sandbox.balance() == balance - 31_337


@pytest.mark.parametrize("case", ["403-html", "499-empty", "302-to-login"])
async def test_a_non_fintoc_answer_to_the_first_attempt_is_unknown(
    case, client, sandbox, proxy, mx_request
):
    """Nothing went wrong before, yet a proxy's answer still settles nothing.

    Here the proxy kept the request to itself; in the next test it passed it
    on first. The client cannot tell the two apart, so both are unknown.
    """
    request = mx_request(sandbox.account_id(), 4_242)
    before = sandbox.store.count("transfers")
    proxy.script(*[NOT_FINTOC_ANSWERS[case]] * (RETRIES + 1))
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.create_transfer(request, idempotency_key="first")
    assert isinstance(caught.value.last_error, UnexpectedResponseError)
    assert sandbox.store.count("transfers") == before
    transfer = await client.create_transfer(request, idempotency_key="first")
    assert sandbox.store.count("transfers") == before + 1
    assert transfer.amount == 4_242


async def test_a_proxy_that_passed_the_first_attempt_on_is_why(client, sandbox, proxy, mx_request):
    request = mx_request(sandbox.account_id(), 4_343)
    before = sandbox.store.count("transfers")
    proxy.script(html(403, passes_on=True), *[html(403)] * RETRIES)
    with pytest.raises(OutcomeUnknownError):
        await client.create_transfer(request, idempotency_key="passed-on")
    assert sandbox.store.count("transfers") == before + 1  # Fintoc saw it after all
    transfer = await client.create_transfer(request, idempotency_key="passed-on")
    assert sandbox.store.count("transfers") == before + 1
    assert sandbox.store.get("transfers", transfer.id)["amount"] == 4_343


async def test_a_proxy_blip_then_fintocs_answer_is_just_a_success(
    client, sandbox, proxy, mx_request
):
    before = sandbox.store.count("transfers")
    proxy.script(empty(408), redirect(302))
    transfer = await client.create_transfer(
        mx_request(sandbox.account_id(), 4_444), idempotency_key="blip"
    )
    assert transfer.amount == 4_444
    assert len(posts(proxy)) == 3
    assert sandbox.store.count("transfers") == before + 1


async def test_fintocs_own_refusal_on_the_first_attempt_is_still_definite(
    client, sandbox, proxy, mx_request
):
    proxy.script(fintoc_error(403, "invalid_request_error", "account_not_active"))
    with pytest.raises(InvalidRequestError) as caught:
        await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="no")
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert (caught.value.status, caught.value.code) == (403, "account_not_active")
    assert len(posts(proxy)) == 1  # a refusal is not retried


async def test_an_ip_allowlist_refusal_after_a_commit_is_unknown(
    client, sandbox, proxy, mx_request
):
    """Like a 401, Fintoc's IP allowlist checks who asks, before the idempotency lookup."""
    before = sandbox.store.count("transfers")
    sandbox.faults.force_next("drop")
    proxy.script(
        None, fintoc_error(403, "invalid_request_error", "allowed_cidr_blocks_does_not_contain_ip")
    )
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="ip")
    assert caught.value.last_error.code == "allowed_cidr_blocks_does_not_contain_ip"
    assert "credentials" in caught.value.message
    assert sandbox.store.count("transfers") == before + 1


async def test_an_answer_that_cannot_be_decoded_is_unknown(client, sandbox, proxy, mx_request):
    """A body whose compression is broken raises while reading: after the request was sent."""
    broken = Answer(
        201,
        b"this is not gzip",
        (("content-type", "application/json"), ("content-encoding", "gzip")),
    )
    before = sandbox.store.count("transfers")
    sandbox.faults.force_next("drop")
    proxy.script(None, *[broken] * RETRIES)
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="gz")
    assert isinstance(caught.value.last_error, NetworkError)
    assert "decoded" in caught.value.last_error.message
    assert sandbox.store.count("transfers") == before + 1


@pytest.mark.parametrize("case", ["408-html", "403-empty", "302-to-login", "200-captive-portal"])
async def test_a_return_answered_by_a_proxy_after_a_commit_is_unknown_and_resolves(
    case, client, sandbox, proxy
):
    numbers = await client.list_account_numbers(account_id=sandbox.account_id("MXN"))
    inbound = await client.simulate_receive_transfer(
        SimulateReceiveTransferRequest(
            account_number_id=numbers[0].id, amount=27_000, currency="MXN"
        )
    )
    sandbox.clock.advance(5)  # it arrives (pending → succeeded), so it can be returned
    await client.get_transfer(inbound.id)
    balance, movements = sandbox.balance(), sandbox.store.count("movements")
    sandbox.faults.force_next("drop")
    proxy.script(None, *[NOT_FINTOC_ANSWERS[case]] * RETRIES)
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.return_transfer(inbound.id, idempotency_key=f"ret-{case}")
    assert "this return" in caught.value.message
    assert sandbox.store.get("transfers", inbound.id)["status"] == "return_pending"
    assert sandbox.balance() == balance - 27_000

    returned = await client.return_transfer(inbound.id, idempotency_key=f"ret-{case}")
    assert (returned.id, returned.status) == (inbound.id, "return_pending")
    assert sandbox.balance() == balance - 27_000  # returned once
    assert sandbox.store.count("movements") == movements + 1


# -- GETs: a non-Fintoc answer is retried, then a clear error ----------------------------------


@pytest.fixture
def get_proxy(proxy) -> Intermediary:
    proxy.methods = frozenset({"GET"})
    return proxy


@pytest.mark.parametrize("case", ["404-html", "403-empty", "302-to-login", "200-captive-portal"])
async def test_a_get_answered_by_a_proxy_ends_as_an_unexpected_response(
    case, client, get_proxy, sandbox
):
    answer = NOT_FINTOC_ANSWERS[case]
    get_proxy.script(*[answer] * 4)
    with pytest.raises(UnexpectedResponseError) as caught:
        await client.get_transfer("tr_whatever000000000000000000")
    error = caught.value
    assert not isinstance(error, InvalidRequestError)  # never "not found" or "refused"
    assert error.status == answer.status
    assert "did not come from Fintoc" in error.message and str(answer.status) in error.message
    assert len(get_proxy.seen) == 4  # retried like a 5xx, redirect not followed
    assert {host for _method, host, _path in get_proxy.seen} == {"sandbox.test"}
    assert len(sandbox.sleeps.delays) == 3


async def test_a_proxy_502_then_fintoc_is_a_success(client, get_proxy):
    get_proxy.script(html(502), html(502))
    accounts = await client.list_accounts()
    assert len(accounts) == 2
    assert len(get_proxy.seen) == 3


async def test_fintocs_own_404_on_a_get_is_still_not_found(client):
    with pytest.raises(NotFoundError):
        await client.get_transfer("tr_doesnotexist000000000000000")


async def test_a_fintoc_json_body_of_the_wrong_shape_is_unexpected_not_a_traceback(
    client, get_proxy
):
    get_proxy.script(Answer(200, b'{"surprise": true}', (("content-type", "application/json"),)))
    with pytest.raises(UnexpectedResponseError) as caught:
        await client.list_accounts_page()
    assert "does not understand" in caught.value.message


async def test_a_get_whose_5xx_is_fintocs_stays_a_server_error(client, get_proxy):
    get_proxy.script(*[fintoc_error(503, "api_error", "unavailable")] * 4)
    with pytest.raises(ServerError) as caught:
        await client.list_accounts()
    assert caught.value.code == "unavailable"
