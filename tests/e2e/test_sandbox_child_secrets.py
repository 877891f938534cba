"""`fintoc-tui --sandbox` with every FINTOC_* secret set: the sandbox child holds none of them.

The app runs for real in a pseudo-terminal; its sandbox child is found through
/proc and its environment read from /proc/<pid>/environ, which is what anyone
who can read that file sees for as long as the sandbox runs. The same run
checks that the data folder and the files the app and the child open there
are private, even when an older version left them 0755/0644.
"""

from __future__ import annotations

import os
import pty
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from fintoc_tui.testing.deterministic_keys import deterministic_private_pem

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

DEADLINE_S = 45.0
TEST_KEY = "sk_test_" + "E2eChildEnv0test1111aaaa"
LIVE_KEY = "sk_live_" + "E2eChildEnv0live2222bbbb"


def _secrets(tmp_path: Path) -> dict[str, str]:
    pem = deterministic_private_pem(1812).decode()
    pem_file = tmp_path / "jws.pem"
    pem_file.write_text(pem)
    pem_file.chmod(0o600)
    return {
        "FINTOC_TEST_SECRET_KEY": TEST_KEY,
        "FINTOC_LIVE_SECRET_KEY": LIVE_KEY,
        "FINTOC_SECRET_KEY": TEST_KEY,
        "FINTOC_TEST_JWS_PRIVATE_KEY": pem,
        "FINTOC_LIVE_JWS_PRIVATE_KEY": pem.replace("\n", "\\n"),
        "FINTOC_JWS_PRIVATE_KEY": pem,
        "FINTOC_TEST_JWS_PRIVATE_KEY_FILE": str(pem_file),
        "FINTOC_LIVE_JWS_PRIVATE_KEY_FILE": str(pem_file),
        "FINTOC_JWS_PRIVATE_KEY_FILE": str(pem_file),
        "FINTOC_BASE_URL": "https://fintoc.invalid",
    }


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _wait_for(predicate, what: str):
    """Poll until predicate() is truthy; bounded by DEADLINE_S (an outside process: nothing to await)."""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _sandbox_child(app_pid: int) -> int | None:
    for pid in _children(app_pid):
        try:
            # After exec: before it, a forked child still shows the parent's
            # command line and environment.
            if b"--announce-json" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    return None


def _drain(fd: int) -> None:
    """Read the app's screen output so it never blocks on a full terminal."""
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_sandbox_child_gets_no_fintoc_secret_and_files_are_private(tmp_path):
    home = tmp_path / "home"
    data = home / "data"
    data.mkdir(parents=True)
    data.chmod(0o755)
    # What an older version left behind: world-readable state and log.
    for name in ("sandbox.sqlite3", "sandbox.log"):
        (data / name).write_bytes(b"")
        (data / name).chmod(0o644)

    secrets = _secrets(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("FINTOC")},
        **secrets,
        "TERM": "xterm-256color",
        "FINTOC_TUI_HOME": str(home),
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
    }
    master, slave = pty.openpty()
    app = subprocess.Popen(
        [sys.executable, "-m", "fintoc_tui", "--sandbox"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    threading.Thread(target=_drain, args=(master,), daemon=True).start()
    try:
        child = _wait_for(lambda: _sandbox_child(app.pid), "the sandbox child")
        environ = Path(f"/proc/{child}/environ").read_bytes()
        names = {item.split(b"=", 1)[0].decode() for item in environ.split(b"\0") if item}

        assert {n for n in names if n.upper().startswith("FINTOC")} == {"FINTOC_TUI_HOME"}
        # Nor under another name: no key, no PEM line, no path to a PEM.
        pem_line = secrets["FINTOC_TEST_JWS_PRIVATE_KEY"].splitlines()[1]
        for needle in (TEST_KEY, LIVE_KEY, pem_line, secrets["FINTOC_JWS_PRIVATE_KEY_FILE"]):
            assert needle.encode() not in environ
        # The app itself still had them: the filter is in the child's start, not here.
        assert TEST_KEY.encode() in Path(f"/proc/{app.pid}/environ").read_bytes()

        _wait_for(
            lambda: all(_mode(data / n) == 0o600 for n in ("sandbox.sqlite3", "sandbox.log")),
            "the sandbox's files to be 0600",
        )
        assert _mode(data) == 0o700
    finally:
        # The app and its sandbox child share the process group this test made.
        try:
            os.killpg(app.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            app.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(app.pid, signal.SIGKILL)
            app.wait()
        os.close(master)
