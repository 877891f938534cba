"""The installed `fintoc-tui --sandbox` in a real terminal (tmux): the balances on screen
are the balances in the sandbox's state file."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fintoc_tui.money import format_amount

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DEADLINE_S = 45.0
BALANCE_RE = re.compile(r"\$[0-9][0-9.,]* (MXN|CLP)")


def _tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check)


def _capture(session: str) -> str:
    return _tmux("capture-pane", "-p", "-t", session, check=False).stdout


def _wait_for(session: str, predicate, what: str) -> str:
    """Poll the pane until predicate(screen) holds; bounded by DEADLINE_S."""
    deadline = time.monotonic() + DEADLINE_S
    screen = ""
    while time.monotonic() < deadline:
        screen = _capture(session)
        if predicate(screen):
            return screen
        time.sleep(0.2)  # polling an outside terminal: there is nothing to await
    raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


def test_sandbox_accounts_in_a_real_terminal(tmp_path):
    assert shutil.which("tmux"), "tmux is needed (CI installs it)"
    exe = Path(sys.executable).parent / "fintoc-tui"
    assert exe.exists(), "install the package first: pip install -e ."
    home = tmp_path / "home"
    session = f"fintoc-e2e-{os.getpid()}"
    env = {
        "FINTOC_TUI_HOME": str(home),
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
        "TERM": "xterm-256color",
    }
    command = " ".join(
        [f"{name}={shlex.quote(value)}" for name, value in env.items()]
        + [shlex.quote(str(exe)), "--sandbox"]
    )
    # Size the window before the app starts (a detached session may default to 80x24).
    _tmux("-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "36")
    try:
        _tmux("resize-window", "-t", session, "-x", "120", "-y", "36")
        _tmux("respawn-pane", "-k", "-t", session, f"env {command}")
        screen = _wait_for(session, lambda s: "Total MXN" in s, "the accounts table")
        assert "SANDBOX" in screen
        assert "Traceback" not in screen

        from fintoc_tui.sandbox.store import SandboxStore

        store = SandboxStore(home / "data" / "sandbox.sqlite3")
        try:
            expected = {
                format_amount(balance, store.get("accounts", account_id)["currency"])
                for account_id, balance in store.balances().items()
            }
        finally:
            store.close()
        account_lines = [line for line in screen.splitlines() if "Total" not in line]
        shown = {m.group(0) for line in account_lines for m in BALANCE_RE.finditer(line)}
        assert expected and shown == expected, screen

        _tmux("send-keys", "-t", session, "q")
        _wait_for(
            session,
            lambda s: (
                _tmux("has-session", "-t", session, check=False).returncode != 0
                or "Total MXN" not in s
            ),
            "the app to quit",
        )
    finally:
        _tmux("kill-session", "-t", session, check=False)
