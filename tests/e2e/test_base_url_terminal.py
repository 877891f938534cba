"""The installed `fintoc-tui --env test --base-url URL` in a real terminal (tmux), talking to a
`fintoc-tui sandbox` started beforehand on a loopback port: its accounts, TEST, and the URL."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
from fintoc_tui.testing.tmux_app import tmux, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


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
        tmux("-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "36")
        tmux("resize-window", "-t", session, "-x", "120", "-y", "36")
        tmux("respawn-pane", "-k", "-t", session, f"env {command}")
        screen = wait_for(session, lambda s: "Total MXN" in s, "the sandbox's accounts")
        header = screen.splitlines()[0]
        assert "TEST" in header and f"server {url}" in header, header
        assert "Traceback" not in screen
        tmux("send-keys", "-t", session, "q")
    finally:
        tmux("kill-session", "-t", session, check=False)
        sandbox.terminate()
        sandbox.wait(timeout=10)
