"""The official Python SDK (`pip install fintoc`) works against the sandbox unchanged.

The SDK pins an old `cryptography`, so it lives in its own venv under
.cache/, built before the tests by `scripts/test` and `.ci/run`
(`scripts/sdk_venv.py`: the suite itself installs nothing); the script below runs there,
against a sandbox on a loopback port in this process. It lists accounts,
creates a transfer with the SDK's own JWS signing, pages with the SDK's
paginator (which follows our `Link` header as is), filters movements,
simulates an inbound transfer and returns one, reads errors as the SDK's own
error classes, and checks an event signed by `sandbox/events.py` with the
SDK's own `WebhookSignature`.
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
from fintoc_tui.sandbox.events import event_body, event_object, signature_header
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore
from scripts import sdk_venv

SCRIPT = textwrap.dedent(
    """
    import json, os, time
    from importlib.metadata import version
    from fintoc import Fintoc
    from fintoc.errors import AuthenticationError, InvalidRequestError, WebhookSignatureError
    from fintoc.webhook import WebhookSignature

    client = Fintoc(os.environ["SANDBOX_KEY"], jws_private_key=os.environ["SANDBOX_PEM"])
    client._client.base_url = os.environ["SANDBOX_URL"]  # the SDK has no base-URL option
    out = {"version": version("fintoc")}  # fintoc.__version__ lags the release

    accounts = list(client.v2.accounts.list())
    out["accounts"] = sorted(a.currency for a in accounts)
    mx = next(a for a in accounts if a.currency == "MXN")
    out["balance_before"] = mx.available_balance

    created = client.v2.transfers.create(
        amount=59013,
        currency="mxn",
        account_id=mx.id,
        counterparty={"account_number": "012180000000000015", "holder_name": "SDK Test"},
        comment="desde el SDK",
        reference_id="1234",
    )
    out["created"] = {"id": created.id, "status": created.status, "amount": created.amount}
    out["fetched"] = client.v2.transfers.get(created.id).id
    out["balance_after"] = client.v2.accounts.get(mx.id).available_balance

    out["paged_succeeded"] = [t.id for t in client.v2.transfers.list(status="succeeded", limit=7)]
    out["paged_all"] = len(list(client.v2.transfers.list(limit=300)))
    out["movements"] = len(list(client.v2.accounts.movements.list(account_id=mx.id, limit=25)))
    out["movements_of_created"] = [
        (m.direction, m.amount, m.resource_id, m.return_pair_id)
        for m in client.v2.accounts.movements.list(account_id=mx.id, resource_id=created.id)
    ]
    out["account_numbers"] = len(list(client.v2.account_numbers.list(account_id=mx.id)))

    received = client.v2.simulate.receive_transfer(
        account_number_id=mx.root_account_number_id, amount=102000, currency="mxn"
    )
    out["received"] = {
        "direction": received.direction,
        "status": received.status,
        "post_date": str(received.post_date),  # the SDK makes it a datetime
        "institution": received.counterparty.institution.id,
    }
    # The simulated one is still on its way; return one that arrived earlier.
    arrived = next(iter(client.v2.transfers.list(direction="inbound", status="succeeded")))
    returned = client.v2.transfers.return_(transfer_id=arrived.id)
    out["returned"] = {"id": returned.id, "status": returned.status}
    try:
        client.v2.transfers.return_(transfer_id=received.id)
    except Exception as exc:  # the SDK's 409 class varies by version
        out["return_pending"] = str(exc)

    body, header = os.environ["EVENT_BODY"], os.environ["EVENT_SIGNATURE"]
    out["event_verified"] = WebhookSignature.verify_header(body, header, os.environ["EVENT_SECRET"])
    try:
        WebhookSignature.verify_header(body + " ", header, os.environ["EVENT_SECRET"])
    except WebhookSignatureError as exc:
        out["event_tampered"] = str(exc)

    try:
        client.v2.transfers.create(
            amount=100, currency="mxn", account_id=mx.id,
            counterparty={"account_number": "012180000000000016"},
        )
    except InvalidRequestError as exc:
        out["invalid"] = str(exc)
    try:
        client.v2.transfers.get("tr_doesnotexist")
    except InvalidRequestError as exc:
        out["missing"] = str(exc)
    try:
        bad = Fintoc("sk_test_wrong")
        bad._client.base_url = os.environ["SANDBOX_URL"]
        bad.v2.accounts.get(mx.id)  # lazy lists raise httpx errors, not the SDK's
    except AuthenticationError as exc:
        out["auth"] = str(exc)
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


def test_official_sdk_against_the_sandbox(sdk, tmp_path, keypair):
    clock = SystemClock()  # the SDK signs with the real time
    store = SandboxStore(None)
    seed_store(store, transfers=120, now=clock.now())
    app = create_app(store, clock, jws_public_pems=[keypair[1]], settle_after=3600)
    pem = tmp_path / "sdk_private.pem"
    pem.write_bytes(keypair[0])
    event = event_object(
        "evt_sandbox",
        "transfer.inbound.succeeded",
        {"object": "transfer", "id": "tr_x"},
        created_at="2025-09-02T15:59:10Z",
    )
    event_bytes = event_body(event)
    script = tmp_path / "sdk_script.py"
    script.write_text(SCRIPT)
    with SandboxServer(app) as server:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "SANDBOX_URL": server.base_url,
            "SANDBOX_KEY": SANDBOX_SECRET_KEY,
            "SANDBOX_PEM": str(pem),
            "EVENT_BODY": event_bytes.decode(),
            "EVENT_SECRET": "whsec_sandbox_test",
            "EVENT_SIGNATURE": signature_header(
                event_bytes, "whsec_sandbox_test", int(clock.time())
            ),
        }
        result = subprocess.run(
            [str(sdk), str(script)], capture_output=True, text=True, env=env, timeout=120
        )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["version"] == sdk_venv.SDK_VERSION
    assert out["accounts"] == ["CLP", "MXN"]
    assert out["created"]["status"] == "pending" and out["created"]["amount"] == 59013
    assert out["fetched"] == out["created"]["id"]
    assert out["balance_after"] == out["balance_before"] - 59013
    with store.reading() as db:
        succeeded = [
            r[0]
            for r in db.execute(
                # ... and the one the script returned after paging.
                "SELECT id FROM transfers WHERE status = 'succeeded' OR id = ? ORDER BY seq DESC",
                (out["returned"]["id"],),
            )
        ]
    assert out["paged_succeeded"] == succeeded  # 7 per page, every page followed by Link
    assert len(succeeded) > 7 * 3
    assert out["paged_all"] == 121
    # Listed before the return, which wrote one MX movement (the simulated
    # transfer, still pending, has none yet).
    assert out["movements"] == store.count("movements") - _clp_movements(store) - 1
    assert out["account_numbers"] == 3
    # The SDK reads the movement filter and return_pair_id: one debit, still unpaired.
    assert out["movements_of_created"] == [["outbound", 59013, out["created"]["id"], None]]
    received = out["received"]
    assert received["direction"] == "inbound" and received["status"] == "pending"
    assert received["post_date"].endswith(" 00:00:00") and len(received["institution"]) == 5
    assert out["returned"]["status"] == "return_pending"
    assert "invalid_transfer_status" in out["return_pending"]
    assert out["event_verified"] is True
    assert "Signature mismatch" in out["event_tampered"]
    assert "invalid_clabe" in out["invalid"] and "counterparty.account_number" in out["invalid"]
    assert "missing_resource" in out["missing"] and "No such transfer" in out["missing"]
    assert "invalid_api_key" in out["auth"]
    store.close()


def _clp_movements(store: SandboxStore) -> int:
    with store.reading() as db:
        (clp,) = db.execute("SELECT id FROM accounts WHERE currency = 'CLP'").fetchone()
        return db.execute("SELECT COUNT(*) FROM movements WHERE account_id = ?", (clp,)).fetchone()[
            0
        ]
