"""A child process that runs the real `TransferSubmitter.send()` and SIGKILLs itself at one step.

Shared by the crash tests of transfers (`test_submit_crash.py`) and returns
(`test_submit_crash_return.py`): the child journals the money movement
(`prepare` or `prepare_return`) with the real journal and dies right after the
journal write ("journaled"), right after the attempt is counted ("attempted"),
or once Fintoc has made it but before its answer is journaled ("sent").
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from typing import Any

CHILD = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from fintoc_tui.api.client import FintocClient
    from fintoc_tui.api.jws import JWSSigner
    from fintoc_tui.api.models import TransferRequest
    from fintoc_tui.api.submit import TransferSubmitter
    from fintoc_tui.journal import Journal
    from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY

    base_url, pem_path, what, target, stage = sys.argv[1:6]

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
                print(transfer_id if what == "transfer" else status, flush=True)
                die()
            return super().record_success(idempotency_key, transfer_id=transfer_id, status=status)

    async def main():
        signer = JWSSigner.from_pem(open(pem_path, "rb").read())
        async with FintocClient(
            SANDBOX_SECRET_KEY, base_url=base_url, jws_signer=signer
        ) as client:
            submitter = TransferSubmitter(client, CrashingJournal(), "sandbox")
            if what == "transfer":
                request = TransferRequest.model_validate({
                    "amount": 4321, "currency": "MXN", "account_id": target,
                    "counterparty": {"account_number": "012180000000000015"},
                    "comment": "crash test",
                })
                entry = await submitter.prepare(request)
            else:
                entry = await submitter.prepare_return(target)
            if stage == "journaled":  # durable, never sent
                die()
            await submitter.send(entry)
        print("send() returned without dying", file=sys.stderr)

    asyncio.run(main())
    """
)


def run_killed(server: Any, pem_file: Any, what: str, target: str, stage: str) -> str:
    """Run the child to its death at `stage`; what it printed (the id, or the return's status)."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, server.base_url, str(pem_file), what, target, stage],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    return result.stdout.strip()
