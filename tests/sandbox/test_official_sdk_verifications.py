"""The official Python SDK verifies a CLABE and lists account verifications from the sandbox.

Runs fintoc 2.26.0 in its own venv (`scripts/sdk_venv.py`, as
test_official_sdk.py does) against a sandbox on a loopback port: `create`
with the SDK's own JWS signing, `get`, and `list` following our `Link` header.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

import pytest

from fintoc_tui.clock import SystemClock
from fintoc_tui.sandbox import verifications
from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore
from scripts import sdk_venv

CLABES = ["646180000000000054", "014180000000000026", "012180000000000015"]

SCRIPT = textwrap.dedent(
    """
    import json, os
    from fintoc import Fintoc

    client = Fintoc(os.environ["SANDBOX_KEY"], jws_private_key=os.environ["SANDBOX_PEM"])
    client._client.base_url = os.environ["SANDBOX_URL"]  # the SDK has no base-URL option
    made = [
        client.v2.account_verifications.create(account_number=clabe)
        for clabe in json.loads(os.environ["CLABES"])
    ]
    out = {
        "created": [(v.id, v.status, v.counterparty.account_number) for v in made],
        "fetched": client.v2.account_verifications.get(made[0].id).id,
        "listed": [
            (v.id, v.status, v.transfer_id)
            for v in client.v2.account_verifications.list(limit=2)
        ],
    }
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def sdk():
    if not sdk_venv.ready():
        pytest.fail(
            f"The fintoc SDK venv is missing ({sdk_venv.CACHE}). Build it once with "
            "`.venv/bin/python -m scripts.sdk_venv`; the tests never install packages."
        )
    return sdk_venv.PYTHON


def test_the_sdk_creates_gets_and_lists_account_verifications(sdk, tmp_path, keypair):
    clock = SystemClock()  # the SDK signs with the real time
    store = SandboxStore(None)
    seed_store(store, transfers=10, now=clock.now())
    app = create_app(store, clock, jws_public_pems=[keypair[1]], settle_after=0)
    pem = tmp_path / "sdk_private.pem"
    pem.write_bytes(keypair[0])
    script = tmp_path / "sdk_verifications.py"
    script.write_text(SCRIPT)
    with SandboxServer(app) as server:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "SANDBOX_URL": server.base_url,
            "SANDBOX_KEY": SANDBOX_SECRET_KEY,
            "SANDBOX_PEM": str(pem),
            "CLABES": json.dumps(CLABES),
        }
        result = subprocess.run(
            [str(sdk), str(script)], capture_output=True, text=True, env=env, timeout=120
        )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    ids = [v[0] for v in out["created"]]
    assert [v[2] for v in out["created"]] == CLABES
    assert all(v[1] == "pending" for v in out["created"])
    assert out["fetched"] == ids[0]
    # Newest first, two per page, every page followed: all three, settled by now.
    assert [v[0] for v in out["listed"]] == ids[::-1]
    assert [v[1] for v in out["listed"]] == ["succeeded", "failed", "succeeded"]
    with store.reading() as db:
        rows = dict(db.execute("SELECT id, transfer_id FROM account_verifications"))
    assert [v[2] for v in out["listed"]] == [rows[i] for i in ids[::-1]]
    done = store.get("account_verifications", ids[0])
    assert done["counterparty"]["holder_name"] == verifications.registered_holder(CLABES[0])[0]
    store.close()
