"""A program on a pseudo-terminal, its output parsed by pyte, driven by keys.

For walks through an app's screens (bench/bench_memory.py) and for timing
one key to what it shows (bench/bench_history_terminal.py); the start-up
watchers are in `terminal_screen`. Standard library plus pyte; Linux `/proc`
for memory.
"""

from __future__ import annotations

import os
import pty
import subprocess
import threading
import time
from collections.abc import Sequence

from fintoc_tui.testing.terminal_screen import ScreenTest, _kill_group, _set_size


class PtySession:
    """A program on a pty parsed by pyte, driven by keys: for walks through an app's screens.

    `wait_for(test)` polls the screen model (fed by a reader thread) until
    `test(lines)` holds; `press(keys)` types; `rss_mib()` reads the program's
    own resident memory (Linux `/proc`), not its children's.
    """

    def __init__(
        self, argv: list[str], env: dict[str, str], *, columns: int = 120, lines: int = 36
    ) -> None:
        import pyte

        self._screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self._screen)
        self._lock = threading.Lock()
        self._master, slave = pty.openpty()
        _set_size(slave, columns, lines)
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self._watch: tuple[ScreenTest, list[float]] | None = None
        """A test the reader checks after every chunk, and where it stamps the first pass."""
        self._reader = threading.Thread(target=self._read, name="pty-session", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            arrived = time.monotonic()
            with self._lock:
                self._stream.feed(data)
                watch = self._watch
                if watch is not None and not watch[1] and watch[0](self._screen.display):
                    watch[1].append(arrived)

    def time_keys(self, keys: Sequence[str], test: ScreenTest, timeout: float = 30.0) -> float:
        """Seconds from typing `keys` to the chunk after which the screen passes `test`.

        The reader thread checks the test after each chunk it parses and keeps
        the chunk's arrival time, so the figure does not depend on polling.
        """
        stamp: list[float] = []
        with self._lock:
            self._watch = (test, stamp)
        start = time.monotonic()
        self.press(*keys)
        deadline = start + timeout
        try:
            while not stamp and time.monotonic() < deadline and self.process.poll() is None:
                time.sleep(0.002)
        finally:
            with self._lock:
                self._watch = None
        if not stamp:
            raise TimeoutError(f"after {keys!r}, the screen never passed; it was:\n{self.text()}")
        return stamp[0] - start

    def lines(self) -> list[str]:
        with self._lock:
            return list(self._screen.display)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines())

    def wait_for(self, test: ScreenTest, what: str, timeout: float = 30.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.lines()
            if test(shown):
                return shown
            if self.process.poll() is not None:
                break
            time.sleep(0.01)
        raise TimeoutError(f"waiting for {what}; the screen was:\n{self.text()}")

    def wait_still(self, quiet: float = 0.3, timeout: float = 30.0) -> None:
        """Until the screen has not changed for `quiet` seconds (the app is idle)."""
        deadline = time.monotonic() + timeout
        last, since = self.text(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.02)
            now = self.text()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def press(self, *keys: str, pause: float = 0.0) -> None:
        """Type keys: text as is, or a name from `KEYS` (`"pagedown"`, `"escape"`…)."""
        for key in keys:
            os.write(self._master, KEYS.get(key, key.encode()))
            if pause:
                time.sleep(pause)

    def rss_mib(self) -> float:
        """Resident memory of the program itself now (VmRSS), MiB."""
        return _status_kib(self.process.pid, "VmRSS") / 1024

    def peak_rss_mib(self) -> float:
        return _status_kib(self.process.pid, "VmHWM") / 1024

    def status_mib(self, field_name: str) -> float:
        """Any size line of the program's /proc status (`RssAnon`, `RssFile`, …), MiB."""
        return _status_kib(self.process.pid, field_name) / 1024

    def close(self, quit_keys: bytes = b"q", timeout: float = 10.0) -> int:
        try:
            os.write(self._master, quit_keys)
        except OSError:
            pass
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = -9
        _kill_group(self.process.pid)
        self.process.wait()
        os.close(self._master)
        return code


#: Escape sequences an xterm sends for named keys.
KEYS = {
    "enter": b"\r",
    "escape": b"\x1b",
    "tab": b"\t",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
}


def _status_kib(pid: int, field_name: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise ValueError(f"no {field_name} for {pid}")
