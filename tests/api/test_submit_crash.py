"""A process killed with SIGKILL mid-transfer loses nothing and pays once.

The sandbox serves on a real loopback socket; a child process prepares a
transfer and runs the real `TransferSubmitter.send()`, and SIGKILLs itself at
one step: right after the journal write (never sent), right after the attempt
is counted (not yet on the wire), or once Fintoc has made the transfer but
before its answer is journaled. The next "run" (this test process) finds the
entry unresolved and resolves it: exactly one transfer.
"""

from __future__ import annotations

import pytest
from crash_child import run_killed

from fintoc_tui.api.client import FintocClient
from fintoc_tui.api.submit import TransferSubmitter
from fintoc_tui.journal import Journal
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.store import SandboxStore

pytestmark = pytest.mark.e2e


def mxn_account(store: SandboxStore) -> str:
    return next(a for a in store.balances() if store.get("accounts", a)["currency"] == "MXN")


@pytest.mark.parametrize("stage", ["journaled", "attempted", "sent"])
async def test_killed_mid_transfer_is_resolved_with_exactly_one(
    live_sandbox, pem_file, signer, stage
):
    server, store = live_sandbox
    account_id = mxn_account(store)
    before = store.count("transfers")
    balance = store.balances()[account_id]

    child_transfer_id = run_killed(server, pem_file, "transfer", account_id, stage)
    assert store.count("transfers") == before + (1 if stage == "sent" else 0)

    # The next run.
    with Journal() as journal:
        async with FintocClient(
            SANDBOX_SECRET_KEY, base_url=server.base_url, jws_signer=signer
        ) as client:
            submitter = TransferSubmitter(client, journal, "sandbox")
            (entry,) = submitter.unresolved()
            assert entry.state == "prepared"
            assert entry.attempts == (0 if stage == "journaled" else 1)
            transfer = await submitter.resolve(entry)
            # Resolving again (say, a second app window) changes nothing.
            again = await submitter.resolve(journal.get(entry.idempotency_key))
        assert journal.unresolved() == []
        assert journal.get(entry.idempotency_key).transfer_id == transfer.id

    assert again.id == transfer.id
    assert store.count("transfers") == before + 1
    assert store.balances()[account_id] == balance - 4321
    if stage == "sent":
        assert transfer.id == child_transfer_id
