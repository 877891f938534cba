"""Time until a program's screen shows something, read off a real screen model.

The start-up figure that matters is when the balances are *on the screen*,
not when the app believes it painted them: a frame still has to be written
by Textual's writer thread, cross the pty and be drawn by the terminal. Two
ways to watch, both on a 120x36 terminal:

- `watch_in_pty`: the program runs on a pseudo-terminal whose output stream
  is parsed by `pyte` (a VT100/xterm screen model, `pip install pyte`); each
  chunk is timestamped as it arrives, so the time is that of the bytes that
  completed the screen, whatever parsing costs afterwards. No polling.
- `watch_in_tmux`: the program runs in a detached tmux window, and
  `tmux capture-pane` is polled every few milliseconds (the issue's own
  measure; each poll spawns a tmux client, so it costs the machine more).

Both then press `quit_keys` and wait for the program to exit (the whole
process group is killed after `timeout`). Standard library plus pyte, and
pyte only when `watch_in_pty` runs; POSIX only.
"""

from __future__ import annotations

import fcntl
import os
import pty
import shlex
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: Given the screen's lines, True once it shows what is being waited for.
ScreenTest = Callable[[Sequence[str]], bool]


@dataclass(frozen=True)
class ScreenRun:
    """What one watched run saw; times are seconds from just before the spawn."""

    seen_s: float | None
    """When the screen first passed the test (None: it never did)."""
    first_output_s: float | None
    """When the first non-blank screen appeared."""
    screens_before: tuple[str, ...]
    """Each distinct non-blank screen shown before the one that passed (a loading frame…)."""
    exited_s: float
    returncode: int
    peak_rss_mib: float
    """Peak RSS of the watched process itself (`os.wait4`), not its children."""
    timed_out: bool
    seen_screen: str = field(default="", repr=False)
    cpu_at_seen_s: float | None = None
    """CPU time (user + system) of the program's whole process group when the
    screen passed: the app and any child it started (Linux `/proc`; None
    elsewhere). Far steadier than wall time on a loaded machine."""


def _stat_fields(pid: int | str) -> list[bytes] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # After "(command)": state, ppid, pgrp, …; utime and stime are [11] and [12].
            return stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None


def process_cpu_seconds(pid: int) -> float | None:
    """CPU seconds one process's live threads have run so far (Linux `/proc`), or None.

    From each thread's `schedstat` (nanoseconds), not `stat`'s 10 ms ticks: a
    start-up is only ~30 ticks long. Threads that already ended are not
    counted (the apps measured here end none before their first frame).
    """
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    total = 0
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat", "rb") as stat:
                total += int(stat.read().split()[0])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


def group_cpu_seconds(pgid: int, *, leader: float | None = None) -> float | None:
    """CPU seconds of every live process in process group `pgid` (Linux).

    `leader`: the group leader's figure taken earlier, used instead of its
    current one (the harness stamps it as each chunk arrives).
    """
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in entries:
        if not entry.isdigit():
            continue
        fields = _stat_fields(entry)
        if fields is None or int(fields[2]) != pgid:
            continue
        if int(entry) == pgid and leader is not None:
            total += leader
        else:
            own = process_cpu_seconds(int(entry))
            total += own if own is not None else (int(fields[11]) + int(fields[12])) / tick
    return total


def _set_size(fd: int, columns: int, lines: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def watch_in_pty(
    argv: list[str],
    env: dict[str, str],
    until: ScreenTest,
    *,
    columns: int = 120,
    lines: int = 36,
    quit_keys: bytes = b"q",
    timeout: float = 60.0,
    keep_screens: int = 8,
) -> ScreenRun:
    """Run `argv` on a pty parsed by pyte until `until(screen lines)`, then quit it."""
    import pyte

    screen = pyte.Screen(columns, lines)
    stream = pyte.ByteStream(screen)
    master, slave = pty.openpty()
    _set_size(slave, columns, lines)
    chunks: list[tuple[float, float | None, bytes]] = []
    pid = 0
    arrived = threading.Condition()
    closed = threading.Event()

    def read() -> None:
        # Only reads and stamps: parsing happens on the caller's thread, so a slow
        # parse never delays the stamp of the next chunk.
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            stamp = time.perf_counter()
            cpu = process_cpu_seconds(pid) if data and pid else None
            with arrived:
                if data:
                    chunks.append((stamp, cpu, data))
                else:
                    closed.set()
                arrived.notify()
            if not data:
                return

    # The reader must get the GIL as soon as its read returns, not after up to
    # 5 ms of parsing on this thread: a frame crosses the pty in ~4 KiB reads,
    # and the program's writes block while the pty's buffer is full.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        pid = process.pid
        os.close(slave)
        reader = threading.Thread(target=read, name="pty-reader", daemon=True)
        reader.start()
        deadline = time.monotonic() + timeout
        seen: float | None = None
        seen_cpu: float | None = None
        first: float | None = None
        before: list[str] = []
        seen_screen = ""
        last_text = ""
        timed_out = False
        while True:
            with arrived:
                while not chunks and not closed.is_set() and time.monotonic() < deadline:
                    arrived.wait(0.05)
                batch, chunks[:] = list(chunks), []
            for stamp, cpu, data in batch:
                if seen is not None:
                    continue  # after the match only drain
                stream.feed(data)
                shown = screen.display
                text = "\n".join(line.rstrip() for line in shown).strip()
                if not text or text == last_text:
                    continue
                last_text = text
                if first is None:
                    first = stamp - started
                if until(shown):
                    seen = stamp - started
                    seen_cpu = group_cpu_seconds(process.pid, leader=cpu)
                    seen_screen = text
                    try:
                        os.write(master, quit_keys)
                    except OSError:
                        pass
                elif len(before) < keep_screens:
                    before.append(text)
            if closed.is_set() or process.poll() is not None:
                break
            if time.monotonic() > deadline:
                timed_out = True
                _kill_group(process.pid)
                break
        _, status, usage = os.wait4(process.pid, 0)
        exited = time.perf_counter() - started
        _kill_group(process.pid)  # anything it left behind (a sandbox child)
        os.close(master)
        reader.join(timeout=1)
    finally:
        sys.setswitchinterval(interval)
    return ScreenRun(
        seen_s=seen,
        first_output_s=first,
        screens_before=tuple(before),
        exited_s=exited,
        returncode=os.waitstatus_to_exitcode(status),
        peak_rss_mib=usage.ru_maxrss / 1024,
        timed_out=timed_out,
        seen_screen=seen_screen,
        cpu_at_seen_s=seen_cpu,
    )


def _tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check)


def watch_in_tmux(
    argv: list[str],
    env: dict[str, str],
    until: ScreenTest,
    *,
    columns: int = 120,
    lines: int = 36,
    quit_keys: str = "q",
    timeout: float = 60.0,
    poll_s: float = 0.003,
    keep_screens: int = 8,
    socket_name: str | None = None,
) -> ScreenRun:
    """Run `argv` in a detached tmux window; poll `capture-pane` until `until(lines)`.

    The window is made (and sized) first with a shell that waits; the timed
    program replaces it with `respawn-pane`, so tmux's own start-up is not
    counted. `env` is passed on the command line (tmux's server keeps its own
    environment). Peak RSS is not known here (the pane's process is tmux's
    child): 0.
    """
    server = socket_name or f"fintoc-bench-{os.getpid()}"
    session = "watch"
    base = ["-L", server, "-f", "/dev/null"]
    _tmux(*base, "new-session", "-d", "-s", session, "-x", str(columns), "-y", str(lines))
    try:
        _tmux(*base, "resize-window", "-t", session, "-x", str(columns), "-y", str(lines))
        _tmux(*base, "set-option", "-t", session, "remain-on-exit", "on")
        command = "exec env -i " + " ".join(
            [shlex.quote(f"{k}={v}") for k, v in env.items()] + [shlex.quote(a) for a in argv]
        )
        started = time.perf_counter()
        _tmux(*base, "respawn-pane", "-k", "-t", session, command)
        deadline = time.monotonic() + timeout
        seen: float | None = None
        first: float | None = None
        before: list[str] = []
        seen_screen = ""
        last_text = ""
        while time.monotonic() < deadline:
            shown = _tmux(*base, "capture-pane", "-p", "-t", session, check=False).stdout
            stamp = time.perf_counter()
            rows = shown.split("\n")[:lines]
            text = "\n".join(line.rstrip() for line in rows).strip()
            if text and text != last_text:
                last_text = text
                if first is None:
                    first = stamp - started
                if until(rows):
                    seen = stamp - started
                    seen_screen = text
                    break
                if len(before) < keep_screens:
                    before.append(text)
            time.sleep(poll_s)
        timed_out = seen is None
        if seen is not None:
            _tmux(*base, "send-keys", "-t", session, quit_keys)
        dead = "0"
        while time.monotonic() < deadline:
            dead = _tmux(
                *base, "display-message", "-p", "-t", session, "#{pane_dead}", check=False
            ).stdout.strip()
            if dead == "1":
                break
            time.sleep(0.02)
        exited = time.perf_counter() - started
        status = _tmux(
            *base, "display-message", "-p", "-t", session, "#{pane_dead_status}", check=False
        ).stdout.strip()
        return ScreenRun(
            seen_s=seen,
            first_output_s=first,
            screens_before=tuple(before),
            exited_s=exited,
            returncode=int(status) if status.lstrip("-").isdigit() else -1,
            peak_rss_mib=0.0,
            timed_out=timed_out or dead != "1",
            seen_screen=seen_screen,
        )
    finally:
        _tmux(*base, "kill-server", check=False)
