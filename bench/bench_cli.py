"""`fintoc-tui transfers list --all --json`: peak memory over 100,000 transfers vs 10,000.

    .venv/bin/python bench/bench_cli.py            # 1,000, 10,000 and 100,000 transfers
    .venv/bin/python bench/bench_cli.py --quick    # 1,000, 2,000 and 20,000

A sandbox child per size is seeded (`--seed-transfers N`, in a temp state
file) and served on loopback; the installed command lists every transfer as
JSON into a file, as a script would, in its own process, and `os.wait4`
gives that process's peak RSS. The output is checked to hold every
transfer. Streaming means a 10x longer list costs no more memory: goal
100,000 vs 10,000 ≤ 1.1x. The 1,000 run is shown too: Python's allocator
settles over the first ~50 pages (a few MiB), so against it the ratio
includes that one-time warm-up. Also printed: wall time and transfers/s.
Results go to bench/results/ (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FINTOC_TUI = str(Path(sys.executable).with_name("fintoc-tui"))
GOAL_RATIO = 1.1


def start_sandbox(home: Path, transfers: int) -> tuple[subprocess.Popen[bytes], dict, float]:
    env = {**os.environ, "FINTOC_TUI_HOME": str(home)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "fintoc_tui", "sandbox", "--port", "0", "--announce-json",
         "--state", str(home / "sandbox.sqlite3"), "--seed-transfers", str(transfers)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    for raw in proc.stdout:
        if raw.strip().startswith(b"{"):
            return proc, json.loads(raw), time.perf_counter() - started
    raise RuntimeError("the sandbox did not start")


def list_all(info: dict, home: Path, out: Path) -> dict:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("FINTOC")},
        "FINTOC_TUI_HOME": str(home / "cli"),
    }
    started = time.perf_counter()
    with out.open("wb") as sink:
        proc = subprocess.Popen(
            [FINTOC_TUI, "transfers", "list", "--all", "--json",
             "--env", "sandbox", "--base-url", info["base_url"]],
            stdout=sink, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "failed")
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    with out.open(encoding="utf-8") as handle:
        count = sum(1 for line in handle if line.startswith("  {"))
    return {"transfers": count, "peak_rss_mib": peak, "seconds": elapsed}


def measure(transfers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        proc, info, seeded = start_sandbox(home, transfers)
        try:
            result = list_all(info, home, home / "out.json")
        finally:
            proc.terminate()
            proc.wait()
    result["seed_and_start_s"] = seeded
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 instead of 100,000")
    options = parser.parse_args()
    sizes = (1_000, 2_000, 20_000) if options.quick else (1_000, 10_000, 100_000)
    runs = {size: measure(size) for size in sizes}
    for size, run in runs.items():
        print(
            f"{size:>7,}: {run['transfers']:,} transfers listed in {run['seconds']:.1f} s "
            f"({run['transfers'] / run['seconds']:,.0f}/s), peak RSS {run['peak_rss_mib']:.1f} MiB"
        )
    small, base, big = sizes
    ratio = runs[big]["peak_rss_mib"] / runs[base]["peak_rss_mib"]
    warm = runs[big]["peak_rss_mib"] / runs[small]["peak_rss_mib"]
    print(
        f"peak memory {big:,} vs {base:,} transfers: {ratio:.2f}x (goal ≤ {GOAL_RATIO}x); "
        f"vs {small:,}: {warm:.2f}x (includes the allocator's warm-up)"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"cli-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "runs": {str(k): v for k, v in runs.items()},
                "ratio": ratio,
                "ratio_vs_smallest": warm,
                "goal": GOAL_RATIO,
            },
            indent=2,
        )
    )
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
