"""The official Python SDK lists, creates, updates and deletes account numbers, and lists
statements, against the sandbox (issue 14). Runs in the SDK's own venv, as
tests/sandbox/test_official_sdk.py does (scripts/sdk_venv.py)."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from datetime import UTC, datetime

import pytest

from fintoc_tui.clock import ManualClock
from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
from fintoc_tui.sandbox.seed import seed_store
from fintoc_tui.sandbox.server import SandboxServer
from fintoc_tui.sandbox.store import SandboxStore
from scripts import sdk_venv

pytestmark = pytest.mark.e2e

SCRIPT = textwrap.dedent(
    """
    import json, os
    from fintoc import Fintoc

    client = Fintoc(os.environ["SANDBOX_KEY"])
    client._client.base_url = os.environ["SANDBOX_URL"]
    out = {}
    mx = next(a for a in client.v2.accounts.list() if a.currency == "MXN")
    made = client.v2.account_numbers.create(
        account_id=mx.id, description="Desde el SDK", metadata={"canal": "sdk"},
        options={"min_amount": 100, "max_amount": 9000},
    )
    out["made"] = {"id": made.id, "number": made.number, "status": made.status,
                   "description": made.description}
    updated = client.v2.account_numbers.update(made.id, status="disabled")
    out["updated"] = updated.status
    out["quiet"] = sorted(
        n.id for n in client.v2.account_numbers.list(
            account_id=mx.id, no_transfers_since="2025-09-02", limit=2)
    )
    client.v2.account_numbers.delete(made.id)
    out["after_delete"] = client.v2.account_numbers.get(made.id).status
    out["statements"] = [
        {"id": s.id, "start": s.start_date, "credited": s.total_credited_cents,
         "debited": s.total_debited_cents, "url": s.download_url}
        for s in client.v2.accounts.account_statements.list(account_id=mx.id)
    ]
    print(json.dumps(out, default=str))
    """
)


def test_official_sdk_manages_account_numbers_and_lists_statements(tmp_path):
    if not sdk_venv.ready():
        pytest.fail(
            f"The fintoc SDK venv is missing ({sdk_venv.CACHE}). Build it once with "
            "`.venv/bin/python -m scripts.sdk_venv`."
        )
    clock = ManualClock(datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC))
    store = SandboxStore(None)
    seed_store(store, transfers=120, now=clock.now())
    script = tmp_path / "sdk_accounts.py"
    script.write_text(SCRIPT)
    with SandboxServer(create_app(store, clock)) as server:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "SANDBOX_URL": server.base_url,
            "SANDBOX_KEY": SANDBOX_SECRET_KEY,
        }
        result = subprocess.run(
            [str(sdk_venv.PYTHON), str(script)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    made = out["made"]
    stored = store.get("account_numbers", made["id"])
    assert stored["number"] == made["number"] and made["number"].startswith("735969")
    assert made["description"] == "Desde el SDK" and made["status"] == "enabled"
    assert out["updated"] == "disabled"
    # Paged by 2 with the SDK's paginator; the new number (no transfers) is among them.
    assert made["id"] in out["quiet"]
    assert out["after_delete"] == "deleted" and stored["status"] == "deleted"
    assert [s["start"][:7] for s in out["statements"]] == ["2025-08", "2025-07", "2025-06"]
    assert all(s["id"].startswith("acst_") and s["url"].endswith(".pdf") for s in out["statements"])
    store.close()
