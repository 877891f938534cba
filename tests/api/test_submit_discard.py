"""Discarding journal entries: only those that can never have reached Fintoc."""

from __future__ import annotations

import pytest

from fintoc_tui.api.client import RetryPolicy
from fintoc_tui.api.errors import NetworkError, OutcomeUnknownError
from fintoc_tui.api.submit import TransferSubmitter, never_sent


async def _offline_send(sandbox, journal, entry, port) -> None:
    async with sandbox.client(
        base_url=f"http://127.0.0.1:{port}", transport=None, retry=RetryPolicy(max_attempts=2)
    ) as offline:
        submitter = TransferSubmitter(offline, journal, "sandbox", clock=sandbox.clock)
        with pytest.raises(NetworkError):
            await submitter.send(entry)


async def test_connect_errors_only_can_be_discarded(sandbox, journal, mx_request, unused_tcp_port):
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 901))
    await _offline_send(sandbox, journal, entry, unused_tcp_port)
    await _offline_send(sandbox, journal, entry, unused_tcp_port)
    stuck = journal.get(entry.idempotency_key)
    assert stuck.state == "prepared" and stuck.attempts == 2
    assert never_sent(stuck)
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        discarded = await submitter.discard(stuck)
        assert discarded.state == "failed" and discarded.error_code == "discarded"
        assert submitter.unresolved() == []
        # Nothing was made: Fintoc never saw the key.
        assert all([t.amount != 901 async for t in client.iter_transfers(direction="outbound")])


async def test_a_dropped_connection_cannot_be_discarded(sandbox, journal, mx_request):
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 902))
        sandbox.faults.force_next("drop", 4)
        with pytest.raises(OutcomeUnknownError):
            await submitter.send(entry)
        current = journal.get(entry.idempotency_key)
        assert not never_sent(current)
        with pytest.raises(ValueError, match="resolve"):
            await submitter.discard(current)


async def test_an_attempt_after_a_crash_is_not_discardable(
    sandbox, journal, mx_request, unused_tcp_port
):
    """A connect error after an attempt that died mid-flight says nothing of that one."""
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 903))
    await _offline_send(sandbox, journal, entry, unused_tcp_port)
    assert never_sent(journal.get(entry.idempotency_key))
    journal.record_attempt(entry.idempotency_key)  # the process died during this one
    assert not never_sent(journal.get(entry.idempotency_key))
    await _offline_send(sandbox, journal, entry, unused_tcp_port)
    current = journal.get(entry.idempotency_key)
    assert current.attempts == 3 and not never_sent(current)
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        with pytest.raises(ValueError):
            await submitter.discard(current)
        transfer = await submitter.resolve(current)
    assert journal.get(entry.idempotency_key).transfer_id == transfer.id


async def test_a_never_sent_entry_that_later_goes_through_is_not_discardable(
    sandbox, journal, mx_request, unused_tcp_port
):
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        entry = await submitter.prepare(mx_request(sandbox.account_id(), 904))
    await _offline_send(sandbox, journal, entry, unused_tcp_port)
    async with sandbox.client() as client:
        submitter = TransferSubmitter(client, journal, "sandbox", clock=sandbox.clock)
        await submitter.send(entry)
        done = journal.get(entry.idempotency_key)
        assert done.state == "succeeded" and done.error_code is None
        assert not never_sent(done)
        with pytest.raises(ValueError):
            await submitter.discard(done)
