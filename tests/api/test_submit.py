"""TransferSubmitter: journal first, send with one key, record what happened."""

from __future__ import annotations

import asyncio
import json

import pytest

from fintoc_tui.api.client import RetryPolicy
from fintoc_tui.api.errors import (
    AuthenticationError,
    ConflictError,
    NetworkError,
    OutcomeUnknownError,
)
from fintoc_tui.api.models import SimulateReceiveTransferRequest
from fintoc_tui.api.submit import JournaledFailure, StaleEntryError, TransferSubmitter
from fintoc_tui.journal import Journal


@pytest.fixture
async def submitter(sandbox, client, journal):
    return TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)


def posts(client) -> list:
    return client._http._transport.posts("/v2/transfers")


async def test_prepare_journals_the_exact_body_and_sends_nothing(
    submitter, sandbox, client, mx_request
):
    request = mx_request(sandbox.account_id(), 777)
    before = sandbox.store.count("transfers")
    entry = await submitter.prepare(request)
    assert entry.state == "prepared" and entry.attempts == 0
    assert entry.body == request.to_body()
    assert entry.environment == "sandbox" and entry.kind == "transfer"
    assert len(entry.idempotency_key) == 36  # a uuid4
    assert client._http._transport.requests == []
    assert sandbox.store.count("transfers") == before
    # Durable and visible to anyone who opens the journal file now.
    with Journal() as other:
        assert other.get(entry.idempotency_key).body == request.to_body()


async def test_send_records_the_transfer(submitter, sandbox, client, journal, mx_request):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 778))
    transfer = await submitter.send(entry)
    (sent,) = posts(client)
    assert sent.headers["Idempotency-Key"] == entry.idempotency_key
    assert sent.content == entry.body
    done = journal.get(entry.idempotency_key)
    assert done.state == "succeeded" and done.resolved
    assert (done.transfer_id, done.transfer_status) == (transfer.id, "pending")
    assert done.attempts == 1
    assert submitter.unresolved() == []


async def test_double_send_makes_one_transfer(submitter, sandbox, client, mx_request):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 779))
    before = sandbox.store.count("transfers")
    first, second = await asyncio.gather(submitter.send(entry), submitter.send(entry))
    third = await submitter.send(entry)
    assert first.id == second.id == third.id
    assert len(posts(client)) == 1
    assert sandbox.store.count("transfers") == before + 1


async def test_a_fresh_submitter_does_not_resend_a_succeeded_entry(
    submitter, sandbox, journal, mx_request
):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 780))
    transfer = await submitter.send(entry)
    before = sandbox.store.count("transfers")
    async with sandbox.client() as other_client:
        other = TransferSubmitter(other_client, journal, "sandbox", clock=sandbox.clock)
        again = await other.send(entry)
        assert posts(other_client) == []  # looked up by id, not re-sent
    assert again.id == transfer.id
    assert sandbox.store.count("transfers") == before


async def test_definite_refusal_is_recorded_and_never_resent(
    submitter, sandbox, client, journal, mx_request
):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), sandbox.balance() + 1))
    with pytest.raises(ConflictError) as caught:
        await submitter.send(entry)
    assert caught.value.is_insufficient_balance
    failed = journal.get(entry.idempotency_key)
    assert failed.state == "failed" and failed.error_code == "insufficient_balance"
    assert submitter.unresolved() == []
    with pytest.raises(JournaledFailure) as again:
        await submitter.send(entry)
    assert again.value.code == "insufficient_balance"
    assert len(posts(client)) == 1


async def test_unknown_outcome_is_journaled_and_resolved_with_one_transfer(
    submitter, sandbox, journal, mx_request
):
    before = sandbox.store.count("transfers")
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 781))
    sandbox.faults.force_next("drop", 4)  # commits, then every answer is lost
    with pytest.raises(OutcomeUnknownError) as caught:
        await submitter.send(entry)
    assert caught.value.idempotency_key == entry.idempotency_key
    unknown = journal.get(entry.idempotency_key)
    assert unknown.state == "unknown" and not unknown.resolved
    assert [e.idempotency_key for e in submitter.unresolved()] == [entry.idempotency_key]

    transfer = await submitter.resolve(unknown)
    assert sandbox.store.count("transfers") == before + 1
    assert journal.get(entry.idempotency_key).transfer_id == transfer.id
    assert submitter.unresolved() == []


async def test_half_the_posts_500_and_100_journaled_transfers_go_through_once(
    sandbox, journal, mx_request
):
    sandbox.faults.error_rate = 0.5
    sandbox.faults.error_status = 500
    sandbox.faults.methods = frozenset({"POST"})
    account_id = sandbox.account_id()
    before = sandbox.store.count("transfers")
    async with sandbox.client(retry=RetryPolicy(max_attempts=16, seed=9)) as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        entries = [
            await submitter.prepare(mx_request(account_id, 1_000 + i, comment=f"lote {i}"))
            for i in range(100)
        ]
        transfers = [await submitter.send(entry) for entry in entries]
        assert len(posts(client)) > 150
    assert len({t.id for t in transfers}) == 100
    assert sandbox.store.count("transfers") == before + 100
    assert journal.unresolved() == []
    assert {journal.get(e.idempotency_key).transfer_id for e in entries} == {
        t.id for t in transfers
    }


async def test_never_reached_stays_prepared_and_goes_later(
    sandbox, journal, mx_request, unused_tcp_port
):
    async with sandbox.client(
        base_url=f"http://127.0.0.1:{unused_tcp_port}",
        transport=None,
        retry=RetryPolicy(max_attempts=2, seed=0),
    ) as offline:
        submitter = TransferSubmitter(offline, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 782))
        with pytest.raises(NetworkError):
            await submitter.send(entry)
    stuck = journal.get(entry.idempotency_key)
    assert stuck.state == "prepared" and stuck.attempts == 1
    async with sandbox.client() as online:
        submitter = TransferSubmitter(online, journal, "sandbox", clock=sandbox.clock)
        (pending,) = submitter.unresolved()
        transfer = await submitter.resolve(pending)
    assert journal.get(entry.idempotency_key).transfer_id == transfer.id


async def test_old_maybe_sent_entry_is_not_resent(submitter, sandbox, client, mx_request):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 783))
    sandbox.faults.force_next("drop", 4)
    with pytest.raises(OutcomeUnknownError):
        await submitter.send(entry)
    sent = len(posts(client))
    sandbox.clock.advance(24 * 3600)
    with pytest.raises(StaleEntryError):
        await submitter.resolve(entry)
    assert len(posts(client)) == sent


async def test_auth_failure_after_an_ambiguous_attempt_stays_unknown(sandbox, journal, mx_request):
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 784))
        sandbox.faults.force_next("drop", 4)
        with pytest.raises(OutcomeUnknownError):
            await submitter.send(entry)
    async with sandbox.client(secret_key="sk_test_wrongwrongwrongwrong0000") as wrong:
        submitter = TransferSubmitter(wrong, journal, "sandbox", clock=sandbox.clock)
        with pytest.raises(OutcomeUnknownError) as caught:
            await submitter.resolve(entry)
    assert isinstance(caught.value.last_error, AuthenticationError)
    assert journal.get(entry.idempotency_key).state == "unknown"


async def test_auth_failure_on_a_first_send_is_definite(sandbox, journal, mx_request):
    async with sandbox.client(jws_signer=None) as unsigned:
        submitter = TransferSubmitter(unsigned, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 785))
        with pytest.raises(AuthenticationError):
            await submitter.send(entry)
    failed = journal.get(entry.idempotency_key)
    assert failed.state == "failed" and failed.error_code == "missing_jws_signature_header"


async def test_discard_only_what_was_never_sent(submitter, sandbox, journal, mx_request):
    never = await submitter.prepare(mx_request(sandbox.account_id(), 786))
    discarded = await submitter.discard(never)
    assert discarded.state == "failed" and discarded.error_code == "discarded"
    sent = await submitter.prepare(mx_request(sandbox.account_id(), 787))
    sandbox.faults.force_next("drop", 4)
    with pytest.raises(OutcomeUnknownError):
        await submitter.send(sent)
    with pytest.raises(ValueError):
        await submitter.discard(sent)


async def test_entries_are_scoped_to_their_environment(
    submitter, sandbox, client, journal, mx_request
):
    entry = await submitter.prepare(mx_request(sandbox.account_id(), 788))
    elsewhere = TransferSubmitter(client, journal, "test", clock=sandbox.clock)
    assert elsewhere.unresolved() == []
    with pytest.raises(ValueError, match="sandbox"):
        await elsewhere.send(entry)
    assert posts(client) == []


async def test_journaled_return(submitter, sandbox, client, journal):
    numbers = await client.list_account_numbers(account_id=sandbox.account_id("MXN"))
    inbound = await client.simulate_receive_transfer(
        SimulateReceiveTransferRequest(
            account_number_id=numbers[0].id, amount=42_000, currency="MXN"
        )
    )
    sandbox.clock.advance(5)  # it arrives (pending → succeeded), so it can be returned
    entry = await submitter.prepare_return(inbound.id)
    assert json.loads(entry.body) == {"transfer_id": inbound.id} and entry.kind == "return"
    sandbox.faults.force_next("drop")
    returned = await submitter.send(entry)
    assert returned.id == inbound.id and returned.status == "return_pending"
    assert journal.get(entry.idempotency_key).transfer_status == "return_pending"


async def test_resolve_all_reports_each_entry(submitter, sandbox, journal, mx_request):
    good = await submitter.prepare(mx_request(sandbox.account_id(), 789))
    broke = await submitter.prepare(mx_request(sandbox.account_id(), sandbox.balance() + 1))
    outcomes = await submitter.resolve_all()
    by_key = {o.entry.idempotency_key: o for o in outcomes}
    assert by_key[good.idempotency_key].transfer is not None
    assert by_key[good.idempotency_key].entry.state == "succeeded"
    assert isinstance(by_key[broke.idempotency_key].error, ConflictError)
    assert by_key[broke.idempotency_key].entry.state == "failed"
    assert submitter.unresolved() == []
