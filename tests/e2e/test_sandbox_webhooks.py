"""`fintoc-tui sandbox` delivers webhooks on its own and prints each delivery (issue 14 §9).

The real command runs as a child process; nobody calls the API after the
simulated transfer is created, so the delivery proves the background thread
both settles the transfer and sends its event. The printed line names the
event type, the receiver's URL, its HTTP status and the attempt.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import httpx
import pytest

from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.events import verify_signature
from fintoc_tui.testing.webhook_receiver import Receiver

pytestmark = pytest.mark.e2e


def test_the_sandbox_command_delivers_and_prints_each_delivery():
    child = subprocess.Popen(
        [
            sys.executable, "-m", "fintoc_tui", "sandbox", "--port", "0", "--ephemeral",
            "--seed-transfers", "5", "--settle-after", "0.2", "--announce-json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    lines: list[str] = []
    printed = threading.Condition()

    def read_stderr() -> None:
        assert child.stderr is not None
        for line in child.stderr:
            with printed:
                lines.append(line)
                printed.notify_all()

    threading.Thread(target=read_stderr, daemon=True).start()
    try:
        assert child.stdout is not None
        base_url = json.loads(child.stdout.readline())["base_url"]
        with (
            Receiver(statuses=(503, 200)) as receiver,
            httpx.Client(base_url=base_url, headers={"Authorization": SANDBOX_SECRET_KEY}) as api,
        ):
            endpoint = api.post(
                "/v1/webhook_endpoints",
                json={"url": receiver.url, "enabled_events": ["transfer.inbound.succeeded"]},
            ).json()
            mx = next(a for a in api.get("/v2/accounts").json() if a["currency"] == "MXN")
            created = api.post(
                "/v2/simulate/receive_transfer",
                json={
                    "account_number_id": mx["root_account_number_id"],
                    "amount": 1_500,
                    "currency": "MXN",
                },
            ).json()
            # First answer 503: the retry 5 s later is the second delivery.
            got = receiver.wait_for(2, timeout=60)
            with printed:  # both attempts printed (a bound, not a timed assertion)
                printed.wait_for(lambda: sum(x.startswith("webhook ") for x in lines) >= 2, 30)
    finally:
        child.terminate()
        child.wait(timeout=30)
    assert len(got) == 2 and got[0].body == got[1].body
    event = json.loads(got[1].body)
    assert event["type"] == "transfer.inbound.succeeded"
    assert event["data"]["id"] == created["id"] and event["data"]["status"] == "succeeded"
    header = got[1].headers["fintoc-signature"]
    timestamp = int(header.split(",")[0].removeprefix("t="))
    verify_signature(got[1].body, header, endpoint["secret"], now=timestamp)
    deliveries = [line.rstrip("\n") for line in lines if line.startswith("webhook ")]
    assert deliveries[:2] == [
        f"webhook transfer.inbound.succeeded → {receiver.url}: HTTP 503 (attempt 1 of 8); "
        "next try in 5 s",
        f"webhook transfer.inbound.succeeded → {receiver.url}: HTTP 200 (attempt 2 of 8)",
    ]
    assert endpoint["secret"] not in "".join(lines)  # the secret is never printed
