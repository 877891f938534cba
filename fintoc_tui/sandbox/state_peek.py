"""The sandbox's accounts list, read straight from its state file, for the app's first frame.

`fintoc-tui --sandbox` used to wait for its sandbox child (~0.15 s of CPU to
import Starlette and uvicorn and start serving, ~0.3 s on a first run that
seeds and makes the demo JWS key) before it could paint the balances, and on
a busy machine the child's CPU came straight out of the app's share of it.
The state file already holds every account as the JSON `GET /v2/accounts`
serves, so the first frame reads them here, with the standard library, and
the child starts after that frame (the client lists the accounts again
through it and its answer replaces these).

The read is refused (None; the app then waits for the child as before)
whenever the server could answer differently: a state file of another
schema version (the child migrates it), not yet seeded, more accounts than
one page, or a transfer whose settlement is due (the server settles it, and
may move a balance, before it answers). Nothing here writes, except
`seed_if_missing` on a first run: a fresh data folder is seeded before the
first frame, so it never shows a loading state while the sandbox seeds. The
seeding runs in a short child of its own (`start_seeding`, ~30 ms of CPU with
its imports) on the other core while the app imports Textual, so a first run
paints as soon as a later one (bench/bench_terminal.py, "fresh").
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    import subprocess
    from datetime import datetime

#: The page size the app's first request asks for (`api.prefetch.ACCOUNTS_PATH`).
ACCOUNTS_LIMIT = 300
#: The store's schema this reader knows (`store.SCHEMA_VERSION`; a test holds them equal).
KNOWN_SCHEMA_VERSION = "3"


def accounts_body(path: Path, *, now: float, limit: int = ACCOUNTS_LIMIT) -> bytes | None:
    """The body `GET /v2/accounts?limit=<limit>` would get from this state file at `now`, or None."""
    if not path.is_file():
        return None
    try:
        # Read-only: this process never changes the sandbox's state.
        db = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        meta = dict(
            db.execute("SELECT key, value FROM meta WHERE key IN ('schema_version', 'seed')")
        )
        if meta.get("schema_version") != KNOWN_SCHEMA_VERSION or "seed" not in meta:
            return None
        due = db.execute(
            "SELECT 1 FROM transfers WHERE settle_at IS NOT NULL AND settle_at <= ? LIMIT 1",
            (now,),
        ).fetchone()
        if due is not None:
            return None
        rows = [
            r[0]
            for r in db.execute("SELECT data FROM accounts ORDER BY seq DESC LIMIT ?", (limit + 1,))
        ]
    except sqlite3.Error:
        return None
    finally:
        db.close()
    if len(rows) > limit:
        return None
    return ("[" + ",".join(rows) + "]").encode("utf-8")


def start_seeding(path: Path) -> subprocess.Popen[bytes] | None:
    """Seed a missing state file in a child process (`seed_if_missing` there); None if it exists.

    Its output goes nowhere: the terminal is about to be the app's. Whoever
    waits for it reads the file afterwards, and seeds in process if the child
    could not (`finish_seeding`).
    """
    if path.exists():
        return None
    import subprocess  # here: a later run never needs it before its first frame

    return subprocess.Popen(
        [sys.executable, "-m", __name__, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def finish_seeding(seeding: subprocess.Popen[bytes], path: Path, *, timeout: float = 30.0) -> None:
    """Wait for `start_seeding`'s child; if it failed or hung, seed here (raises what that raises)."""
    import subprocess

    try:
        seeding.wait(timeout)
    except subprocess.TimeoutExpired:
        seeding.kill()
        seeding.wait()
    seed_if_missing(path)  # a no-op once the child seeded; otherwise the real error, here


def seed_if_missing(path: Path, *, now: datetime | None = None) -> bool:
    """Seed a state file that does not exist yet, as the sandbox's first start would; True if it did.

    Same seed, size and clock as `fintoc-tui sandbox` with no options, so the
    child that opens it next finds it seeded and leaves it be. Seeded in
    memory and copied to a private temporary file that then replaces `path`
    in one step: no other process ever sees a half-seeded file, and nothing
    is fsynced on the way (SQLite syncs 6 times to create a store on disk,
    ~0.1 s on a busy disk; a crash now loses only demo data, made again on
    the next start). The sandbox turns the file to WAL when it opens it.
    """
    if path.exists():
        return False
    import os

    from fintoc_tui import paths
    from fintoc_tui.clock import SystemClock
    from fintoc_tui.sandbox.seed import DEFAULT_SEED, DEFAULT_TRANSFERS, seed_store
    from fintoc_tui.sandbox.store import SandboxStore

    path.parent.mkdir(parents=True, exist_ok=True)
    staging = paths.private_file(path.with_name(f"{path.name}.seeding-{os.getpid()}"))
    try:
        with SandboxStore(None) as store:
            seed_store(
                store,
                seed=DEFAULT_SEED,
                transfers=DEFAULT_TRANSFERS,
                now=now or SystemClock().now(),
            )
            target = sqlite3.connect(staging)
            try:
                target.execute("PRAGMA synchronous=OFF")
                with store.reading() as db:
                    db.backup(target)
            finally:
                target.close()
        if path.exists():  # another process seeded it meanwhile: theirs stands
            return False
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
    return True


if __name__ == "__main__":  # `start_seeding`'s child
    seed_if_missing(Path(sys.argv[1]))
