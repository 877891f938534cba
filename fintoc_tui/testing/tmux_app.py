"""The installed `fintoc-tui` in a real terminal (tmux), driven as a person drives it.

Shared by the end-to-end tests (`tests/e2e/test_*terminal.py`): start the app
in a detached 120x36 session with only the variables a person's shell would
give it, press keys at a person's pace, and poll the pane for what must show.
Polling is the only way to wait on an outside terminal; every wait is
bounded and says what it waited for.
"""

from __future__ import annotations

import itertools
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

DEADLINE_S = 45.0
"""How long a wait may take before it fails, naming what it waited for."""

_sessions = itertools.count()


def tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check)


def capture(session: str) -> str:
    """The pane's text as it is now."""
    return tmux("capture-pane", "-p", "-t", session, check=False).stdout


def wait_for(session: str, predicate: Callable[[str], bool], what: str) -> str:
    """Poll the pane until `predicate(screen)` holds; bounded by `DEADLINE_S`."""
    deadline = time.monotonic() + DEADLINE_S
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(session)
        if predicate(screen):
            return screen
        time.sleep(0.2)  # polling an outside terminal: there is nothing to await
    raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


def type_keys(session: str, *keys: str) -> None:
    """Press keys one at a time, at a person's pace.

    Keys sent in one burst right after a Tab sometimes reach the field the
    focus is leaving (seen on the transfer form); a person never types that
    fast, and each step of a test is checked on screen before the next.
    """
    for key in keys:
        tmux("send-keys", "-t", session, key)
        time.sleep(0.1)
    time.sleep(0.4)


def fill_mx_transfer(session: str, mode_key: str, clabe: str, amount: str, minor: int) -> None:
    """Open the transfer form with `mode_key` and type a CLABE and an amount, as a person would.

    The MXN account comes first and is chosen; the focus chain is body,
    account, test counterparty, CLABE, holder, RFC, amount. Each step is
    checked on screen: the CLABE accepted, the amount read as `minor` units.
    """
    type_keys(session, mode_key)
    wait_for(session, lambda s: "New transfer" in s, "the transfer form")
    type_keys(session, "Tab", "Tab", "Tab")
    type_keys(session, *clabe)
    wait_for(session, lambda s: "check digit OK" in s, "the CLABE accepted")
    type_keys(session, "Tab", "Tab", "Tab")
    type_keys(session, *amount)
    wait_for(session, lambda s: f"sends amount={minor}" in s, "the amount")


@contextmanager
def app_in_tmux(home: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """The installed `fintoc-tui ARGS` in a detached 120x36 tmux session; yields its name.

    Only the variables given reach the app (plus a private home, the
    in-memory keyring and a terminal type), as in a person's shell. On the
    way out it presses `q` and waits for the app to go.
    """
    assert shutil.which("tmux"), "tmux is needed (CI installs it)"
    exe = Path(sys.executable).parent / "fintoc-tui"
    assert exe.exists(), "install the package first: pip install -e ."
    session = f"fintoc-e2e-{os.getpid()}-{next(_sessions)}"
    variables = {
        "FINTOC_TUI_HOME": str(home),
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
        "TERM": "xterm-256color",
        **(env or {}),
    }
    command = " ".join(
        [f"{name}={shlex.quote(value)}" for name, value in variables.items()]
        + [shlex.quote(str(exe)), *map(shlex.quote, args)]
    )
    # Size the window before the app starts (a detached session may default to 80x24).
    tmux("-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "36")
    try:
        tmux("resize-window", "-t", session, "-x", "120", "-y", "36")
        tmux("respawn-pane", "-k", "-t", session, f"env -i {command}")
        yield session
        tmux("send-keys", "-t", session, "q")
        wait_for(
            session,
            lambda s: (
                tmux("has-session", "-t", session, check=False).returncode != 0
                or "fintoc-tui" not in s
            ),
            "the app to quit",
        )
    finally:
        tmux("kill-session", "-t", session, check=False)
