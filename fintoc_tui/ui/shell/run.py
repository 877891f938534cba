"""`fintoc-tui` without a subcommand: pick the environment, start the sandbox, run the app.

With `--sandbox` the first frame's accounts are read from the sandbox's state
file (`sandbox.state_peek`, seeding it first on a first run), and the sandbox
child starts only after that frame, when the app builds its real client: the
child's start-up (~0.15 s of CPU, ~0.3 s on a first run) no longer competes
with the app's own, which on a busy machine it did even on another core.
When the file cannot answer for the server (a transfer due to settle, an
older schema), the child starts first thing, before Textual is imported,
and its accounts are fetched on a thread (`api.prefetch`) as before.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fintoc_tui.api.prefetch import AccountsPrefetch
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.shell.sandbox_link import SandboxProcess


def chosen_environment(args: argparse.Namespace) -> str | None:
    """--sandbox, then --env, then the last environment used, else None (environment screen)."""
    if getattr(args, "sandbox", False):
        return "sandbox"
    if getattr(args, "env", None):
        return args.env
    from fintoc_tui.ui.shell.config import load_state

    return load_state().environment


def _bench_hook() -> Callable[[FintocApp], None] | None:
    """For bench/bench_startup.py: note when the accounts table was painted, then quit.

    `FINTOC_TUI_BENCH_MARKER=<file>` turns it on; nobody else sets it. The
    file gets JSON: `painted_at` (epoch seconds) and `modules`, every module
    imported by then (a test checks the client stack is not among them).
    """
    marker = os.environ.get("FINTOC_TUI_BENCH_MARKER")
    if not marker:
        return None

    def painted(app: FintocApp) -> None:
        import json
        import sys
        import time

        painted_at = time.time()
        cpu_s = time.process_time()
        with open(marker, "w", encoding="utf-8") as out:
            json.dump(
                {"painted_at": painted_at, "cpu_s": cpu_s, "modules": sorted(sys.modules)}, out
            )
        app.exit()

    return painted


def _preload_client() -> None:
    """Import the HTTP client stack (httpx, pydantic models) now, before Textual.

    The sandbox child boots on the other core meanwhile. Importing it here
    rather than on a thread after the app mounts is faster: a thread would
    fight the running UI for the GIL (measured: ~290 ms of imports took
    ~800 ms that way).
    """
    from importlib import import_module

    import fintoc_tui.api.client
    import fintoc_tui.credentials  # noqa: F401
    from fintoc_tui.api.models import Account, parse_list

    # What the first request would otherwise import, on the connect worker
    # thread or inside the first request while the UI renders (measured: the
    # client factory took 100-250 ms there): httpcore and h11 (imported when
    # httpx builds a transport), anyio's asyncio backend (httpcore's async
    # I/O), and pydantic's plugin scan plus the accounts-list validator.
    # A warm-up only: a module that moved in a later release is skipped.
    for name in ("httpcore", "h11", "anyio._backends._asyncio"):
        try:
            import_module(name)
        except ImportError:
            pass
    parse_list(Account, b"[]")


def _accounts_from_state_file() -> AccountsPrefetch | None:
    """The sandbox's accounts read from its state file (seeded now if missing), or None.

    None whenever the file cannot stand in for the server's answer; the app
    then starts the child at once and waits for it, as it would anyway.
    """
    import time

    from fintoc_tui import paths
    from fintoc_tui.api.prefetch import AccountsPrefetch, PrefetchUnusable, parse_accounts
    from fintoc_tui.sandbox.state_peek import accounts_body, seed_if_missing

    path = paths.sandbox_state_file()
    try:
        seed_if_missing(path)
    except Exception:  # the child meets the same problem and says what it is
        return None
    body = accounts_body(path, now=time.time())
    if body is None:
        return None
    try:
        accounts = parse_accounts(body)
    except PrefetchUnusable:
        return None
    return AccountsPrefetch.settled(accounts) if accounts else None


def _start_prefetch(sandbox: SandboxProcess) -> AccountsPrefetch:
    """Fetch the sandbox's accounts on a thread while this one imports Textual.

    The thread blocks on the sandbox, then on the socket, and each time it
    wakes it waits for the import-busy main thread to hand over the GIL:
    by default up to 5 ms a time, which made a 4 ms request take ~120 ms.
    A 0.5 ms switch interval while it is in flight makes it answer in time
    for the first frame; the default comes back once it is done.
    """
    import sys

    from fintoc_tui.api.prefetch import AccountsPrefetch

    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, 0.0005))
    prefetch = AccountsPrefetch(sandbox.wait)
    prefetch.when_done(lambda _accounts: sys.setswitchinterval(interval))
    return prefetch


def run_app(args: argparse.Namespace) -> int:
    environment = chosen_environment(args)
    sandbox: SandboxProcess | None = None
    prefetch: AccountsPrefetch | None = None
    if environment == "sandbox":
        # The first frame paints the prefetched accounts; the client stack
        # (httpx, pydantic) loads after it, so nothing is preloaded here.
        prefetch = _accounts_from_state_file()
        if prefetch is None:
            from fintoc_tui.ui.shell.sandbox_link import SandboxProcess

            sandbox = SandboxProcess()
            prefetch = _start_prefetch(sandbox)
        # else the app starts the child itself when it connects, after the first frame.
    elif environment is not None:
        _preload_client()
    try:
        from fintoc_tui.ui.shell.app import FintocApp

        app = FintocApp(
            environment=environment,  # type: ignore[arg-type]
            sandbox=sandbox,
            accounts_prefetch=prefetch,
            on_accounts_painted=_bench_hook(),
        )
        app.run()
    finally:
        if sandbox is not None:
            sandbox.close()
    return app.return_code or 0
