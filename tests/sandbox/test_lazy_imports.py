"""The sandbox starts without the client's heavy imports, and its shortcuts agree with them.

`fintoc-tui --sandbox` waits for the sandbox to announce itself, so what the
sandbox imports before listening is on the app's start-up path: pydantic
models only when a POST arrives, httpx only when a connection drop is faked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

from fintoc_tui.api.models import ErrorBody, TransferStatus
from fintoc_tui.sandbox.errors import DOC_URL, error_body
from fintoc_tui.sandbox.filters import STATUSES
from fintoc_tui.sandbox.keys import ensure_demo_key, public_key_file


def test_serving_accounts_imports_neither_pydantic_nor_httpx(tmp_path):
    from fintoc_tui.sandbox.seed import seed_store
    from fintoc_tui.sandbox.store import SandboxStore

    state = tmp_path / "state.sqlite"
    seeded = SandboxStore(state)
    seed_store(seeded, seed=7, transfers=5)  # seeding (a first run only) may use pydantic
    seeded.close()
    code = """
import sys
from fintoc_tui.clock import SystemClock
from fintoc_tui.sandbox.app import create_app
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore
from fintoc_tui.sandbox.faults import Faults
import urllib.request

from pathlib import Path
store = SandboxStore(Path(sys.argv[1]))
assert store.is_seeded()
app = create_app(store, SystemClock(), faults=Faults())
with SandboxServer(app) as server:
    req = urllib.request.Request(
        server.base_url + "/v2/accounts",
        headers={"Authorization": "sk_test_sandbox_0000000000000000000000"},
    )
    with urllib.request.urlopen(req) as resp:
        accounts = len(__import__("json").loads(resp.read()))
print(accounts, sorted(m for m in ("pydantic", "httpx", "click") if m in sys.modules))
"""
    out = subprocess.run(
        [sys.executable, "-c", code, str(state)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    ).stdout.split(maxsplit=1)
    assert int(out[0]) > 0
    # click comes with `import uvicorn` (uvicorn.main); pydantic and httpx must not.
    assert "pydantic" not in out[1] and "httpx" not in out[1]


def test_statuses_match_the_client_enum():
    assert {s.value for s in TransferStatus} == STATUSES


def test_error_body_matches_the_client_model():
    for args in (("api_error", "c", "m", None), ("invalid_request_error", None, "m", "p")):
        expected = ErrorBody.of(*args, DOC_URL).to_api_dict()
        assert json.loads(error_body(*args)) == expected


def test_demo_public_key_is_cached_and_rederived_when_the_key_changes(tmp_path):
    from fintoc_tui.api.jws import generate_keypair, public_pem_from_private

    path = tmp_path / "demo.pem"
    _, public = ensure_demo_key(path)
    assert public == public_pem_from_private(path.read_bytes())
    assert public_key_file(path).read_bytes() == public
    assert ensure_demo_key(path)[1] == public
    # A replaced private key (newer than the cache) gets its own public half.
    new_private, new_public = generate_keypair()
    assert new_public != public
    path.write_bytes(new_private)
    os.utime(public_key_file(path), ns=(0, 0))
    assert ensure_demo_key(path)[1] == public_pem_from_private(new_private) != public
    # A cache that is not a public PEM is ignored.
    public_key_file(path).write_bytes(b"junk")
    assert ensure_demo_key(path)[1] == public_pem_from_private(new_private)


async def test_first_response_event_is_set_once_a_request_is_answered():
    import threading

    import httpx

    from fintoc_tui.clock import ManualClock
    from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
    from fintoc_tui.sandbox.cli import _FirstResponse
    from fintoc_tui.sandbox.seed import seed_store
    from fintoc_tui.sandbox.store import SandboxStore

    store = SandboxStore(None)
    clock = ManualClock(datetime(2026, 1, 5, 12, tzinfo=UTC))
    seed_store(store, seed=7, transfers=3, now=clock.now())
    event = threading.Event()
    wrapped = _FirstResponse(create_app(store, clock), event)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(wrapped), base_url="http://sandbox"
    ) as http:
        assert not event.is_set()
        response = await http.get("/v2/accounts", headers={"Authorization": SANDBOX_SECRET_KEY})
    assert response.status_code == 200 and response.json()
    assert event.is_set()


def test_warm_post_path_builds_the_request_validators():
    code = (
        "from fintoc_tui.sandbox.cli import _warm_post_path\n"
        "from fintoc_tui.api import models\n"
        "before = models.TransferRequest.__pydantic_complete__\n"
        "_warm_post_path()\n"
        "print(before, models.TransferRequest.__pydantic_complete__,"
        " models.SimulateReceiveTransferRequest.__pydantic_complete__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "True"]
