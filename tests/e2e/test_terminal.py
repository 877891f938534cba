"""The installed app in a real terminal (tmux), started as a person starts it.

`--sandbox`: the balances on screen are the balances in the sandbox's state
file. `--env test` with keys and server in environment variables: a transfer
typed in is signed by the app's own client and accepted by a sandbox that
verifies it, and the environment screen names the variable the key came from.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fintoc_tui.masking import mask_key
from fintoc_tui.money import format_amount
from fintoc_tui.testing.served_sandbox import served_sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DEADLINE_S = 45.0
BALANCE_RE = re.compile(r"\$[0-9][0-9.,]* (MXN|CLP)")
TRANSFER_ID_RE = re.compile(r"\btr_[A-Za-z0-9]+")
CLABE = "012180000000000015"


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


@contextmanager
def app_in_tmux(home: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """The installed `fintoc-tui ARGS` in a detached 120x36 tmux session; yields its name.

    Only the variables given reach the app (plus a private home, the
    in-memory keyring and a terminal type), as in a person's shell.
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
    _tmux("-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "36")
    try:
        _tmux("resize-window", "-t", session, "-x", "120", "-y", "36")
        _tmux("respawn-pane", "-k", "-t", session, f"env -i {command}")
        yield session
        _tmux("send-keys", "-t", session, "q")
        _wait_for(
            session,
            lambda s: (
                _tmux("has-session", "-t", session, check=False).returncode != 0
                or "fintoc-tui" not in s
            ),
            "the app to quit",
        )
    finally:
        _tmux("kill-session", "-t", session, check=False)


_sessions = itertools.count()


def _type(session: str, *keys: str) -> None:
    """Press keys one at a time, at a person's pace.

    Keys sent in one burst right after a Tab sometimes reach the field the
    focus is leaving (seen on the transfer form); a person never types that
    fast, and each step below is checked on screen before the next.
    """
    for key in keys:
        _tmux("send-keys", "-t", session, key)
        time.sleep(0.1)
    time.sleep(0.4)


def test_sandbox_accounts_in_a_real_terminal(tmp_path):
    home = tmp_path / "home"
    with app_in_tmux(home, "--sandbox") as session:
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


def test_a_transfer_typed_into_the_real_app_is_signed_and_accepted(tmp_path):
    """`fintoc-tui --env test` with its keys and server in environment variables only.

    The sandbox (on a socket, in this process) accepts only that key and
    verifies every transfer's JWS: the transfer exists because the app's
    own client factory signed it with the key from its own credential store.
    """
    with (
        served_sandbox(tmp_path) as served,
        app_in_tmux(tmp_path / "home", "--env", "test", env=served.environ()) as session,
    ):
        screen = _wait_for(session, lambda s: "Total MXN" in s, "the accounts table")
        assert "TEST" in screen and mask_key(served.secret_key) in screen

        _type(session, "t")
        _wait_for(session, lambda s: "New transfer" in s, "the transfer form")
        # The MXN account comes first and is chosen; the focus chain is
        # body, account, test counterparty, CLABE, holder, RFC, amount.
        _type(session, "Tab", "Tab", "Tab")
        _type(session, *CLABE)
        _wait_for(session, lambda s: "check digit OK" in s, "the CLABE accepted")
        _type(session, "Tab", "Tab", "Tab")
        _type(session, *"61.23")
        _wait_for(session, lambda s: "sends amount=6123" in s, "the amount")
        _type(session, "C-s")
        _wait_for(session, lambda s: "Confirm the transfer" in s, "the confirm screen")
        _type(session, "C-s")
        screen = _wait_for(session, lambda s: "Transfer sent" in s, "the result")
        assert "Traceback" not in screen

        transfer_id = TRANSFER_ID_RE.search(screen)
        assert transfer_id, screen
        stored = served.store.get("transfers", transfer_id.group(0))
        assert stored is not None, f"{transfer_id.group(0)} is not in the sandbox"
        assert stored["amount"] == 6123
        assert stored["counterparty"]["account_number"] == CLABE

        _type(session, "e")
        screen = _wait_for(
            session, lambda s: "env FINTOC_TEST_SECRET_KEY" in s, "the environment screen"
        )
        assert f"{mask_key(served.secret_key)}   env FINTOC_TEST_SECRET_KEY" in screen
        assert served.secret_key not in screen
