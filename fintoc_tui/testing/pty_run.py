"""Run a program in a real pseudo-terminal at a fixed size, as a person's terminal would.

Shared by the start-up benchmark and the first-frame end-to-end test: both
need the app to believe it has a 120x36 terminal, its output drained so it
never blocks, and its exit status and peak memory (`os.wait4`). Standard
library only; POSIX only (pty, termios).
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class PtyRun:
    started_at: float
    """`time.time()` just before the process was spawned."""
    exited_at: float
    returncode: int
    peak_rss_mib: float
    timed_out: bool


def run_in_pty(
    argv: list[str],
    env: dict[str, str],
    *,
    columns: int = 120,
    lines: int = 36,
    timeout: float = 60.0,
) -> PtyRun:
    """Run `argv` on a fresh pty until it exits (killed after `timeout` seconds)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return

    threading.Thread(target=drain, daemon=True).start()
    started = time.time()
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            timed_out = True
            break
        time.sleep(0.005)
    exited = time.time()
    os.close(master)
    return PtyRun(
        started_at=started,
        exited_at=exited,
        returncode=os.waitstatus_to_exitcode(status),
        peak_rss_mib=usage.ru_maxrss / 1024,
        timed_out=timed_out,
    )
