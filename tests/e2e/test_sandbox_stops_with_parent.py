"""A sandbox child stops when the process that started it dies, even by `kill -9`.

The child arms the death signal itself (`sandbox.cli.stop_with_parent`,
`--parent-pid`), so the app needs neither `ctypes` nor a `preexec_fn` (unsafe
in a process with threads) to get it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's"),
]

PARENT = """
import sys
from fintoc_tui.sandbox_process import SandboxProcess
sandbox = SandboxProcess(ephemeral=True)
sandbox.wait()
print(sandbox.process.pid, flush=True)
sys.stdin.read()  # until killed
"""


def _alive(pid: int) -> bool:
    """Running (a zombie nobody reaped has stopped: a container's pid 1 may not reap)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_the_sandbox_stops_when_its_parent_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    assert f"--parent-pid\0{parent.pid}\0" in Path(f"/proc/{child}/cmdline").read_text()
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 20  # a liveness wait, not a speed check
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    stopped = not _alive(child)
    if not stopped:
        os.kill(child, signal.SIGKILL)
    assert stopped, "the sandbox outlived the process that started it"


def test_a_sandbox_whose_parent_is_already_gone_does_not_start():
    # Its parent is this test, not pid 1: as if the app had died before the child ran.
    argv = ["sandbox", "--ephemeral", "--port", "0", "--announce-json", "--parent-pid", "1"]
    run = subprocess.run(
        [sys.executable, "-m", "fintoc_tui", *argv],
        capture_output=True,
        timeout=60,
    )
    assert run.returncode == 0
    assert run.stdout == b""  # never listened, never announced
