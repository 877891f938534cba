"""Time from "Send" on the confirm screen to "pending" on the result screen.

The app runs headless under Pilot against the seeded sandbox in process
(ASGI transport, fixed clock). Each round fills the form, opens the confirm
screen, then times `action_send()` (what ctrl+s / the Send button call) until
the result screen shows the transfer as pending. That path includes minting
the idempotency key, journaling the body with fsync, signing, the POST and
the screen switch. The baseline, measured in the same run on the same
sandbox, is a bare `FintocClient.create_transfer` call: the ratio is what the
journal and the UI add on top of the API call itself.

    .venv/bin/python bench/bench_confirm.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

SANDBOX_URL = "http://sandbox.test"


async def main(rounds: int) -> None:
    os.environ["FINTOC_TUI_HOME"] = tempfile.mkdtemp(prefix="fintoc-bench-")
    import httpx
    from textual.widgets import Select

    from fintoc_tui.api.client import FintocClient, RetryPolicy
    from fintoc_tui.api.jws import JWSSigner, generate_keypair
    from fintoc_tui.api.models import TransferRequest
    from fintoc_tui.clock import ManualClock
    from fintoc_tui.credentials import CredentialStore
    from fintoc_tui.keyring_memory import MemoryKeyring
    from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
    from fintoc_tui.sandbox.seed import seed_store
    from fintoc_tui.sandbox.store import SandboxStore
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.shell.sandbox_link import SandboxInfo
    from fintoc_tui.ui.transfer.amount_input import AmountInput
    from fintoc_tui.ui.transfer.clabe_input import ClabeInput
    from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
    from fintoc_tui.ui.transfer.result_screen import TransferResultScreen

    clock = ManualClock()
    store = SandboxStore(None)
    seed_store(store, now=clock.now())
    private_pem, public_pem = generate_keypair()
    key_file = Path(os.environ["FINTOC_TUI_HOME"]) / "jws.pem"
    key_file.write_bytes(private_pem)
    transport = httpx.ASGITransport(app=create_app(store, clock, jws_public_pems=[public_pem]))

    def factory(environment, secret_key, pem):
        return FintocClient(
            secret_key,
            base_url=SANDBOX_URL,
            transport=transport,
            jws_signer=JWSSigner.from_pem(pem) if pem else None,
            retry=RetryPolicy(max_attempts=1),
            clock=clock,
        )

    app = FintocApp(
        environment="sandbox",
        credentials=CredentialStore(keyring=MemoryKeyring(), env={}),
        client_factory=factory,
        sandbox=SandboxInfo(SANDBOX_URL, SANDBOX_SECRET_KEY, str(key_file)),
        sandbox_launcher=None,
        remember=False,
    )
    app.animation_level = "none"
    bare_client = factory(None, SANDBOX_SECRET_KEY, private_pem)

    async def settle(pilot) -> None:
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                break

    ui: list[float] = []
    switched: list[float] = []  # until the result screen is the current screen
    bare: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        form = app.screen
        account = next(a for a in form.accounts if a.currency == "MXN")
        form.query_one("#source-account", Select).value = account.id
        await settle(pilot)
        for index in range(rounds):
            form.query_one(ClabeInput).value = "012180000000000015"
            form.query_one(AmountInput).value = f"{1 + index}.00"
            await settle(pilot)
            form.action_review()
            await settle(pilot)
            confirm = app.screen
            assert isinstance(confirm, TransferConfirmScreen)
            start = time.perf_counter()
            confirm.action_send()
            seen = {}
            while True:
                screen = app.screen
                if isinstance(screen, TransferResultScreen):
                    seen.setdefault("result", time.perf_counter() - start)
                    if screen.is_mounted:
                        seen.setdefault("mounted", time.perf_counter() - start)
                if isinstance(screen, TransferResultScreen) and screen.is_mounted:
                    status = str(screen.query_one("#result-status").content)
                    if status.startswith("pending"):
                        break
                await asyncio.sleep(0.0005)
            ui.append(time.perf_counter() - start)
            switched.append(seen["result"])
            await pilot.press("n")
            await settle(pilot)

            request = TransferRequest(
                amount=100 + index,
                currency="MXN",
                account_id=account.id,
                counterparty={"account_number": "012180000000000015"},
            )
            start = time.perf_counter()
            await bare_client.create_transfer(request, idempotency_key=str(uuid.uuid4()))
            bare.append(time.perf_counter() - start)
    await bare_client.aclose()
    store.close()
    u, b = statistics.median(ui), statistics.median(bare)
    print(f"rounds: {rounds}")
    print(f"bare create_transfer       : median {b * 1e3:.2f} ms")
    p90 = sorted(ui)[int(0.9 * len(ui))]
    print(
        f"confirm -> result screen    : median {statistics.median(switched) * 1e3:.2f} ms"
        " (key, journal, sign, POST, journal, switch)"
    )
    print(f"confirm -> pending on screen: median {u * 1e3:.2f} ms (p90 {p90 * 1e3:.2f} ms)")
    print(f"ratio                       : {u / b:.2f}x (journal fsync + worker + screen switch)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    asyncio.run(main(parser.parse_args().rounds))
