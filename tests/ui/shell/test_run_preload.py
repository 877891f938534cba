"""`fintoc-tui` warms the client stack before Textual, so the first request pays no imports."""

from __future__ import annotations

import json
import subprocess
import sys

CODE = """
import json, sys
from fintoc_tui.ui.shell.run import _preload_client
_preload_client()
print(json.dumps(sorted(
    m for m in ("httpx", "httpcore", "h11", "anyio._backends._asyncio", "pydantic.plugin._loader",
                "textual", "click", "cryptography")
    if m in sys.modules
)))
"""


def test_preload_warms_the_request_path_without_textual():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [
        "anyio._backends._asyncio",
        "h11",
        "httpcore",
        "httpx",
        "pydantic.plugin._loader",
    ]
