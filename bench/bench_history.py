"""History at scale: first rows, page-down latency and memory, 1,000 vs 100,000 transfers.

    .venv/bin/python bench/bench_history.py            # everything
    .venv/bin/python bench/bench_history.py --quick    # 1,000 vs 20,000, fewer rows scrolled

For each size a sandbox child process is seeded (`fintoc-tui sandbox
--seed-transfers N`) and served on loopback, then a fresh Python process runs
the app headless (120x36) against it, so the app's peak RSS is its own and
not the sandbox's. Each run measures:

- time to first rows: from pressing `3` (history mode) to the first rows in
  the table;
- page-down latency: each `pagedown` key press until the app is idle again,
  while scrolling 5,000 rows (pages load in a worker as the cursor nears the
  end; waiting for a page is not counted as key latency);
- peak RSS of the app process after scrolling.

A third section measures the decision behind `HistoryTable`: event-loop time
to add 10,000 rows in pages of 200 to Textual's `DataTable` and to
`HistoryTable`, in the same process.

Results are ratios against the 1,000-transfer run measured in the same
invocation (goals: first rows ≤ 1.5x, page-down ≤ 1.2x, peak ≤ 120 MiB).
They are printed and written to bench/results/ (gitignored).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOALS = {"first_rows_ratio": 1.5, "page_down_ratio": 1.2, "peak_rss_mib": 120.0}


# -- the sandbox child ---------------------------------------------------------------------


def start_sandbox(transfers: int, state: Path) -> tuple[subprocess.Popen[bytes], dict]:
    cmd = [
        sys.executable,
        "-m",
        "fintoc_tui",
        "sandbox",
        "--port",
        "0",
        "--announce-json",
        "--state",
        str(state),
        "--seed-transfers",
        str(transfers),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    for raw in proc.stdout:
        if raw.strip().startswith(b"{"):
            return proc, json.loads(raw)
    proc.wait()
    raise RuntimeError(f"the sandbox exited ({proc.returncode}) before announcing itself")


# -- one measured app run (in its own process) ---------------------------------------------------


async def _until(pilot, predicate, limit: int = 100_000) -> None:
    for _ in range(limit):
        if predicate():
            return
        await pilot.pause()
    raise TimeoutError("condition never became true")


async def measure_app(info: dict, scroll_rows: int) -> dict:
    from fintoc_tui.credentials import CredentialStore
    from fintoc_tui.keyring_memory import MemoryKeyring
    from fintoc_tui.ui.history.history_screen import HistoryScreen
    from fintoc_tui.ui.history.history_table import HistoryTable
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.shell.sandbox_link import SandboxInfo

    sandbox = SandboxInfo(
        base_url=info["base_url"],
        secret_key=info["secret_key"],
        jws_private_key_path=info.get("jws_private_key_path"),
    )
    app = FintocApp(
        environment="sandbox",
        credentials=CredentialStore(keyring=MemoryKeyring(), env={}),
        sandbox=sandbox,
        sandbox_launcher=None,
        remember=False,
    )
    app.animation_level = "none"
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: app.client is not None)
        await app.workers.wait_for_complete()
        started = time.perf_counter()
        await pilot.press("3")
        await _until(
            pilot,
            lambda: isinstance(app.screen, HistoryScreen) and app.screen.table.row_count > 0,
        )
        first_rows = time.perf_counter() - started
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(HistoryTable)
        table.focus()
        await pilot.pause()
        latencies: list[float] = []
        waits = 0
        while table.cursor_row < scroll_rows:
            if table.cursor_row >= table.row_count - 1:
                if screen.exhausted:
                    break
                # The person outran the prefetch: wait for the page (not key latency).
                waits += 1
                await app.workers.wait_for_complete()
                await pilot.pause()
                continue
            latencies.append(await page_down_latency(app, table))
            await pilot.pause()  # the person's think time: workers and messages run
        rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {
            "first_rows_s": first_rows,
            "page_down_median_ms": statistics.median(latencies) * 1000,
            "page_down_p95_ms": sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000,
            "page_down_presses": len(latencies),
            "page_waits": waits,
            "rows_loaded": len(screen.rows),
            "cursor_row": table.cursor_row,
            "peak_rss_mib": rss_kib / 1024,
        }


async def page_down_latency(app, table) -> float:
    """From the key event to its frame being rendered, on the app's own event loop.

    Pilot's `press` adds its own idle-detection sleeps (tens of ms), so the key
    goes straight to the driver and the frame is rendered as soon as the
    cursor has moved (what the screen's refresh timer would do next).
    """
    from textual import events

    before = table.cursor_row
    started = time.perf_counter()
    app._driver.send_message(events.Key("pagedown", None))
    while table.cursor_row == before:
        await asyncio.sleep(0)
    app.screen._on_timer_update()
    return time.perf_counter() - started


def run_size(transfers: int, scroll_rows: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FINTOC_TUI_HOME": tmp}
        os.environ["FINTOC_TUI_HOME"] = tmp
        seeded = time.perf_counter()
        proc, info = start_sandbox(transfers, Path(tmp) / "sandbox.sqlite3")
        seed_s = time.perf_counter() - seeded
        try:
            out = subprocess.run(
                [sys.executable, __file__, "--app-run", json.dumps(info), str(scroll_rows)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["transfers"] = transfers
        result["sandbox_start_s"] = seed_s
        return result


# -- DataTable vs HistoryTable ---------------------------------------------------------------


async def measure_tables(total: int = 10_000, page: int = 200) -> dict:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from fintoc_tui.ui.history.history_table import HistoryTable
    from fintoc_tui.ui.history.rows import COLUMNS

    rows = [
        (
            "2025-09-02 15:58",
            "↑ out",
            f"Proveedor {i} · BBVA México",
            f"-${i:,}.00 MXN",
            "succeeded",
            f"Factura {i}",
        )
        for i in range(total)
    ]

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()
            yield HistoryTable(COLUMNS)

    results = {}
    app = Bench()
    async with app.run_test(size=(120, 36)) as pilot:
        data_table = app.query_one(DataTable)
        data_table.add_columns(*(c.label for c in COLUMNS))
        history_table = app.query_one(HistoryTable)
        await pilot.pause()
        # DataTable: add_rows, then the idle pass that measures the new cells.
        spent = 0.0
        for start in range(0, total, page):
            t0 = time.perf_counter()
            data_table.add_rows(rows[start : start + page])
            await data_table._on_idle(None)  # the work it would do on the next idle
            spent += time.perf_counter() - t0
        results["datatable_ms_per_row"] = spent / total * 1000
        spent = 0.0
        for start in range(0, total, page):
            t0 = time.perf_counter()
            history_table.append_rows(rows[start : start + page])
            history_table.render_lines(history_table.region)  # one frame's rendering
            spent += time.perf_counter() - t0
        results["history_table_ms_per_row"] = spent / total * 1000
    results["rows"] = total
    results["page"] = page
    results["speedup"] = results["datatable_ms_per_row"] / results["history_table_ms_per_row"]
    results["datatable_ms_per_page"] = results["datatable_ms_per_row"] * page
    results["history_table_ms_per_page"] = results["history_table_ms_per_row"] * page
    return results


# -- main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 vs 20,000; scroll 2,000 rows")
    parser.add_argument("--app-run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.app_run:
        info, scroll_rows = json.loads(args.app_run[0]), int(args.app_run[1])
        print(json.dumps(asyncio.run(measure_app(info, scroll_rows))))
        return 0

    small, large = (1_000, 20_000) if args.quick else (1_000, 100_000)
    scroll_rows = 2_000 if args.quick else 5_000
    tables = asyncio.run(measure_tables())
    print(
        f"table: adding {tables['rows']:,} rows in pages of {tables['page']}: DataTable "
        f"{tables['datatable_ms_per_page']:.1f} ms/page ({tables['datatable_ms_per_row']:.3f} "
        f"ms/row), HistoryTable {tables['history_table_ms_per_page']:.1f} ms/page including "
        f"a frame ({tables['speedup']:.0f}x less event-loop time)"
    )
    base = run_size(small, scroll_rows)
    big = run_size(large, scroll_rows)
    for run in (base, big):
        print(
            f"{run['transfers']:>7,} transfers: first rows {run['first_rows_s'] * 1000:7.1f} ms, "
            f"page-down median {run['page_down_median_ms']:6.2f} ms "
            f"(p95 {run['page_down_p95_ms']:.2f}, {run['page_down_presses']} presses, "
            f"{run['page_waits']} waits for a page), loaded {run['rows_loaded']:,}, "
            f"peak RSS {run['peak_rss_mib']:.1f} MiB"
        )
    ratios = {
        "first_rows_ratio": big["first_rows_s"] / base["first_rows_s"],
        "page_down_ratio": big["page_down_median_ms"] / base["page_down_median_ms"],
        "peak_rss_mib": max(base["peak_rss_mib"], big["peak_rss_mib"]),
    }
    ok = all(ratios[k] <= goal for k, goal in GOALS.items())
    print(
        f"ratios {large:,}/{small:,}: first rows {ratios['first_rows_ratio']:.2f} (goal ≤ 1.5), "
        f"page-down {ratios['page_down_ratio']:.2f} (goal ≤ 1.2); "
        f"peak RSS {ratios['peak_rss_mib']:.1f} MiB (goal ≤ 120) → {'OK' if ok else 'MISSED'}"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"history-{stamp}.json"
    out.write_text(
        json.dumps(
            {"tables": tables, "runs": [base, big], "ratios": ratios, "goals": GOALS, "ok": ok},
            indent=2,
        )
    )
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
