"""`fintoc-tui` without a subcommand: pick the environment, start the sandbox, run the app.

With `--sandbox` the first frame's accounts are read from the sandbox's state
file (`sandbox.state_peek`; on a first run a short child seeds it while this
process imports Textual), and the sandbox
child starts only after that frame, when the app builds its real client: the
child's start-up (~0.15 s of CPU, ~0.3 s on a first run) no longer competes
with the app's own, which on a busy machine it did even on another core.
When the file cannot answer for the server (a transfer due to settle, an
older schema), the child starts first thing, before Textual is imported,
and its accounts are fetched on a thread (`api.prefetch`) as before.

`--base-url` (and `FINTOC_BASE_URL` for test and live) points the environment
opened at another Fintoc-compatible server; a URL the key must not travel to
is refused here, in one line, before anything starts (`start_point`).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

    from fintoc_tui.api.prefetch import AccountsPrefetch
    from fintoc_tui.environments import Environment
    from fintoc_tui.ui.shell.app import FintocApp
    from fintoc_tui.ui.shell.sandbox_link import SandboxInfo, SandboxProcess


def chosen_environment(args: argparse.Namespace) -> str | None:
    """--sandbox, then --env, then the last environment used, else None (environment screen)."""
    if getattr(args, "sandbox", False):
        return "sandbox"
    if getattr(args, "env", None):
        return args.env
    from fintoc_tui.ui.shell.config import load_state

    return load_state().environment


def start_point(
    name: str | None, base_url: str | None
) -> tuple[Environment | str | None, SandboxInfo | None]:
    """What to open: `name` as is, or at another server; and a sandbox you started, if named.

    - sandbox with `--base-url`: that sandbox (its test key, this machine's
      sandbox demo JWS key); no child is started. Without it the app starts
      its own, whatever `FINTOC_BASE_URL` says (`--sandbox` means a local one).
    - test or live: at `--base-url`, else `FINTOC_BASE_URL`, else Fintoc.
    Raises `environments.BaseUrlError` with the reason (plain http off this
    machine in test and live, a path, not a URL) or when `--base-url` has no
    environment to apply to.
    """
    from fintoc_tui.environments import BaseUrlError, check_base_url, environment_for

    if name is None:
        if base_url:
            raise BaseUrlError("it needs an environment: add --env sandbox, test or live")
        return None, None
    if name == "sandbox":
        if not base_url:
            return name, None
        from fintoc_tui import paths
        from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY
        from fintoc_tui.ui.shell.sandbox_link import SandboxInfo

        url = check_base_url(base_url, "sandbox")
        key_path = str(paths.sandbox_jws_key_file())
        return name, SandboxInfo(url, SANDBOX_SECRET_KEY, jws_private_key_path=key_path)
    environment = environment_for(name, base_url)  # type: ignore[arg-type]  # test or live
    if environment == environment_for(name, env={}):  # type: ignore[arg-type]
        return name, None  # Fintoc's own: keep the name (a remembered live still asks)
    return environment, None


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


def _start_seeding() -> subprocess.Popen[bytes] | None:
    """On a first run, seed the sandbox's state file in a child while Textual loads here."""
    from fintoc_tui import paths
    from fintoc_tui.sandbox.state_peek import start_seeding

    try:
        return start_seeding(paths.sandbox_state_file())
    except OSError:  # no child: `_accounts_from_state_file` seeds in process
        return None


def _accounts_from_state_file(
    seeding: subprocess.Popen[bytes] | None = None,
) -> AccountsPrefetch | None:
    """The sandbox's accounts read from its state file (seeded now if missing), or None.

    `seeding` is `_start_seeding`'s child: waited for first (on a first run it
    has seeded the file meanwhile). None whenever the file cannot stand in for
    the server's answer; the app then starts the child at once and waits for
    it, as it would anyway.
    """
    import time

    from fintoc_tui import paths
    from fintoc_tui.api.prefetch import AccountsPrefetch, PrefetchUnusable, parse_accounts
    from fintoc_tui.sandbox.state_peek import accounts_body, finish_seeding, seed_if_missing

    path = paths.sandbox_state_file()
    try:
        if seeding is not None:
            finish_seeding(seeding, path)
        else:
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


def _sandbox_prefetch(
    seeding: subprocess.Popen[bytes] | None = None,
) -> tuple[AccountsPrefetch, SandboxProcess | None]:
    """The first frame's accounts: from the state file, else from a sandbox child started now."""
    prefetch = _accounts_from_state_file(seeding)
    if prefetch is not None:
        return prefetch, None
    from fintoc_tui.ui.shell.sandbox_link import SandboxProcess

    child = SandboxProcess()
    return _start_prefetch(child), child


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
    import sys

    from fintoc_tui.environments import BASE_URL_VARIABLE, BaseUrlError
    from fintoc_tui.ui.shell.config import RememberedEnvironment

    name = chosen_environment(args)
    base_url = getattr(args, "base_url", None)
    try:
        environment, given_sandbox = start_point(name, base_url)
    except BaseUrlError as error:
        source = "--base-url" if base_url else BASE_URL_VARIABLE
        print(f"fintoc-tui: error: {source}: {error}", file=sys.stderr)
        return 2
    child: SandboxProcess | None = None
    prefetch: AccountsPrefetch | None = None
    seeding: subprocess.Popen[bytes] | None = None
    if environment == "sandbox" and given_sandbox is None:
        # The first frame paints the prefetched accounts; the client stack
        # (httpx, pydantic) loads after it, so nothing is preloaded here.
        # A first run's state file is seeded by a child while Textual loads.
        seeding = _start_seeding()
        if seeding is None:
            prefetch, child = _sandbox_prefetch()
        # else the app starts the child itself when it connects, after the first frame.
    elif environment is not None:
        _preload_client()
    try:
        from fintoc_tui.ui.shell.app import FintocApp

        if seeding is not None:
            prefetch, child = _sandbox_prefetch(seeding)

        # A sandbox you named with --base-url is the only one: none is started.
        launcher = {"sandbox_launcher": None} if given_sandbox is not None else {}
        app = FintocApp(
            environment=environment,  # type: ignore[arg-type]
            sandbox=given_sandbox or child,
            accounts_prefetch=prefetch,
            on_accounts_painted=_bench_hook(),
            # A live name read back from state.json asks before reopening, at any server.
            confirm_live=isinstance(name, RememberedEnvironment),
            **launcher,  # type: ignore[arg-type]
        )
        app.run()
    finally:
        if child is not None:
            child.close()
    return app.return_code or 0
