"""Balances on screen: `fintoc-tui --sandbox` against a minimal Textual app, as a person sees it.

What is timed: from spawning the process to the moment a terminal shows the
balances (fintoc-tui: the accounts table with a balance on an account row
and the totals; the minimal app: its 20-row DataTable down to the last
row). The terminal is a screen model, not a search through raw bytes:
by default a pty whose output stream `pyte` parses, chunk by chunk, each
chunk stamped as it arrives (`fintoc_tui.testing.terminal_screen`); with
`--terminal tmux` a detached tmux window, `capture-pane` polled every 3 ms.
Once the screen passes, `q` is pressed and the program must quit by itself.

Each round runs, alternating: the minimal app, fintoc-tui warm (the data
folder of the previous runs: the sandbox already seeded, its JWS key made)
and fintoc-tui fresh (an empty data folder, as on a first start). Ratios are
of medians over the rounds, all measured in the same invocation, and the
machine's load average is printed beside them (`os.getloadavg()`); on a
shared machine the ratio is what to compare, never the milliseconds.
"Frames without balances" counts complete frames (the footer drawn) shown
before the balances: a loading or "connecting…" frame would be one.

Measured on a non-editable install with bytecode compiled, as a user gets
it (`bench_startup.build_venv`); `--venv PATH` reuses one.

    .venv/bin/pip install pyte                      # the screen model (or use --terminal tmux)
    .venv/bin/python bench/bench_terminal.py        # 9 rounds
    .venv/bin/python bench/bench_terminal.py -n 15 --venv bench/results/venv
    .venv/bin/python bench/bench_terminal.py --terminal tmux

Goal: balances on screen at most 1.3x the minimal app's, warm and fresh,
with no frame without balances first. The in-app marker of
bench_startup.py (written when the app believes it painted) stays as a
diagnostic of where the time goes inside the app.

Figures: see the closing note of issue 17 and README's benchmark table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_startup import RESULTS, build_venv
from fintoc_tui.testing.terminal_screen import (
    ScreenRun,
    ScreenTest,
    watch_in_pty,
    watch_in_tmux,
)

GOAL = 1.3

#: The minimal app of bench_startup, measured on screen: no marker, `q` quits.
MINIMAL_APP = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Minimal(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield DataTable(zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Description", "Number", "Currency", "Balance", "Status")
        for i in range(20):
            table.add_row(f"Account {i}", f"738 180 {i:011d} 4", "MXN", f"${i},000.00 MXN", "active")

Minimal().run()
"""

BALANCE = re.compile(r"\$[0-9][0-9.,]* (MXN|CLP)")


def minimal_shows_rows(lines: Sequence[str]) -> bool:
    """The minimal app's last row, with its balance, is on screen."""
    return any("Account 19" in line and BALANCE.search(line) for line in lines)


def fintoc_shows_balances(lines: Sequence[str]) -> bool:
    """An account row with a balance and the totals under the table are on screen."""
    rows = [line for line in lines if "Total" not in line]
    return any("Total MXN" in line for line in lines) and any(BALANCE.search(r) for r in rows)


def frames_without_balances(run: ScreenRun) -> int:
    """Complete frames (footer drawn) shown before the balances: loading states."""
    return sum(1 for screen in run.screens_before if "Quit" in screen.splitlines()[-1])


def measure(
    watch: Callable[..., ScreenRun], argv: list[str], env: dict[str, str], until: ScreenTest
) -> dict[str, float | int | None]:
    load_before = os.getloadavg()[0]
    run = watch(argv, env, until)
    if run.seen_s is None:
        raise RuntimeError(
            f"{argv[-1]} never showed its table (exit {run.returncode}); last screens:\n"
            + "\n----\n".join(run.screens_before[-2:])
        )
    if run.timed_out or run.returncode != 0:
        raise RuntimeError(f"{argv} did not quit cleanly on q (exit {run.returncode})")
    return {
        "seen_s": run.seen_s,
        "first_output_s": run.first_output_s,
        "frames_without_balances": frames_without_balances(run),
        "exited_s": run.exited_s,
        "peak_rss_mib": run.peak_rss_mib,
        "load": (load_before + os.getloadavg()[0]) / 2,
    }


def summary(runs: list[dict[str, float | int | None]]) -> dict[str, float]:
    def med(key: str) -> float:
        return statistics.median(float(r[key] or 0.0) for r in runs)

    return {
        "median_seen_s": med("seen_s"),
        "median_exit_s": med("exited_s"),
        "max_frames_without_balances": max(int(r["frames_without_balances"] or 0) for r in runs),
        "peak_rss_mib": max(float(r["peak_rss_mib"] or 0.0) for r in runs),
        "median_load": med("load"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--rounds", type=int, default=9)
    parser.add_argument("--venv", type=Path, default=RESULTS / "venv")
    parser.add_argument("--terminal", choices=("pty", "tmux"), default="pty")
    args = parser.parse_args()
    if args.rounds < 7:
        parser.error("at least 7 rounds: a median of fewer says little on a shared machine")
    if args.terminal == "pty":
        try:
            import pyte  # noqa: F401
        except ImportError:
            parser.error("the pty terminal needs pyte: pip install pyte (or use --terminal tmux)")
        watch: Callable[..., ScreenRun] = watch_in_pty
    else:
        if not shutil.which("tmux"):
            parser.error("tmux is not installed")
        watch = watch_in_tmux

    RESULTS.mkdir(parents=True, exist_ok=True)
    python = build_venv(args.venv.resolve())
    work = Path(tempfile.mkdtemp(prefix="fintoc-terminal-"))
    minimal = work / "minimal_app.py"
    minimal.write_text(MINIMAL_APP)
    base_env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER")
    }
    base_env |= {
        "TERM": "xterm-256color",
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
    }
    warm_home = work / "warm-home"
    fintoc = [str(python.parent / "fintoc-tui"), "--sandbox"]
    # One untimed run each: the warm data folder gets seeded, the caches warm.
    measure(watch, [str(python), str(minimal)], base_env, minimal_shows_rows)
    measure(watch, fintoc, base_env | {"FINTOC_TUI_HOME": str(warm_home)}, fintoc_shows_balances)

    samples: dict[str, list[dict[str, float | int | None]]] = {
        "minimal": [],
        "warm": [],
        "fresh": [],
    }
    for round_no in range(args.rounds):
        samples["minimal"].append(
            measure(watch, [str(python), str(minimal)], base_env, minimal_shows_rows)
        )
        samples["warm"].append(
            measure(
                watch, fintoc, base_env | {"FINTOC_TUI_HOME": str(warm_home)}, fintoc_shows_balances
            )
        )
        fresh_home = work / f"fresh-home-{round_no}"
        samples["fresh"].append(
            measure(
                watch,
                fintoc,
                base_env | {"FINTOC_TUI_HOME": str(fresh_home)},
                fintoc_shows_balances,
            )
        )
        shutil.rmtree(fresh_home, ignore_errors=True)
        row = " ".join(
            f"{name} {runs[-1]['seen_s'] * 1000:5.0f} ms" for name, runs in samples.items()
        )  # type: ignore[operator]
        print(f"round {round_no + 1:2}: {row}   load {os.getloadavg()[0]:.1f}", flush=True)

    report = {name: summary(runs) for name, runs in samples.items()}
    base = report["minimal"]["median_seen_s"]
    ratios = {name: report[name]["median_seen_s"] / base for name in ("warm", "fresh")}
    print(
        f"\nbalances on screen ({args.terminal}, 120x36, medians of {args.rounds} alternating rounds):"
    )
    labels = {
        "minimal": "minimal Textual app",
        "warm": "fintoc-tui --sandbox, warm",
        "fresh": "fintoc-tui --sandbox, fresh",
    }
    for name, row in report.items():
        ratio = "" if name == "minimal" else f"  {ratios[name]:.2f}x"
        print(
            f"  {labels[name]:30} {row['median_seen_s'] * 1000:6.0f} ms{ratio:7}"
            f"  frames without balances ≤ {row['max_frames_without_balances']}"
            f"  app peak RSS {row['peak_rss_mib']:5.1f} MiB  load {row['median_load']:.1f}"
        )
    ok = all(r <= GOAL for r in ratios.values()) and all(
        report[n]["max_frames_without_balances"] == 0 for n in ("warm", "fresh")
    )
    print(f"goal ≤ {GOAL}x warm and fresh, no frame without balances: {'met' if ok else 'MISSED'}")
    (RESULTS / f"terminal-{args.terminal}.json").write_text(
        json.dumps(
            {
                "terminal": args.terminal,
                "rounds": args.rounds,
                "ratios": ratios,
                "apps": report,
                "samples": samples,
                "goal": GOAL,
                "ok": ok,
            },
            indent=2,
        )
        + "\n"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
