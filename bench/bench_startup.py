"""Start-up time of `fintoc-tui --sandbox`, as a ratio to a minimal Textual app.

What is timed: from spawning the process to the first paint of a table with
rows (fintoc-tui: the accounts table filled with sandbox data, the sandbox
child included; baseline: a bare Textual app with a 20-row DataTable). Each
app writes the wall-clock time of that paint (JSON `painted_at`, with the
modules imported by then) to a marker file and quits;
both run in a real pseudo-terminal at 120x36, N times each, interleaved, and
the medians are compared. Peak RSS of the app process (not the sandbox
child) comes from `os.wait4`. The sandbox child is also run alone once per
round: its time to announce and its peak RSS (VmHWM) after serving the
accounts list.

Measured on a non-editable install with bytecode compiled, as a user gets
it: the script builds a wheel of this checkout, installs it into a fresh
venv under bench/results/ (dependencies from the package index, or the pip
cache) and runs `compileall` over it. `--venv PATH` reuses such a venv.

    .venv/bin/python bench/bench_startup.py            # 15 runs each
    .venv/bin/python bench/bench_startup.py -n 5 --venv bench/results/venv

Goal: fintoc-tui at most 1.4x the minimal app.

Figures (2 shared cores; ratios move by about ±0.15x between runs, more
under load). "Before" is 9dc61a4, the start of the start-up work:

    before  minimal 332 ms  fintoc-tui 693 ms  2.09x   (7 runs)
    after   minimal 379 ms  fintoc-tui 487 ms  1.29x   (9 runs, helpers running)
            minimal 299 ms  fintoc-tui 394 ms  1.32x   (15 runs, quiet)
            minimal 370 ms  fintoc-tui 422 ms  1.14x   (15 runs, quiet)
            minimal 334 ms  fintoc-tui 395 ms  1.18x   (15 runs, quiet, 004c997)
    app peak RSS in the bench 58.1 -> 49.6 MiB (it exits right after the
    paint, before the client stack has loaded; left running, the app peaks
    at ~56 MiB); sandbox child ~40 MiB after GET /v2/accounts (~53 MiB once
    its POST path has warmed up).

How the first frame got there (`tests/e2e/test_first_paint.py` holds the
reason fixed, not the time): the sandbox child starts before Textual is
imported; a thread waits for its announcement and fetches the accounts with
the standard library (`api/prefetch.py`, a bare socket: `http.client` alone
imports the email package), at a 0.5 ms GIL switch interval so the import-
busy main thread does not hold it up (a 4 ms request took ~120 ms at the
default 5 ms); the accounts screen composes straight onto the table with
those rows; only after they are painted does the app import httpx and
pydantic (~250 ms) and build the client, which lists the accounts again and
swaps in validated models. Bank names come from clabe's table without its
pydantic-importing package, config.toml's parser loads only if the file
exists. What is left over the minimal app (a timestamped run): ~40 ms of
argparse, subprocess and thread start before Textual, and ~50 ms more
mounting and styling a screen of 24 widgets (header, content switcher,
totals, a footer of 9 keys) against the minimal app's 8.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL = 1.4

BASELINE_APP = """
import os, time
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Minimal(App):
    def compose(self):
        yield Header()
        yield DataTable(zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Description", "Number", "Currency", "Balance", "Status")
        for i in range(20):
            table.add_row(f"Account {i}", f"738 180 {i:011d} 4", "MXN", f"${i},000.00 MXN", "active")
        self.call_after_refresh(self.painted)

    def painted(self):
        with open(os.environ["FINTOC_TUI_BENCH_MARKER"], "w") as out:
            out.write('{"painted_at": %r}' % time.time())
        self.exit()

Minimal().run()
"""


def build_venv(path: Path) -> Path:
    """A venv with this checkout (re)installed as a wheel, bytecode compiled."""
    python = path / "bin" / "python"
    fresh = not python.exists()
    if fresh:
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    wheels = Path(tempfile.mkdtemp(prefix="fintoc-wheel-"))
    subprocess.run(
        [str(python), "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    wheel = next(wheels.glob("fintoc_tui-*.whl"))
    # A reused venv gets this checkout reinstalled, so the bench never times stale code.
    extra = [] if fresh else ["--force-reinstall", "--no-deps"]
    subprocess.run([str(python), "-m", "pip", "install", "-q", *extra, str(wheel)], check=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([str(python), "-m", "compileall", "-q", "-j", "0", site], check=False)
    return python


def run_in_pty(argv: list[str], env: dict[str, str], marker: Path, timeout: float = 60.0):
    """Run argv in a 120x36 pty; return (seconds to marker, seconds to exit, peak RSS MiB)."""
    from fintoc_tui.testing.pty_run import run_in_pty as run

    marker.unlink(missing_ok=True)
    result = run(argv, env, timeout=timeout)
    if not marker.exists():
        raise RuntimeError(f"{argv[-1]} never painted its table (exit {result.returncode})")
    painted = json.loads(marker.read_text())["painted_at"]
    start = result.started_at
    return painted - start, result.exited_at - start, result.peak_rss_mib


def sandbox_alone(bin_dir: Path, env: dict[str, str]) -> tuple[float, float]:
    """The sandbox child by itself: (seconds to its announcement, peak RSS MiB).

    Started as the app starts it; the peak (VmHWM) is read after it has
    answered GET /v2/accounts, i.e. as it stands when the app paints.
    """
    import urllib.request

    start = time.perf_counter()
    process = subprocess.Popen(
        [str(bin_dir / "fintoc-tui"), "sandbox", "--port", "0", "--announce-json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        announced = time.perf_counter() - start
        request = urllib.request.Request(
            info["base_url"] + "/v2/accounts", headers={"Authorization": info["secret_key"]}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        status = Path(f"/proc/{process.pid}/status").read_text()
        peak_kib = int(next(ln for ln in status.splitlines() if ln.startswith("VmHWM")).split()[1])
    finally:
        process.terminate()
        process.wait(timeout=10)
    return announced, peak_kib / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=15)
    parser.add_argument("--venv", type=Path, default=RESULTS / "venv")
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    python = build_venv(args.venv.resolve())
    bin_dir = python.parent
    work = Path(tempfile.mkdtemp(prefix="fintoc-bench-"))
    baseline_script = work / "minimal_app.py"
    baseline_script.write_text(BASELINE_APP)
    marker = work / "painted"
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "LINES": "36",
        "FINTOC_TUI_HOME": str(work / "home"),
        "FINTOC_TUI_BENCH_MARKER": str(marker),
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the installed bytecode is what we measure
    apps = {
        "minimal textual app": [str(python), str(baseline_script)],
        "fintoc-tui --sandbox": [str(bin_dir / "fintoc-tui"), "--sandbox"],
    }
    # One untimed run each: seeds the sandbox state (as a user's first run does) and warms caches.
    for argv in apps.values():
        run_in_pty(argv, env, marker)
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in apps}
    sandbox_runs: list[tuple[float, float]] = []
    for _ in range(args.runs):
        for name, argv in apps.items():
            samples[name].append(run_in_pty(argv, env, marker))
        sandbox_runs.append(sandbox_alone(bin_dir, env))

    report: dict[str, dict[str, float]] = {}
    for name, runs in samples.items():
        report[name] = {
            "median_paint_s": statistics.median(r[0] for r in runs),
            "median_exit_s": statistics.median(r[1] for r in runs),
            "peak_rss_mib": max(r[2] for r in runs),
        }
    base = report["minimal textual app"]["median_paint_s"]
    ours = report["fintoc-tui --sandbox"]["median_paint_s"]
    ratio = ours / base
    print(f"{'':24} {'paint (median)':>15} {'exit (median)':>14} {'peak RSS':>10}")
    for name, row in report.items():
        print(
            f"{name:24} {row['median_paint_s'] * 1000:12.0f} ms {row['median_exit_s'] * 1000:11.0f} ms"
            f" {row['peak_rss_mib']:7.1f} MiB"
        )
    sandbox = {
        "median_announce_s": statistics.median(r[0] for r in sandbox_runs),
        "peak_rss_mib": max(r[1] for r in sandbox_runs),
    }
    print(
        f"{'sandbox child alone':24} announces in {sandbox['median_announce_s'] * 1000:.0f} ms"
        f" (median), peak RSS {sandbox['peak_rss_mib']:.1f} MiB after GET /v2/accounts"
    )
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"ratio {ratio:.2f}x the minimal app ({verdict} the {GOAL}x goal), {args.runs} runs each")
    (RESULTS / "startup.json").write_text(
        json.dumps(
            {"runs": args.runs, "ratio": ratio, "apps": report, "sandbox": sandbox}, indent=2
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
