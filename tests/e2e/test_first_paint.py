"""`fintoc-tui --sandbox` paints its accounts before the client stack is imported.

Start-up time is measured in bench/bench_startup.py, never asserted; what a
test can hold fixed is the reason it is fast: the first frame comes from the
sandbox's state file read with the standard library (`sandbox.state_peek`),
and httpx, pydantic, cryptography and keyring load only after it. The app runs in a real pseudo-terminal at 120x36 and writes,
through its bench hook, every module imported when the table was painted.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

from fintoc_tui.testing.pty_run import run_in_pty

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

NOT_BEFORE_THE_FIRST_FRAME = (
    "pydantic",
    "pydantic_core",
    "httpx",
    "httpcore",
    "anyio",
    "cryptography",
    "keyring",
    "stdnum",
    "clabe.types",  # clabe's package (it imports pydantic); its bank table alone is fine
    "starlette",
    "uvicorn",
    "http.client",  # the prefetch reads its one response off a socket
    "email",
    "tomllib",  # read only when a config.toml exists (none here)
    "rich._emoji_codes",  # 0.9 MiB: tables show their text literally (widgets/literal_table.py)
)


def test_the_first_frame_needs_no_client_stack(tmp_path):
    home = tmp_path / "home"
    marker = tmp_path / "painted.json"
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "FINTOC_TUI_HOME": str(home),
        "FINTOC_TUI_BENCH_MARKER": str(marker),
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
    }
    argv = [sys.executable, "-m", "fintoc_tui", "--sandbox"]
    # The first run seeds the sandbox, as a person's first run does: in a child
    # of its own while the app loads Textual, so this process never imports
    # the sandbox's store, and it still paints from the state file.
    assert run_in_pty(argv, env).returncode == 0
    first = set(json.loads(marker.read_text())["modules"])
    assert "fintoc_tui.sandbox.state_peek" in first
    assert "fintoc_tui.sandbox.seed" not in first and "fintoc_tui.sandbox.store" not in first
    assert (home / "data" / "sandbox.sqlite3").exists()
    marker.unlink()
    run = run_in_pty(argv, env)
    assert run.returncode == 0 and not run.timed_out
    painted = json.loads(marker.read_text())
    assert run.started_at < painted["painted_at"] < run.exited_at
    loaded = set(painted["modules"])
    assert "fintoc_tui.ui.accounts.accounts_screen" in loaded
    assert "fintoc_tui.api.prefetch" in loaded
    # Read from the sandbox's state file (stdlib sqlite3), not from the sandbox:
    # its server stack is not loaded, in the app or (before this frame) at all.
    assert "fintoc_tui.sandbox.state_peek" in loaded
    early = sorted(
        name
        for name in loaded
        if any(name == m or name.startswith(m + ".") for m in NOT_BEFORE_THE_FIRST_FRAME)
    )
    assert early == [], f"imported before the accounts were painted: {early}"
