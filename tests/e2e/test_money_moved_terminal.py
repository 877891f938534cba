"""The bar of issue 11 §3, in a real terminal (tmux) with the installed app: send
$590.13 MXN by keyboard, press `1` — the balance is lower by exactly $590.13 with no
`r`; press `3` — the new transfer is the first row.

The figures expected come from the sandbox's own state file, read beside the app.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fintoc_tui.money import format_amount

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DEADLINE_S = 45.0
CLABE = "012180000000000015"
AMOUNT = 59013
TRANSFER_ID_RE = re.compile(r"\btr_[A-Za-z0-9]+")


def _tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check)


def _capture(session: str) -> str:
    return _tmux("capture-pane", "-p", "-t", session, check=False).stdout


def _wait_for(session: str, predicate: Callable[[str], bool], what: str) -> str:
    """Poll the pane until predicate(screen) holds; bounded by DEADLINE_S."""
    deadline = time.monotonic() + DEADLINE_S
    screen = ""
    while time.monotonic() < deadline:
        screen = _capture(session)
        if predicate(screen):
            return screen
        time.sleep(0.2)  # polling an outside terminal: there is nothing to await
    raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


def _type(session: str, *keys: str) -> None:
    """Press keys one at a time, at a person's pace (a burst after Tab can land early)."""
    for key in keys:
        _tmux("send-keys", "-t", session, key)
        time.sleep(0.1)
    time.sleep(0.4)


def _mxn_balance(home: Path) -> int:
    """The MXN account's balance, from the sandbox's state file."""
    from fintoc_tui.sandbox.store import SandboxStore

    store = SandboxStore(home / "data" / "sandbox.sqlite3")
    try:
        balances = store.balances()
        account_id = next(a for a in balances if store.get("accounts", a)["currency"] == "MXN")
        return balances[account_id]
    finally:
        store.close()


def _line_with(screen: str, text: str) -> str:
    return next((line for line in screen.splitlines() if text in line), "")


def test_a_send_shows_on_the_accounts_and_the_history_without_r(tmp_path):
    assert shutil.which("tmux"), "tmux is needed (CI installs it)"
    exe = Path(sys.executable).parent / "fintoc-tui"
    assert exe.exists(), "install the package first: pip install -e ."
    home = tmp_path / "home"
    session = f"fintoc-e2e-money-{os.getpid()}"
    env = {
        "FINTOC_TUI_HOME": str(home),
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
        "TERM": "xterm-256color",
    }
    command = " ".join(
        [f"{name}={shlex.quote(value)}" for name, value in env.items()]
        + [shlex.quote(str(exe)), "--sandbox"]
    )
    _tmux("-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "36")
    try:
        _tmux("resize-window", "-t", session, "-x", "120", "-y", "36")
        _tmux("respawn-pane", "-k", "-t", session, f"env -i {command}")
        screen = _wait_for(session, lambda s: "Total MXN" in s, "the accounts table")
        before = _mxn_balance(home)
        assert format_amount(before, "MXN") in _line_with(screen, "Cuenta MXN"), screen

        # Send $590.13 MXN by keyboard. The MXN account comes first and is chosen; the
        # focus chain is body, account, test counterparty, CLABE, holder, RFC, amount.
        _type(session, "2")
        _wait_for(session, lambda s: "New transfer" in s, "the transfer form")
        _type(session, "Tab", "Tab", "Tab")
        _type(session, *CLABE)
        _wait_for(session, lambda s: "check digit OK" in s, "the CLABE accepted")
        _type(session, "Tab", "Tab", "Tab")
        _type(session, *"590.13")
        _wait_for(session, lambda s: f"sends amount={AMOUNT}" in s, "the amount")
        _type(session, "C-s")
        _wait_for(session, lambda s: "Confirm the transfer" in s, "the confirm screen")
        _type(session, "C-s")
        screen = _wait_for(session, lambda s: TRANSFER_ID_RE.search(s) is not None, "the result")
        assert "Traceback" not in screen
        match = TRANSFER_ID_RE.search(screen)
        assert match is not None
        transfer_id = match.group(0)
        assert _mxn_balance(home) == before - AMOUNT

        # `1`: the balance is lower by exactly $590.13, and no `r` was pressed.
        after = format_amount(before - AMOUNT, "MXN")
        _type(session, "1")
        screen = _wait_for(
            session, lambda s: after in _line_with(s, "Cuenta MXN"), "the new balance"
        )
        assert format_amount(before, "MXN") not in screen

        # `3`: the new transfer is the first row.
        _type(session, "3")
        screen = _wait_for(
            session, lambda s: "Date (UTC)" in s and "-$590.13 MXN" in s, "the history"
        )
        lines = screen.splitlines()
        header = next(i for i, line in enumerate(lines) if "Date (UTC)" in line)
        first_row = lines[header + 1]
        assert "-$590.13 MXN" in first_row and "↑ out" in first_row, screen
        from fintoc_tui.sandbox.store import SandboxStore

        store = SandboxStore(home / "data" / "sandbox.sqlite3")
        try:
            rows, _ = store.page("transfers", limit=1)
        finally:
            store.close()
        assert transfer_id in rows[0]  # the sandbox's newest transfer is the one sent

        _tmux("send-keys", "-t", session, "q")
        _wait_for(
            session,
            lambda s: (
                _tmux("has-session", "-t", session, check=False).returncode != 0
                or "Date (UTC)" not in s
            ),
            "the app to quit",
        )
    finally:
        _tmux("kill-session", "-t", session, check=False)
