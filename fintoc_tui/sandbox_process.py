"""Starting the local sandbox as a child process and learning where it listens.

The TUI (`fintoc-tui --sandbox`) and the commands (`--env sandbox`) both start
`fintoc-tui sandbox --port 0 --announce-json` on the user's sandbox state and
read its one-line JSON announcement. Standard library only, no Textual: this
is the one copy: `ui/shell/sandbox_link.py` re-exports it for the app.

The child gets none of the person's `FINTOC_*` variables (`child_environment`):
it makes its own test key and JWS key, so their secret keys and PEMs never sit
in its `/proc/<pid>/environ`. Its log is private (0600). On Linux the child is
asked to stop when its parent dies (`PR_SET_PDEATHSIG`), so an app or command
killed with `kill -9` does not leave a sandbox running (`--parent-pid`: the
child arms that itself, `sandbox.cli.stop_with_parent`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fintoc_tui import paths

__all__ = [
    "SANDBOX_FINTOC_VARIABLES",
    "SandboxInfo",
    "SandboxProcess",
    "SandboxStartError",
    "child_environment",
]

#: The only FINTOC_* variable the sandbox child reads: where its files live.
SANDBOX_FINTOC_VARIABLES = frozenset({"FINTOC_TUI_HOME"})


def child_environment(parent: Mapping[str, str]) -> dict[str, str]:
    """`parent` without the FINTOC_* variables the sandbox does not need.

    The sandbox makes its own test key and JWS key; the person's secret keys
    and PEMs (FINTOC_LIVE_SECRET_KEY…) must not sit in the child's
    /proc/<pid>/environ, readable for as long as it runs.
    """
    return {
        name: value
        for name, value in parent.items()
        if not name.upper().startswith("FINTOC_") or name.upper() in SANDBOX_FINTOC_VARIABLES
    }


class SandboxStartError(RuntimeError):
    """The sandbox did not announce itself; the message says what it printed."""


@dataclass(frozen=True)
class SandboxInfo:
    """Where a running sandbox listens and the test key it accepts."""

    base_url: str
    secret_key: str = field(repr=False)
    jws_private_key_path: str | None = None

    def jws_private_pem(self) -> bytes | None:
        if not self.jws_private_key_path:
            return None
        try:
            return Path(self.jws_private_key_path).read_bytes()
        except OSError:
            return None

    def jws_public_pem(self) -> bytes | None:
        """The public half the sandbox cached beside its private key, if still current.

        Lets the environment screen show the key's fingerprint without loading
        `cryptography` (see `jws.trusted_public_pem_fingerprint`).
        """
        if not self.jws_private_key_path:
            return None
        from fintoc_tui.sandbox.keys import current_public_pem

        return current_public_pem(Path(self.jws_private_key_path))


class SandboxProcess:
    """A `fintoc-tui sandbox --announce-json` child; `wait()` returns its `SandboxInfo`."""

    def __init__(
        self,
        *,
        state_path: Path | None = None,
        ephemeral: bool = False,
        extra_args: Sequence[str] = (),
    ) -> None:
        cmd = [sys.executable, "-m", "fintoc_tui", "sandbox", "--port", "0", "--announce-json"]
        cmd += ["--parent-pid", str(os.getpid())]  # it stops when this process dies
        if ephemeral:
            cmd.append("--ephemeral")
        else:
            cmd += ["--state", str(state_path or paths.sandbox_state_file())]
        cmd += list(extra_args)
        self._log_path = paths.private_file(paths.data_dir() / "sandbox.log")
        log = self._log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                env=child_environment(os.environ),
            )
        finally:
            log.close()
        self._ready = threading.Event()
        self._info: SandboxInfo | None = None
        self._problem = "the sandbox exited before it said where it listens"
        threading.Thread(target=self._read, name="sandbox-announce", daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            if self._info is None and raw.strip().startswith(b"{"):
                try:
                    data = json.loads(raw)
                    self._info = SandboxInfo(
                        base_url=str(data["base_url"]).rstrip("/"),
                        secret_key=str(data["secret_key"]),
                        jws_private_key_path=data.get("jws_private_key_path"),
                    )
                except (ValueError, KeyError, TypeError):
                    self._problem = "the sandbox printed an announcement that could not be read"
                self._ready.set()
            # Keep draining stdout so the child never blocks on a full pipe.
        self._ready.set()

    def info_if_ready(self) -> SandboxInfo | None:
        """The announcement if it has arrived, without waiting (safe on the UI thread)."""
        return self._info if self._ready.is_set() else None

    def wait(self, timeout: float = 20.0) -> SandboxInfo:
        """Block until the sandbox announced itself (call from a worker thread)."""
        if not self._ready.wait(timeout):
            raise SandboxStartError(f"the sandbox did not start within {timeout:.0f} s")
        if self._info is None:
            raise SandboxStartError(f"{self._problem}; see {self._log_path}")
        return self._info

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
