"""One sandbox launcher for the app and the commands, and it keeps the person's secrets out.

`fintoc-tui --sandbox` (through `ui/shell/sandbox_link`) and `fintoc-tui
--env sandbox COMMAND` (through `commands/connection`) both start
`sandbox_process.SandboxProcess`; its child must never hold a FINTOC_* secret
in /proc/<pid>/environ, and its log is private.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from fintoc_tui import sandbox_process
from fintoc_tui.sandbox_process import SandboxProcess, child_environment

LIVE_KEY = "sk_live_" + "NeverInTheChild00000000"


def test_the_app_and_the_commands_share_one_launcher():
    from fintoc_tui.ui.shell import sandbox_link

    assert sandbox_link.SandboxProcess is SandboxProcess
    assert sandbox_link.SandboxInfo is sandbox_process.SandboxInfo
    assert sandbox_link.SandboxStartError is sandbox_process.SandboxStartError


def test_child_environment_drops_every_fintoc_variable_but_the_home():
    parent = {
        "PATH": "/usr/bin",
        "FINTOC_TUI_HOME": "/tmp/home",
        "FINTOC_LIVE_SECRET_KEY": LIVE_KEY,
        "fintoc_secret_key": LIVE_KEY,
        "FINTOC_JWS_PRIVATE_KEY_FILE": "/secrets/jws.pem",
        "FINTOC_BASE_URL": "https://proxy.example",
    }
    assert child_environment(parent) == {"PATH": "/usr/bin", "FINTOC_TUI_HOME": "/tmp/home"}


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_started_sandbox_holds_no_secret_and_its_log_is_private(isolated_home, monkeypatch):
    monkeypatch.setenv("FINTOC_LIVE_SECRET_KEY", LIVE_KEY)
    monkeypatch.setenv("FINTOC_TEST_JWS_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----")
    sandbox = SandboxProcess(ephemeral=True)
    try:
        info = sandbox.wait(timeout=60)
        assert info.base_url.startswith("http://127.0.0.1:")
        environ = Path(f"/proc/{sandbox.process.pid}/environ").read_bytes()
        assert LIVE_KEY.encode() not in environ
        assert b"BEGIN PRIVATE KEY" not in environ
        assert b"FINTOC_TUI_HOME=" in environ
        log = isolated_home / "data" / "sandbox.log"
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
    finally:
        sandbox.close()
