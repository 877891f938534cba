"""A process killed with SIGKILL mid-return loses nothing and returns once (issue 18).

As `test_submit_crash.py` does for transfers: the sandbox serves on a real
loopback socket; a child process journals a return of an inbound transfer
(`TransferSubmitter.prepare_return`) and runs the real `send()`, and SIGKILLs
itself right after the journal write, right after the attempt is counted, or
once Fintoc has made the return but before its answer is journaled. The next
"run" (this test process) finds the entry unresolved and resolves it: the
transfer is returned exactly once, and the money leaves the account once.
"""

from __future__ import annotations

import json

import pytest
from crash_child import run_killed

from fintoc_tui.api.client import FintocClient
from fintoc_tui.api.submit import TransferSubmitter
from fintoc_tui.journal import Journal
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.store import SandboxStore

pytestmark = pytest.mark.e2e


def returnable(store: SandboxStore) -> dict:
    rows, _ = store.page(
        "transfers", filters={"direction": "inbound", "status": "succeeded"}, limit=300
    )
    return next(t for t in map(json.loads, rows) if t["currency"] == "MXN")


def idempotency_count(store: SandboxStore) -> int:
    with store.reading() as db:
        return int(db.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0])


@pytest.mark.parametrize("stage", ["journaled", "attempted", "sent"])
async def test_killed_mid_return_is_resolved_with_exactly_one(
    live_sandbox, pem_file, signer, stage
):
    server, store = live_sandbox
    target = returnable(store)
    account_id = target["account_number"]["account_id"]
    balance = store.balances()[account_id]
    movements = store.count("movements")
    idempotency_keys = idempotency_count(store)

    said = run_killed(server, pem_file, "return", target["id"], stage)
    made = stage == "sent"
    assert store.get("transfers", target["id"])["status"] == (
        "return_pending" if made else "succeeded"
    )
    if made:
        assert said == "return_pending"

    # The next run.
    with Journal() as journal:
        async with FintocClient(
            SANDBOX_SECRET_KEY, base_url=server.base_url, jws_signer=signer
        ) as client:
            submitter = TransferSubmitter(client, journal, "sandbox")
            (entry,) = submitter.unresolved()
            assert (entry.kind, entry.state) == ("return", "prepared")
            assert json.loads(entry.body) == {"transfer_id": target["id"]}
            assert entry.attempts == (0 if stage == "journaled" else 1)
            returned = await submitter.resolve(entry)
            # Resolving again (say, a second app window) changes nothing.
            again = await submitter.resolve(journal.get(entry.idempotency_key))
        assert journal.unresolved() == []
        assert journal.get(entry.idempotency_key).transfer_id == target["id"]

    # Fintoc saw the journaled key, and only that one: one answer, stored under it.
    stored = store.idempotent_response(entry.idempotency_key)
    assert stored is not None and stored[1] == 200
    assert idempotency_count(store) == idempotency_keys + 1
    assert returned.id == again.id == target["id"]
    assert returned.status == "return_pending"
    assert store.balances()[account_id] == balance - target["amount"]
    assert store.count("movements") == movements + 1  # one transfer_return movement
