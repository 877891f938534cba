"""TransferSubmitter: an answer that is not Fintoc's leaves the entry `unknown`, never `failed`.

Today's failure this guards against: the retry after a commit is answered by
a proxy's HTML 4xx, the journal says `failed`, the form says "Fintoc refused
the transfer", and sending again from the form makes a second transfer.
"""

from __future__ import annotations

import httpx
import pytest

from fintoc_tui.api.errors import OutcomeUnknownError, UnexpectedResponseError
from fintoc_tui.api.models import SimulateReceiveTransferRequest
from fintoc_tui.api.submit import TransferSubmitter, never_sent
from fintoc_tui.testing.intermediary import NOT_FINTOC_ANSWERS, Intermediary, html, redirect

CASES = sorted(NOT_FINTOC_ANSWERS)
RETRIES = 3


@pytest.fixture
def proxy(sandbox) -> Intermediary:
    return Intermediary(sandbox.app)


@pytest.fixture
async def client(sandbox, proxy):
    async with sandbox.client(transport=httpx.ASGITransport(app=proxy)) as client:
        yield client


@pytest.fixture
def submitter(sandbox, client, journal) -> TransferSubmitter:
    return TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)


async def assert_unknown_then_resolved(submitter, journal, entry):
    """The entry is `unknown` (not failed, not discardable); resolving finds the one transfer."""
    unknown = journal.get(entry.idempotency_key)
    assert unknown.state == "unknown" and not unknown.resolved
    assert unknown.error_message.startswith("The outcome is unknown")
    assert [e.idempotency_key for e in submitter.unresolved()] == [entry.idempotency_key]
    assert not never_sent(unknown)
    with pytest.raises(ValueError, match="resolve"):
        await submitter.discard(unknown)
    transfer = await submitter.resolve(unknown)
    done = journal.get(entry.idempotency_key)
    assert done.state == "succeeded" and done.transfer_id == transfer.id
    assert submitter.unresolved() == []
    return transfer


@pytest.mark.parametrize("case", CASES)
async def test_non_fintoc_answers_after_a_commit_leave_the_entry_unknown(
    case, submitter, sandbox, proxy, journal, mx_request
):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 50_001))
    before, balance = sandbox.store.count("transfers"), sandbox.balance()
    sandbox.faults.force_next("drop")
    proxy.script(None, *[NOT_FINTOC_ANSWERS[case]] * RETRIES)

    with pytest.raises(OutcomeUnknownError) as caught:
        await submitter.send(entry)

    assert caught.value.idempotency_key == entry.idempotency_key
    assert isinstance(caught.value.last_error, UnexpectedResponseError)
    assert sandbox.store.count("transfers") == before + 1
    transfer = await assert_unknown_then_resolved(submitter, journal, entry)
    assert sandbox.store.count("transfers") == before + 1
    assert sandbox.store.get("transfers", transfer.id)["amount"] == 50_001
    assert sandbox.balance() == balance - 50_001


@pytest.mark.parametrize("case", CASES)
async def test_a_return_answered_by_non_fintoc_after_a_commit_is_unknown(
    case, submitter, sandbox, proxy, client, journal
):
    numbers = await client.list_account_numbers(account_id=sandbox.account_id("MXN"))
    inbound = await client.simulate_receive_transfer(
        SimulateReceiveTransferRequest(
            account_number_id=numbers[0].id, amount=33_000, currency="MXN"
        )
    )
    sandbox.clock.advance(5)  # it arrives (pending → succeeded), so it can be returned
    await client.get_transfer(inbound.id)
    entry = await submitter.prepare_return(inbound.id)
    balance, movements = sandbox.balance(), sandbox.store.count("movements")
    sandbox.faults.force_next("drop")
    proxy.script(None, *[NOT_FINTOC_ANSWERS[case]] * RETRIES)

    with pytest.raises(OutcomeUnknownError):
        await submitter.send(entry)

    assert sandbox.store.get("transfers", inbound.id)["status"] == "return_pending"
    returned = await assert_unknown_then_resolved(submitter, journal, entry)
    assert (returned.id, returned.status) == (inbound.id, "return_pending")
    assert sandbox.balance() == balance - 33_000  # returned exactly once
    assert sandbox.store.count("movements") == movements + 1


@pytest.mark.parametrize(
    "answer",
    [html(403), redirect(302), html(403, passes_on=True)],
    ids=["403-kept", "302-kept", "403-passed-on"],
)
async def test_a_non_fintoc_answer_on_the_first_attempt_is_unknown_too(
    answer, submitter, sandbox, proxy, journal, mx_request
):
    """The first attempt had nothing ambiguous before it, yet a proxy's "no" settles nothing.

    Whether the proxy kept the request (nothing made) or passed it on first
    (a transfer made), the app cannot tell: both end `unknown`, and resolving
    finds or makes exactly one. A 302 used to leave the entry `prepared`.
    """
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 50_002))
    before = sandbox.store.count("transfers")
    proxy.script(answer, *[html(403)] * RETRIES)
    with pytest.raises(OutcomeUnknownError):
        await submitter.send(entry)
    made = 1 if answer.passes_on else 0
    assert sandbox.store.count("transfers") == before + made
    await assert_unknown_then_resolved(submitter, journal, entry)
    assert sandbox.store.count("transfers") == before + 1


class BrokenAfterSending(httpx.AsyncBaseTransport):
    """A fault: the request goes through, then a layer of this app breaks with a bug."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.inner.handle_async_request(request)
        raise RuntimeError("a bug after the request left")


async def test_an_unexpected_exception_after_sending_is_unknown_not_not_sent(
    sandbox, journal, mx_request
):
    broken = BrokenAfterSending(httpx.ASGITransport(app=sandbox.app))
    before = sandbox.store.count("transfers")
    async with sandbox.client(transport=broken) as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 50_003))
        with pytest.raises(OutcomeUnknownError) as caught:
            await submitter.send(entry)
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert caught.value.last_error is None
    assert "RuntimeError" in caught.value.message
    assert sandbox.store.count("transfers") == before + 1
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        await assert_unknown_then_resolved(submitter, journal, entry)
    assert sandbox.store.count("transfers") == before + 1
