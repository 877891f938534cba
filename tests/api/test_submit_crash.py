"""A process killed with SIGKILL mid-transfer loses nothing and pays once.

The sandbox serves on a real loopback socket; a child process prepares a
transfer and runs the real `TransferSubmitter.send()`, and SIGKILLs itself at
one step: right after the journal write (never sent), right after the attempt
is counted (not yet on the wire), or once Fintoc has made the transfer but
before its answer is journaled. The next "run" (this test process) finds the
entry unresolved and resolves it: exactly one transfer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from fintoc_tui.api.client import FintocClient
from fintoc_tui.api.submit import TransferSubmitter
from fintoc_tui.clock import SystemClock
from fintoc_tui.journal import Journal
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore

pytestmark = pytest.mark.e2e

CHILD = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.jws import JWSSigner
    from fintoc_tui.api.models import TransferRequest
    from fintoc_tui.api.submit import TransferSubmitter
    from fintoc_tui.journal import Journal
    from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY

    base_url, pem_path, account_id, stage = sys.argv[1:5]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    class CrashingJournal(Journal):
        \"\"\"The real journal; the process dies at the chosen step of the real send().\"\"\"

        def record_attempt(self, idempotency_key):
            super().record_attempt(idempotency_key)
            if stage == "attempted":  # counted, not yet on the wire
                die()

        def record_success(self, idempotency_key, *, transfer_id, status):
            if stage == "sent":  # Fintoc made it; the answer is never written down
                print(transfer_id, flush=True)
                die()
            return super().record_success(idempotency_key, transfer_id=transfer_id, status=status)

    async def main():
        signer = JWSSigner.from_pem(open(pem_path, "rb").read())
        async with FintocClient(
            SANDBOX_SECRET_KEY, base_url=base_url, jws_signer=signer
        ) as client:
            submitter = TransferSubmitter(client, CrashingJournal(), "sandbox")
            request = TransferRequest.model_validate({
                "amount": 4321, "currency": "MXN", "account_id": account_id,
                "counterparty": {"account_number": "012180000000000015"},
                "comment": "crash test",
            })
            entry = await submitter.prepare(request)
            if stage == "journaled":  # durable, never sent
                die()
            await submitter.send(entry)
        print("send() returned without dying", file=sys.stderr)

    asyncio.run(main())
    """
)


@pytest.fixture
def live_sandbox(jws_keypair):
    clock = SystemClock()
    store = SandboxStore(None)
    seed_store(store, transfers=10, now=clock.now())
    app = create_app(store, clock, jws_public_pems=[jws_keypair[1]])
    with SandboxServer(app) as server:
        yield server, store
    store.close()


@pytest.fixture
def pem_file(tmp_path, jws_keypair):
    path = tmp_path / "jws.pem"
    path.write_bytes(jws_keypair[0])
    path.chmod(0o600)
    return path


def mxn_account(store: SandboxStore) -> str:
    return next(a for a in store.balances() if store.get("accounts", a)["currency"] == "MXN")


def run_child(server, pem_file, account_id: str, stage: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, server.base_url, str(pem_file), account_id, stage],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("stage", ["journaled", "attempted", "sent"])
async def test_killed_mid_transfer_is_resolved_with_exactly_one(
    live_sandbox, pem_file, signer, stage
):
    server, store = live_sandbox
    account_id = mxn_account(store)
    before = store.count("transfers")
    balance = store.balances()[account_id]

    child_transfer_id = run_child(server, pem_file, account_id, stage)
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
