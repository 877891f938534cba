"""The installed `fintoc-tui --env test --base-url URL` in a real terminal (tmux), talking to a
`fintoc-tui sandbox` started beforehand on a loopback port: its accounts, TEST, and the URL."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DEADLINE_S = 45.0


def _tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check)


def _wait_for(session: str, predicate, what: str) -> str:
    """Poll the pane until predicate(screen) holds; bounded by DEADLINE_S."""
    deadline = time.monotonic() + DEADLINE_S
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session, check=False).stdout
        if predicate(screen):
            return screen
        time.sleep(0.2)  # polling an outside terminal: there is nothing to await
    raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


def test_test_mode_at_a_sandbox_you_started(tmp_path):
    assert shutil.which("tmux"), "tmux is needed (CI installs it)"
    exe = Path(sys.executable).parent / "fintoc-tui"
    assert exe.exists(), "install the package first: pip install -e ."
    home = tmp_path / "home"
    base = {
        "PATH": os.environ.get("PATH", ""),
        "FINTOC_TUI_HOME": str(home),
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
    }
    sandbox = subprocess.Popen(
        [str(exe), "sandbox", "--port", "0", "--ephemeral", "--announce-json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=base,
        text=True,
    )
    session = f"fintoc-base-url-{os.getpid()}"
    try:
        assert sandbox.stdout is not None
        url = json.loads(sandbox.stdout.readline())["base_url"].rstrip("/")
        env = {**base, "TERM": "xterm-256color", "FINTOC_TEST_SECRET_KEY": SANDBOX_SECRET_KEY}
        command = " ".join(
            [f"{name}={shlex.quote(value)}" for name, value in env.items()]
            + [shlex.quote(str(exe)), "--env", "test", "--base-url", shlex.quote(url)]
        )
        _tmux("-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "36")
        _tmux("resize-window", "-t", session, "-x", "120", "-y", "36")
        _tmux("respawn-pane", "-k", "-t", session, f"env {command}")
        screen = _wait_for(session, lambda s: "Total MXN" in s, "the sandbox's accounts")
        header = screen.splitlines()[0]
        assert "TEST" in header and f"server {url}" in header, header
        assert "Traceback" not in screen
        _tmux("send-keys", "-t", session, "q")
    finally:
        _tmux("kill-session", "-t", session, check=False)
        sandbox.terminate()
        sandbox.wait(timeout=10)
