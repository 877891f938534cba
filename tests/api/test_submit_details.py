"""TransferSubmitter details that one-line changes used to slip past (found by mutation testing)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import httpx
import pytest

from fintoc_tui.api.errors import AuthenticationError, ConflictError, OutcomeUnknownError
from fintoc_tui.api.submit import (
    IDEMPOTENCY_WINDOW,
    JournaledFailure,
    StaleEntryError,
    TransferSubmitter,
    never_sent,
)

TAIL = " Send it again with the same idempotency key to find out; that cannot make it twice."


class Recording(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def recorded(sandbox):
    transport = Recording(httpx.ASGITransport(app=sandbox.app))
    async with sandbox.client(transport=transport) as client:
        yield client, transport


@pytest.fixture
def submitter(sandbox, recorded, journal) -> TransferSubmitter:
    return TransferSubmitter(recorded[0], journal, "sandbox", clock=sandbox.clock)


async def test_a_succeeded_entry_sent_again_makes_no_request_at_all(
    submitter, recorded, sandbox, mx_request
):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 601))
    transfer = await submitter.send(entry)
    sent = len(recorded[1].requests)
    again = await submitter.send(entry)
    assert again is transfer  # the answer kept in memory: not even a GET
    assert len(recorded[1].requests) == sent


async def test_a_refusal_is_journaled_with_fintocs_words(submitter, journal, sandbox, mx_request):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), sandbox.balance() + 1))
    with pytest.raises(ConflictError) as caught:
        await submitter.send(entry)
    failed = journal.get(entry.idempotency_key)
    assert failed.error_message == caught.value.message and failed.error_message
    with pytest.raises(JournaledFailure) as again:
        await submitter.send(entry)
    assert again.value.message == caught.value.message


async def test_a_failure_journaled_without_words_still_says_something(
    submitter, journal, sandbox, mx_request
):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 602))
    journal.record_failure(entry.idempotency_key, code=None, message="")
    with pytest.raises(JournaledFailure) as caught:
        await submitter.send(entry)
    assert caught.value.message == "Fintoc refused this transfer."


async def test_the_idempotency_window_is_23_hours_to_the_second(
    submitter, journal, sandbox, mx_request
):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 603))
    journal.record_attempt(entry.idempotency_key)  # sent once by a process that died
    sandbox.clock.advance(IDEMPOTENCY_WINDOW.total_seconds())
    transfer = await submitter.resolve(entry)  # exactly 23 h: still safe
    assert journal.get(entry.idempotency_key).transfer_id == transfer.id

    late = await submitter.prepare(mx_request(sandbox.account_id(), 604))
    journal.record_attempt(late.idempotency_key)
    sandbox.clock.advance((IDEMPOTENCY_WINDOW + timedelta(seconds=1)).total_seconds())
    with pytest.raises(StaleEntryError) as caught:
        await submitter.resolve(late)
    assert caught.value.message == (
        "This transfer was journaled more than 23 hours ago and may have been sent; Fintoc "
        "may have forgotten its idempotency key, so re-sending could pay twice. Check the "
        "history for it instead."
    )
    assert journal.get(late.idempotency_key).state == "prepared"


async def test_never_sent_and_fresh_entries_are_not_stale(submitter, sandbox, mx_request):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 605))
    sandbox.clock.advance(48 * 3600)  # never sent: re-sending cannot pay twice
    transfer = await submitter.send(entry)
    assert transfer.amount == 605


async def test_a_401_after_one_attempt_that_died_is_unknown(sandbox, journal, mx_request):
    """One earlier attempt is enough to make a later auth refusal say nothing."""
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 606))
    journal.record_attempt(entry.idempotency_key)  # the process died during it
    async with sandbox.client(jws_signer=None) as unsigned:
        submitter = TransferSubmitter(unsigned, journal, "sandbox", clock=sandbox.clock)
        with pytest.raises(OutcomeUnknownError) as caught:
            await submitter.resolve(entry)
    error = caught.value
    assert error.idempotency_key == entry.idempotency_key
    assert isinstance(error.last_error, AuthenticationError)
    assert error.message == (
        "The outcome is unknown: Fintoc refused the credentials, so it could not say whether "
        "the earlier attempt went through. Fix the key and resolve again with the same "
        "idempotency key."
    )
    current = journal.get(entry.idempotency_key)
    assert current.state == "unknown" and current.error_message == error.message


class BrokenAfterSending(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.inner.handle_async_request(request)
        raise LookupError("a bug after the request left")


async def test_an_unexpected_exception_is_journaled_with_the_words_raised(
    sandbox, journal, mx_request
):
    async with sandbox.client(
        transport=BrokenAfterSending(httpx.ASGITransport(app=sandbox.app))
    ) as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 607))
        with pytest.raises(OutcomeUnknownError) as caught:
            await submitter.send(entry)
    error = caught.value
    assert error.idempotency_key == entry.idempotency_key
    assert error.message == (
        "The outcome is unknown: something unexpected happened after the request may have "
        "left (LookupError)." + TAIL
    )
    assert journal.get(entry.idempotency_key).error_message == error.message


async def test_only_entries_in_the_journal_can_be_sent(submitter, journal, sandbox, mx_request):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 608))
    ghost = dataclasses.replace(entry, idempotency_key="not-journaled")
    with pytest.raises(KeyError) as caught:
        await submitter.send(ghost)
    assert caught.value.args == ("this entry is not in the journal",)


async def test_discard_says_why_it_cannot_and_records_why_it_did(
    submitter, journal, sandbox, mx_request
):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 609))
    journal.record_attempt(entry.idempotency_key)
    with pytest.raises(ValueError) as caught:
        await submitter.discard(entry)
    assert str(caught.value) == (
        "only a transfer that never reached Fintoc can be discarded; "
        "this one may have been sent, so resolve it instead"
    )
    fresh = await submitter.prepare(mx_request(sandbox.account_id(), 610))
    discarded = await submitter.discard(fresh)
    assert (discarded.error_code, discarded.error_message) == (
        "discarded",
        "Discarded before it was sent.",
    )


@pytest.mark.parametrize(
    ("kind", "body", "message"),
    [
        (
            "return",
            b'{"transfer_id": "tr_x"}',
            "journaled return body is not in the canonical form",
        ),
        ("batch", b"{}", "unknown journal entry kind 'batch'"),
    ],
)
async def test_a_bad_journal_row_is_refused_before_any_attempt(
    submitter, journal, recorded, kind, body, message
):
    entry = journal.record_intent(
        environment="sandbox", kind=kind, idempotency_key=f"bad-{kind}", body=body
    )
    with pytest.raises(ValueError) as caught:
        await submitter.send(entry)
    assert str(caught.value) == message
    assert journal.get(entry.idempotency_key).attempts == 0
    assert recorded[1].requests == []


def test_a_garbled_not_sent_count_is_not_taken_as_never_sent(journal):
    entry = journal.record_intent(
        environment="sandbox", kind="transfer", idempotency_key="garbled", body=b"{}"
    )
    journal.record_attempt("garbled")
    assert not never_sent(journal.get("garbled"))
    for code in ("not_sent:x", "not_sent:", "sent:1", "not_sent:-1"):
        journal._update("garbled", "error_code = ?", (code,))
        assert not never_sent(journal.get("garbled")), code
    journal._update("garbled", "error_code = ?", ("not_sent:1",))
    assert never_sent(journal.get("garbled"))
    assert entry.state == "prepared"
