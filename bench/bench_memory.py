"""Memory of `fintoc-tui --sandbox` over a walk through every screen, and over long use.

The real app runs in a pseudo-terminal (120x36, the output parsed by pyte,
`fintoc_tui.testing.pty_session.PtySession`) and is driven with keys, as
a person would, against a sandbox seeded with `--transfers` transfers (3,000
by default, so the history can be scrolled past row 1,000). Its resident
memory is read from /proc (VmRSS of the app process, not the sandbox child):

1. the walk: accounts, an account's detail, the transfer form, the history
   scrolled past row 1,000, a transfer's detail, the environment screen, the
   help; RSS after it (goal ≤ 70 MiB);
2. leak, history: 1,000 page-downs over the loaded history (to the end and
   back to the top with `home`, again and again), RSS sampled on the way;
3. leak, form: 100 times the transfer form opened and left;
4. leak, account detail: 30 times an account's detail opened, its movements
   shown, and closed (each closed detail used to stay alive:
   ui/widgets/textual_leaks.py).

A leak shows as growth between the first sample after warm-up and the last
(goal: under 2 MiB for each); the app's memory allocator keeps some pages,
so a flat line, not zero, is the sign of no leak.

    .venv/bin/pip install pyte
    .venv/bin/python bench/bench_memory.py            # uses bench/results/venv (see bench_startup)
    .venv/bin/python bench/bench_memory.py --transfers 3000 --venv bench/results/venv

Results are printed with the load average and written to bench/results/memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_startup import RESULTS, build_venv
from fintoc_tui.testing.pty_session import PtySession

GOALS = {
    "after_walk_mib": 70.0,
    "history_growth_mib": 2.0,
    "form_growth_mib": 2.0,
    "detail_growth_mib": 2.0,
}
LOADED = re.compile(r"([0-9][0-9,]*) loaded")


def seed_home(home: Path, python: Path, transfers: int) -> None:
    """A data folder whose sandbox state holds `transfers` transfers (seeded by the bench venv)."""
    code = (
        "import sys; from pathlib import Path; "
        "from fintoc_tui.sandbox.store import SandboxStore; "
        "from fintoc_tui.sandbox.seed import seed_store; "
        "s = SandboxStore(Path(sys.argv[1])); seed_store(s, transfers=int(sys.argv[2])); s.close()"
    )
    subprocess.run(
        [str(python), "-c", code, str(home / "data" / "sandbox.sqlite3"), str(transfers)],
        check=True,
        env={**os.environ, "FINTOC_TUI_HOME": str(home)},
    )


def has(text: str) -> Callable[[Sequence[str]], bool]:
    return lambda lines: any(text in line for line in lines)


def loaded(lines: Sequence[str]) -> int:
    for line in lines:
        match = LOADED.search(line)
        if match:
            return int(match.group(1).replace(",", ""))
    return 0


def settled_rss(
    app: PtySession, key: str, test: Callable[[Sequence[str]], bool], what: str
) -> float:
    """Press `key`, wait for `test` and for the screen to settle; RSS then, MiB."""
    app.press(key)
    app.wait_for(test, what)
    app.wait_still()
    return app.rss_mib()


def walk(app: PtySession) -> dict[str, float]:
    """Every screen once; RSS after each, MiB."""
    rss: dict[str, float] = {}
    app.wait_for(has("Total MXN"), "the accounts")
    app.wait_for(has("key sk_test"), "the client to connect")
    app.wait_still()
    rss["accounts"] = app.rss_mib()

    rss["account detail"] = settled_rss(app, "enter", has("Account numbers"), "a detail")
    app.press("escape")
    app.wait_for(has("Total MXN"), "the accounts again")

    rss["transfer form"] = settled_rss(app, "2", has("New transfer"), "the transfer form")
    rss["history"] = settled_rss(app, "3", lambda lines: loaded(lines) > 0, "the history")
    for _ in range(40):  # ~31 rows a page: past row 1,000
        app.press("pagedown", pause=0.03)
    app.wait_for(lambda lines: loaded(lines) >= 1_000, "1,000 rows loaded")
    app.wait_still()
    rss["history, 1,000+ rows scrolled"] = app.rss_mib()

    rss["transfer detail"] = settled_rss(app, "enter", has("Transfer tr_"), "a transfer's detail")
    app.press("escape")
    app.wait_for(lambda lines: loaded(lines) > 0, "the history again")

    rss["environment"] = settled_rss(app, "e", has("Use this environment"), "the environment")
    rss["help"] = settled_rss(app, "?", has("Esc closes"), "the help")
    app.press("escape")
    app.wait_still()
    rss["after the walk"] = app.rss_mib()
    # What of it is the process's own (heap, Python objects) and what is pages of
    # shared libraries (libpython, OpenSSL, pydantic-core, SQLite) read from disk.
    rss["  of which anonymous"] = app.status_mib("RssAnon")
    rss["  of which files (libraries)"] = app.status_mib("RssFile")
    return rss


def history_leak(app: PtySession, presses: int = 1_000, every: int = 100) -> list[float]:
    app.press("3")
    app.wait_for(lambda lines: loaded(lines) > 0, "the history")
    app.wait_still()
    samples: list[float] = []
    done = 0
    while done < presses:
        for _ in range(every):
            app.press("pagedown", pause=0.01)
            done += 1
            if done % 50 == 0:
                app.press("home")  # back to the top: the same rows, scrolled again
        app.wait_still(quiet=0.5)
        samples.append(app.rss_mib())
    return samples


def cycles_rss(
    app: PtySession, opens: Callable[[], None], leaves: Callable[[], None], cycles: int, every: int
) -> list[float]:
    """`cycles` times a screen opened and left; RSS every `every` cycles."""
    samples: list[float] = []
    for cycle in range(1, cycles + 1):
        opens()
        leaves()
        if cycle % every == 0:
            app.wait_still(quiet=0.3)
            samples.append(app.rss_mib())
    return samples


def form_leak(app: PtySession, cycles: int = 100, every: int = 10) -> list[float]:
    def opens() -> None:
        app.press("2")
        app.wait_for(has("New transfer"), "the transfer form")

    def leaves() -> None:
        app.press("1")
        app.wait_for(has("Total MXN"), "the accounts")

    return cycles_rss(app, opens, leaves, cycles, every)


def detail_leak(app: PtySession, cycles: int = 30, every: int = 5) -> list[float]:
    app.press("1")
    app.wait_for(has("Total MXN"), "the accounts")

    def opens() -> None:
        app.press("enter")
        app.wait_for(has("Account numbers"), "an account's detail")
        app.wait_for(has("more load as you scroll"), "the account's movements")

    def leaves() -> None:
        app.press("escape")
        app.wait_for(has("Total MXN"), "the accounts again")

    return cycles_rss(app, opens, leaves, cycles, every)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transfers", type=int, default=3_000)
    parser.add_argument("--venv", type=Path, default=RESULTS / "venv")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    python = build_venv(args.venv.resolve())
    home = Path(tempfile.mkdtemp(prefix="fintoc-memory-"))
    seed_home(home, python, args.transfers)
    env = {
        key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "LC_ALL")
    } | {
        "TERM": "xterm-256color",
        "FINTOC_TUI_HOME": str(home),
        "PYTHON_KEYRING_BACKEND": "fintoc_tui.keyring_memory.MemoryKeyring",
    }
    load = os.getloadavg()[0]
    app = PtySession([str(python.parent / "fintoc-tui"), "--sandbox"], env)
    try:
        rss = walk(app)
        history = history_leak(app)
        form = form_leak(app)
        detail = detail_leak(app)
        peak = app.peak_rss_mib()
    finally:
        code = app.close()
        shutil.rmtree(home, ignore_errors=True)
    figures = {
        "after_walk_mib": rss["after the walk"],
        "history_growth_mib": history[-1] - history[1],
        "form_growth_mib": form[-1] - form[1],
        "detail_growth_mib": detail[-1] - detail[1],
    }
    print(f"app RSS over the walk ({args.transfers:,} transfers, load {load:.1f}):")
    for step, mib in rss.items():
        print(f"  {step:32} {mib:6.1f} MiB")
    print(
        "history, RSS every 100 page-downs: "
        + " ".join(f"{m:.1f}" for m in history)
        + f"  (growth after warm-up {figures['history_growth_mib']:+.1f} MiB)"
    )
    print(
        "form opened and left, RSS every 10: "
        + " ".join(f"{m:.1f}" for m in form)
        + f"  (growth after warm-up {figures['form_growth_mib']:+.1f} MiB)"
    )
    print(
        "account detail opened and closed, RSS every 5: "
        + " ".join(f"{m:.1f}" for m in detail)
        + f"  (growth after warm-up {figures['detail_growth_mib']:+.1f} MiB)"
    )
    ok = all(figures[k] <= goal for k, goal in GOALS.items()) and code == 0
    print(
        f"peak {peak:.1f} MiB; after the walk {figures['after_walk_mib']:.1f} MiB (goal ≤ "
        f"{GOALS['after_walk_mib']:.0f}); exit {code} → {'OK' if ok else 'MISSED'}"
        f"  (load {os.getloadavg()[0]:.1f})"
    )
    (RESULTS / "memory.json").write_text(
        json.dumps(
            {
                "at": datetime.now(UTC).isoformat(),
                "transfers": args.transfers,
                "walk": rss,
                "history_samples": history,
                "form_samples": form,
                "detail_samples": detail,
                "peak_mib": peak,
                "figures": figures,
                "goals": GOALS,
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
