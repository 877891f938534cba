"""Pressing `3` to history rows on screen, at 300 and at 100,000 transfers, as a person sees it.

`fintoc-tui --sandbox` runs in a pseudo-terminal whose output `pyte` parses
(`fintoc_tui.testing.pty_session.PtySession`, 120x36), against a data
folder whose sandbox holds N transfers (seeded once, before the rounds).
Once the accounts are shown, the client connected and the screen still, `3`
is typed; the time is from that key to the output chunk after which the
screen shows history rows (the status line counts them: "N loaded"). The
reader thread stamps that chunk, so polling does not add to the figure.

Rounds alternate the two sizes (a new app process each time), medians of
`-n` rounds (≥ 7), the load average printed beside them.

    .venv/bin/python bench/bench_history_terminal.py            # 7 rounds
    .venv/bin/python bench/bench_history_terminal.py -n 9 --venv bench/results/venv

Goal: ≤ 250 ms at 100,000 transfers (issue 17). Written to
bench/results/history-terminal.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_memory import has, loaded, seed_home
from bench.bench_startup import RESULTS, build_venv
from fintoc_tui.testing.pty_session import PtySession

GOAL_MS = 250.0
SIZES = (300, 100_000)


def app_env(home: Path) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL")
    return {key: value for key, value in os.environ.items() if key in keep} | {
        "TERM": "xterm-256color",
        "FINTOC_TUI_HOME": str(home),
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
    }


def one_run(fintoc: Path, home: Path) -> float:
    """Seconds from `3` to history rows on screen, in a new app process."""
    app = PtySession([str(fintoc), "--sandbox"], app_env(home))
    try:
        app.wait_for(has("Total MXN"), "the accounts")
        app.wait_for(has("key sk_test"), "the client to connect")
        app.wait_still(quiet=0.5)
        return app.time_keys(["3"], lambda lines: loaded(lines) > 0)
    finally:
        app.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--rounds", type=int, default=7)
    parser.add_argument("--venv", type=Path, default=RESULTS / "venv")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    python = build_venv(args.venv.resolve())
    fintoc = python.parent / "fintoc-tui"
    homes = {size: Path(tempfile.mkdtemp(prefix=f"fintoc-history-{size}-")) for size in SIZES}
    try:
        for size, home in homes.items():
            seed_home(home, python, size)
            one_run(fintoc, home)  # the sandbox's JWS key and caches made; not counted
        times: dict[int, list[float]] = {size: [] for size in SIZES}
        loads: list[float] = []
        for _ in range(args.rounds):
            for size in SIZES:
                loads.append(os.getloadavg()[0])
                times[size].append(one_run(fintoc, homes[size]))
    finally:
        for home in homes.values():
            shutil.rmtree(home, ignore_errors=True)
    medians = {size: statistics.median(runs) * 1000 for size, runs in times.items()}
    load = statistics.median(loads)
    for size in SIZES:
        runs = " ".join(f"{t * 1000:.0f}" for t in times[size])
        print(
            f"{size:>7,} transfers: `3` → rows on screen, median {medians[size]:6.1f} ms  ({runs})"
        )
    ok = medians[SIZES[-1]] <= GOAL_MS
    print(
        f"at {SIZES[-1]:,}: {medians[SIZES[-1]]:.0f} ms (goal ≤ {GOAL_MS:.0f}) → "
        f"{'OK' if ok else 'MISSED'}; ratio to {SIZES[0]:,}: "
        f"{medians[SIZES[-1]] / medians[SIZES[0]]:.2f}x  (load {load:.1f}, "
        f"now {os.getloadavg()[0]:.1f}, {args.rounds} rounds)"
    )
    (RESULTS / "history-terminal.json").write_text(
        json.dumps(
            {
                "at": datetime.now(UTC).isoformat(),
                "runs_s": {str(size): runs for size, runs in times.items()},
                "median_ms": {str(size): ms for size, ms in medians.items()},
                "goal_ms": GOAL_MS,
                "ok": ok,
                "load": load,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
