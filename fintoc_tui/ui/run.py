"""`fintoc-tui` without a subcommand: pick the environment, start the sandbox, run the app.

The sandbox child is started before Textual is imported, so it boots on the
other core while the UI loads; the app waits for its announcement in a worker.
"""

from __future__ import annotations

import argparse
import os


def chosen_environment(args: argparse.Namespace) -> str | None:
    """--sandbox, then --env, then the last environment used, else None (environment screen)."""
    if getattr(args, "sandbox", False):
        return "sandbox"
    if getattr(args, "env", None):
        return args.env
    from fintoc_tui.ui.config import load_state

    return load_state().environment


def _bench_hook():
    """For bench/bench_startup.py: note the time the accounts table was painted, then quit.

    `FINTOC_TUI_BENCH_MARKER=<file>` turns it on; nobody else sets it.
    """
    marker = os.environ.get("FINTOC_TUI_BENCH_MARKER")
    if not marker:
        return None

    def painted(app) -> None:
        import time

        with open(marker, "w", encoding="utf-8") as out:
            out.write(repr(time.time()))
        app.exit()

    return painted


def run_app(args: argparse.Namespace) -> int:
    environment = chosen_environment(args)
    sandbox = None
    if environment == "sandbox":
        from fintoc_tui.ui.sandbox_link import SandboxProcess

        sandbox = SandboxProcess()
    try:
        from fintoc_tui.ui.app import FintocApp

        app = FintocApp(
            environment=environment,  # type: ignore[arg-type]
            sandbox=sandbox,
            on_accounts_painted=_bench_hook(),
        )
        app.run()
    finally:
        if sandbox is not None:
            sandbox.close()
    return app.return_code or 0
