"""The client's import stays lean: it is on the path to the app's first paint.

Checked in a fresh interpreter, since this test process has imported
everything already. Timing lives in bench/bench_startup.py, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

CODE = """
import json, sys
import fintoc_tui.api.client
from fintoc_tui.api import models
import httpx
built_at_import = [
    name for name in ("Account", "Transfer", "Movement", "TransferRequest")
    if getattr(models, name).__pydantic_complete__
]
accounts = models.parse_list(models.Account, b'[]')
error = models.ErrorBody.of("api_error", "x", "Something failed")
print(json.dumps({
    "loaded": sorted(m for m in ("click", "pygments", "httpx._main", "cryptography")
                     if m in sys.modules),
    "stub_main": callable(httpx.main),
    "built_at_import": built_at_import,
    "error_built": models.ErrorBody.__pydantic_complete__,
    "transfer_built": models.Transfer.__pydantic_complete__,
    "message": error.error.message,
}))
"""


def _run() -> dict:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_client_import_skips_httpx_cli_and_cryptography():
    result = _run()
    assert result["loaded"] == []
    assert result["stub_main"]  # httpx still has its `main`, the no-CLI stub


def test_models_build_their_validators_on_first_use():
    result = _run()
    assert result["built_at_import"] == []
    assert result["error_built"] is True  # built when first used...
    assert result["transfer_built"] is False  # ...and only then
    assert result["message"] == "Something failed"


def test_httpx_cli_still_importable_after_the_client():
    code = "import fintoc_tui.api.client, httpx._main, sys; print('click' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
