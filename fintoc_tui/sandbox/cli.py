"""`fintoc-tui sandbox [serve|reset|magic]`.

`serve` (the default) seeds the state on first run, makes the demo JWS key on
first run, binds loopback, then says where it listens: as text for a person,
or with `--announce-json` as exactly one JSON line on stdout (the app starts
the sandbox as a child process and reads that line; everything else goes to
stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from fintoc_tui import paths

EXIT_USAGE = 2
#: The state file cannot be opened as it is (the message says what to do).
EXIT_STATE = 1


def stop_with_parent(parent_pid: int) -> bool:
    """Get SIGTERM when `parent_pid` (this process's parent) dies; False if it already has.

    Linux only (`PR_SET_PDEATHSIG`); elsewhere True and nothing changes. Set
    here, in the child, rather than by the parent between fork and exec (a
    `preexec_fn`, unsafe in a parent that runs threads, as the app does, and
    which loaded `ctypes` into the app: 0.4 MiB). The parent may die before
    this line; then it is no longer this process's parent, which is checked
    after the signal is armed, so no window is left.
    """
    if not sys.platform.startswith("linux"):
        return True
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return True
    pr_set_pdeathsig = 1
    prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    return os.getppid() == parent_pid


def _state_path(args: argparse.Namespace) -> Path | None:
    if getattr(args, "ephemeral", False):
        return None
    state = getattr(args, "reset_state", None) or getattr(args, "state", None)
    return Path(state).expanduser() if state else paths.sandbox_state_file()


def run_sandbox_command(args: argparse.Namespace) -> int:
    command = getattr(args, "sandbox_command", None) or "serve"
    if command == "magic":
        from fintoc_tui.sandbox.magic import magic_table_text

        print(magic_table_text())
        return 0
    if command == "reset":
        return _reset(args)
    return _serve(args)


def _reset(args: argparse.Namespace) -> int:
    path = _state_path(args)
    assert path is not None
    removed = False
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()
            removed = True
    if removed:
        print(f"Sandbox state deleted: {path}. The next start seeds fresh demo data.")
    else:
        print(f"No sandbox state at {path}; nothing to reset.")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from fintoc_tui.sandbox.server import NonLoopbackError, check_host

    parent = getattr(args, "parent_pid", None)
    if parent is not None and not stop_with_parent(parent):
        return 0  # the parent is gone already: nobody will use this sandbox

    host = args.host
    try:
        check_host(host, allow_non_loopback=args.allow_non_loopback)
    except NonLoopbackError as exc:
        print(f"fintoc-tui sandbox: {exc}", file=sys.stderr)
        return EXIT_USAGE
    public_pems: list[bytes] = []
    for name in args.jws_public_key or []:
        try:
            public_pems.append(Path(name).expanduser().read_bytes())
        except OSError as exc:
            print(f"fintoc-tui sandbox: cannot read {name}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE

    from fintoc_tui.api.jws import JWSKeyError, JWSVerifier
    from fintoc_tui.clock import SystemClock
    from fintoc_tui.sandbox.app import DEFAULT_SETTLE_AFTER, SANDBOX_SECRET_KEY, create_app
    from fintoc_tui.sandbox.faults import Faults
    from fintoc_tui.sandbox.keys import ensure_demo_key
    from fintoc_tui.sandbox.seed import DEFAULT_SEED, DEFAULT_TRANSFERS, seed_store
    from fintoc_tui.sandbox.server import SandboxServer
    from fintoc_tui.sandbox.store import SandboxStateError, SandboxStore

    out = sys.stderr if args.announce_json else sys.stdout
    clock = SystemClock()
    for pem, name in zip(public_pems, args.jws_public_key or [], strict=True):
        try:
            JWSVerifier([pem], clock)
        except JWSKeyError as exc:
            print(f"fintoc-tui sandbox: {name}: {exc}", file=sys.stderr)
            return EXIT_USAGE

    import sqlite3

    path = _state_path(args)
    try:
        store = SandboxStore(path)
    except SandboxStateError as exc:
        print(f"fintoc-tui sandbox: {exc}", file=sys.stderr)
        return EXIT_STATE
    except sqlite3.DatabaseError as exc:
        print(
            f"fintoc-tui sandbox: {path} is not a sandbox state file SQLite can open ({exc}). "
            "Nothing was changed. Run `fintoc-tui sandbox reset` to start again with fresh "
            "demo data, or use --state to pick another file.",
            file=sys.stderr,
        )
        return EXIT_STATE
    seed = DEFAULT_SEED if args.seed is None else args.seed
    if not store.is_seeded():
        transfers = DEFAULT_TRANSFERS if args.seed_transfers is None else args.seed_transfers
        print(f"Seeding demo data (seed {seed}, {transfers} transfers)…", file=out, flush=True)
        seed_store(store, seed=seed, transfers=transfers, now=clock.now())
    elif args.seed is not None and str(args.seed) != store.get_meta("seed"):
        print(
            f"Note: {path} was seeded with seed {store.get_meta('seed')}; "
            "run `fintoc-tui sandbox reset` to start over with a new seed.",
            file=out,
        )

    key_path, demo_public = ensure_demo_key()
    faults = Faults(
        latency=args.fault_latency or 0.0,
        error_rate=args.fault_error_rate or 0.0,
        rate_limit_rate=args.fault_429_rate or 0.0,
        drop_rate=args.fault_drop_rate or 0.0,
        methods=_methods(getattr(args, "fault_methods", None)),
        seed=getattr(args, "fault_seed", None) or 0,
    )
    app = create_app(
        store,
        clock,
        jws_public_pems=[demo_public, *public_pems],
        faults=faults,
        settle_after=DEFAULT_SETTLE_AFTER if args.settle_after is None else args.settle_after,
    )
    first_response = threading.Event()
    try:
        server = SandboxServer(
            _FirstResponse(app, first_response),
            host,
            args.port,
            allow_non_loopback=args.allow_non_loopback,
        ).start()
    except OSError as exc:
        print(f"fintoc-tui sandbox: cannot listen on {host}:{args.port}: {exc}", file=sys.stderr)
        return EXIT_USAGE

    if args.announce_json:
        announcement = {
            "base_url": server.base_url,
            "secret_key": SANDBOX_SECRET_KEY,
            "jws_private_key_path": str(key_path),
        }
        sys.stdout.write(json.dumps(announcement) + "\n")
        sys.stdout.flush()
    else:
        print(
            f"Fintoc sandbox (test mode) listening on {server.base_url}\n"
            f"  secret key:       {SANDBOX_SECRET_KEY}\n"
            f"  JWS private key:  {key_path}  (its public key is registered)\n"
            f"  state:            {path or 'in memory (--ephemeral)'}\n"
            f"  magic counterparties: fintoc-tui sandbox magic\n"
            "  webhooks:         POST /v1/webhook_endpoints with a URL on this machine; "
            "each delivery is printed here\n"
            "Press Ctrl-C to stop.",
            file=out,
            flush=True,
        )

    from fintoc_tui.sandbox.webhook_delivery import WebhookDispatcher, describe_attempt

    # Webhooks go out from their own thread, which also settles transfers
    # while no client is asking; each delivery is printed as it happens.
    dispatcher = WebhookDispatcher(
        store,
        clock,
        settle_after=app.state.settle_after,
        on_attempt=lambda attempt: print(describe_attempt(attempt), file=out, flush=True),
    ).start()
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()
        first_response.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        # The app's first request (its accounts list) is served before the
        # sandbox spends CPU on what only POSTs need; then a low-priority
        # thread builds it, so the first transfer does not wait for it either.
        first_response.wait(timeout=10)
        if not stop.is_set():
            threading.Thread(target=_warm_post_path, name="warm-post-path", daemon=True).start()
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        dispatcher.stop()
        store.close()
    return 0


def _methods(text: str | None) -> frozenset[str] | None:
    """`--fault-methods POST,PUT` → {"POST", "PUT"}; None (every method) when not given."""
    names = frozenset(part.strip().upper() for part in (text or "").split(",") if part.strip())
    return names or None


class _FirstResponse:
    """ASGI wrapper that sets `event` once the first HTTP request has been answered."""

    def __init__(self, app: Any, event: threading.Event) -> None:
        self.app = app
        self.event = event

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http":
                self.event.set()


def _warm_post_path() -> None:
    """Import pydantic and build the request validators (~0.15 s) off the start-up path.

    At the lowest CPU priority: measured on a busy 2-core machine, this work at
    normal priority right after the accounts response delayed the app's first
    paint by ~200 ms. On Linux a nice value is per thread, so only this thread
    yields; elsewhere it would lower the whole server, so it is left alone.
    """
    if sys.platform.startswith("linux"):
        try:
            os.nice(19)
        except OSError:
            pass
    from fintoc_tui.api import models

    for model in (
        models.Account,
        models.TransferRequest,
        models.ReturnTransferRequest,
        models.SimulateReceiveTransferRequest,
    ):
        model.model_rebuild(force=True)
