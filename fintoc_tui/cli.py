"""Command line entry point.

Arguments are parsed before anything heavy is imported, so `--help` and
`--version` answer instantly; each command imports its own machinery lazily.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from fintoc_tui import __version__

ENVIRONMENTS = ("sandbox", "test", "live")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fintoc-tui",
        description=(
            "A terminal app for Fintoc's Transfers API (v2): accounts and balances, "
            "transfers with a confirmation step, history, and test/live modes. "
            "Run with --sandbox to try it against a local emulator, no account needed."
        ),
    )
    parser.add_argument("--version", action="version", version=f"fintoc-tui {__version__}")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="start a local sandbox on loopback and open the app on it (same as --env sandbox)",
    )
    parser.add_argument(
        "--env",
        choices=ENVIRONMENTS,
        help="environment to open (default: the last one used, or the environment screen)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sandbox = sub.add_parser(
        "sandbox",
        help="run the local Fintoc v2 test-mode emulator",
        description=(
            "Serve a local emulator of the Fintoc v2 API in test mode. Any Fintoc client "
            "(fintoc-tui, the official SDKs, curl) can point at it. Options go before or "
            "after `serve`; see docs/sandbox.md."
        ),
    )
    sandbox_sub = sandbox.add_subparsers(dest="sandbox_command", metavar="ACTION")
    serve = sandbox_sub.add_parser("serve", help="serve the sandbox (the default)")
    # The serve options are accepted both as `sandbox --port 0` and `sandbox serve
    # --port 0`; on `serve` they default to SUPPRESS so they never undo the former.
    for target, quiet in ((sandbox, False), (serve, True)):

        def opt(*names, default=None, _t=target, _q=quiet, **kw):
            _t.add_argument(*names, default=argparse.SUPPRESS if _q else default, **kw)

        opt("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
        opt("--port", type=int, default=8765, help="port to bind (default 8765; 0 = any)")
        opt(
            "--allow-non-loopback",
            action="store_true",
            default=False,
            help="permit binding an address that is not loopback (the sandbox has no real security)",
        )
        state = target.add_mutually_exclusive_group()
        state.add_argument(
            "--state",
            metavar="PATH",
            default=argparse.SUPPRESS if quiet else None,
            help="SQLite file for the sandbox state (default: in the user data dir)",
        )
        state.add_argument(
            "--ephemeral",
            action="store_true",
            default=argparse.SUPPRESS if quiet else False,
            help="keep state in memory only",
        )
        opt("--seed", type=int, help="seed for the demo data (default 7)")
        opt(
            "--seed-transfers",
            type=int,
            metavar="N",
            help="transfers in the seeded history (default 300)",
        )
        opt(
            "--jws-public-key",
            action="append",
            default=[],
            metavar="FILE",
            help="register your own JWS public key (SPKI PEM); may be repeated",
        )
        opt(
            "--settle-after",
            type=float,
            metavar="SECONDS",
            help="seconds before a pending transfer reaches its outcome (default 4)",
        )
        opt(
            "--announce-json",
            action="store_true",
            default=False,
            help="once listening, print one JSON line {base_url, secret_key, jws_private_key_path}",
        )
        opt(
            "--fault-latency",
            type=float,
            metavar="SECONDS",
            help="fault: added latency per request",
        )
        opt(
            "--fault-error-rate",
            type=float,
            metavar="P",
            help="fault: share of requests answered 503",
        )
        opt(
            "--fault-429-rate",
            type=float,
            metavar="P",
            help="fault: share answered 429 + Retry-After",
        )
        opt(
            "--fault-drop-rate",
            type=float,
            metavar="P",
            help="fault: share of requests committed, then the connection dropped",
        )
    reset = sandbox_sub.add_parser("reset", help="delete the sandbox state and start over")
    reset.add_argument("--state", metavar="PATH", dest="reset_state", help="state file to reset")
    sandbox_sub.add_parser("magic", help="print the magic counterparties that force outcomes")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "sandbox":
        from fintoc_tui.sandbox.cli import run_sandbox_command

        return run_sandbox_command(args)
    from fintoc_tui.ui.shell.run import run_app

    return run_app(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
