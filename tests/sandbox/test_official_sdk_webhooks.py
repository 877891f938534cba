"""The official Python SDK manages webhook endpoints and verifies a delivery the sandbox made.

As a backend developer would: the script (in the SDK's own venv, see
test_official_sdk.py) runs its own receiver on a loopback port, registers it
with `client.webhook_endpoints.create`, sends a transfer with the SDK, and
checks the delivery of `transfer.outbound.succeeded` with the SDK's own
`WebhookSignature.verify_header`. The sandbox runs on the wall clock (the
SDK checks the signature's timestamp against it) with its delivery thread.
The Node SDK is not part of the SDK test setup, so it is not checked here.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from fintoc_tui.clock import SystemClock
from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore
from fintoc_tui.sandbox.webhook_delivery import WebhookDispatcher
from scripts import sdk_venv

pytestmark = pytest.mark.e2e

SCRIPT = textwrap.dedent(
    """
    import json, os, threading, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from fintoc import Fintoc
    from fintoc.errors import WebhookSignatureError
    from fintoc.webhook import WebhookSignature

    received = []
    arrived = threading.Condition()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["content-length"]))
            with arrived:
                received.append((body.decode(), self.headers["Fintoc-Signature"]))
                arrived.notify_all()
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/fintoc"

    client = Fintoc(os.environ["SANDBOX_KEY"], jws_private_key=os.environ["SANDBOX_PEM"])
    client._client.base_url = os.environ["SANDBOX_URL"]
    out = {}
    endpoint = client.webhook_endpoints.create(
        url=url, enabled_events=["transfer.outbound.succeeded"], description="SDK"
    )
    secret = endpoint.secret
    out["created"] = {"id": endpoint.id, "status": endpoint.status, "has_secret": bool(secret)}
    out["listed_secrets"] = [e.secret for e in client.webhook_endpoints.list()]
    out["fetched_secret"] = client.webhook_endpoints.get(endpoint.id).secret

    mx = next(a for a in client.v2.accounts.list() if a.currency == "MXN")
    transfer = client.v2.transfers.create(
        amount=4321, currency="mxn", account_id=mx.id,
        counterparty={"account_number": "012180000000000015", "holder_name": "SDK Webhook"},
    )
    with arrived:  # the sandbox settles it and delivers on its own; no more API calls
        arrived.wait_for(lambda: received, 60)
    body, header = received[0]
    event = json.loads(body)
    out["event"] = {"type": event["type"], "id": event["data"]["id"], "status": event["data"]["status"]}
    out["transfer_id"] = transfer.id
    out["verified"] = WebhookSignature.verify_header(body, header, secret)
    try:
        WebhookSignature.verify_header(body, header, "whsec_not_the_secret")
    except WebhookSignatureError as exc:
        out["wrong_secret"] = str(exc)

    client.webhook_endpoints.test(endpoint.id, type="transfer.outbound.succeeded")
    with arrived:
        arrived.wait_for(lambda: len(received) >= 2, 60)
    out["test_verified"] = WebhookSignature.verify_header(*received[1], secret)

    updated = client.webhook_endpoints.update(endpoint.id, status="disabled")
    out["updated"] = updated.status
    client.webhook_endpoints.delete(endpoint.id)
    out["after_delete"] = [e.id for e in client.webhook_endpoints.list()]
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def sdk() -> Path:
    if not sdk_venv.ready():
        pytest.fail(
            f"The fintoc SDK venv is missing ({sdk_venv.CACHE}). Build it once with "
            "`.venv/bin/python -m scripts.sdk_venv` (scripts/test and .ci/run do); "
            "the tests themselves never install packages."
        )
    return sdk_venv.PYTHON


def test_official_sdk_verifies_a_delivery_the_sandbox_made(sdk, tmp_path, keypair):
    clock = SystemClock()  # the SDK checks the signature's timestamp on the real time
    store = SandboxStore(None)
    seed_store(store, transfers=10, now=clock.now())
    app = create_app(store, clock, jws_public_pems=[keypair[1]], settle_after=0.5)
    pem = tmp_path / "sdk_private.pem"
    pem.write_bytes(keypair[0])
    script = tmp_path / "sdk_webhooks.py"
    script.write_text(SCRIPT)
    with (
        SandboxServer(app) as server,
        WebhookDispatcher(store, clock, settle_after=0.5, poll_interval=0.1),
    ):
        env = {
            "PATH": os.environ.get("PATH", ""),
            "SANDBOX_URL": server.base_url,
            "SANDBOX_KEY": SANDBOX_SECRET_KEY,
            "SANDBOX_PEM": str(pem),
        }
        result = subprocess.run(
            [str(sdk), str(script)], capture_output=True, text=True, env=env, timeout=180
        )
    store.close()
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["created"]["status"] == "enabled" and out["created"]["has_secret"] is True
    assert out["listed_secrets"] == [None] and out["fetched_secret"] is None
    assert out["event"] == {
        "type": "transfer.outbound.succeeded",
        "id": out["transfer_id"],
        "status": "succeeded",
    }
    assert out["verified"] is True  # the SDK's own verifier accepts the sandbox's signature
    assert out["wrong_secret"] == "Signature mismatch"
    assert out["test_verified"] is True
    assert out["updated"] == "disabled"
    assert out["after_delete"] == []
