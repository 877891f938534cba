"""Command line entry point.

Arguments are parsed before anything heavy is imported, so `--help` and
`--version` answer instantly; each command imports its own machinery lazily.
`fintoc-tui` alone opens the app; `sandbox` serves the emulator; `accounts`,
`transfers`, `doctor`, `journal` and `batch` are the scriptable commands
(`fintoc_tui/commands`, no Textual; docs/cli.md).
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
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="open the environment at another Fintoc-compatible server, e.g. a "
        "`fintoc-tui sandbox` you started (test and live: also FINTOC_BASE_URL); "
        "plain http only on this machine in test and live",
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
        epilog=(
            "Webhooks: register a receiver on this machine (POST /v1/webhook_endpoints with "
            "a loopback url and enabled_events). Every transfer transition is then POSTed to "
            "it, signed (Fintoc-Signature), and retried with backoff on a non-2xx; each "
            "delivery is printed as it happens: event type, URL, HTTP status, attempt."
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
            "--parent-pid",
            type=int,
            metavar="PID",
            help="stop when process PID ends (Linux; the app passes its own)",
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
        opt(
            "--fault-methods",
            metavar="METHODS",
            help="fault: only these HTTP methods, comma-separated (e.g. POST; default every one)",
        )
        opt(
            "--fault-seed",
            type=int,
            metavar="N",
            help="fault: seed for the fault rates (default 0)",
        )
    reset = sandbox_sub.add_parser("reset", help="delete the sandbox state and start over")
    reset.add_argument("--state", metavar="PATH", dest="reset_state", help="state file to reset")
    sandbox_sub.add_parser("magic", help="print the magic counterparties that force outcomes")
    _add_commands(sub)
    return parser


#: The scriptable commands (fintoc_tui/commands); everything else opens the app.
COMMANDS = ("accounts", "transfers", "doctor", "journal", "batch")


def _add_commands(sub: argparse._SubParsersAction) -> None:
    """`accounts`, `transfers …`, `doctor`, `journal`, `batch`: see docs/cli.md."""
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_argument_group("where")
    # SUPPRESS: `fintoc-tui --env test accounts` and `fintoc-tui accounts --env test` both work.
    where.add_argument(
        "--env",
        choices=ENVIRONMENTS,
        default=argparse.SUPPRESS,
        help="sandbox, test or live (default: test; live is never the default)",
    )
    where.add_argument(
        "--base-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="any Fintoc-compatible server, e.g. a `fintoc-tui sandbox` you started "
        "(also FINTOC_BASE_URL); plain http only on this machine in test and live",
    )
    machine = argparse.ArgumentParser(add_help=False)
    fmt = machine.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON for machines (amounts as ints)")
    fmt.add_argument("--csv", action="store_true", help="CSV for machines (amounts as ints)")
    json_only = argparse.ArgumentParser(add_help=False)
    json_only.add_argument("--json", action="store_true", help="JSON for machines")
    epilog = "Exit codes and every option: docs/cli.md."

    def add(
        target: argparse._SubParsersAction, name: str, help: str, *parents: argparse.ArgumentParser
    ) -> argparse.ArgumentParser:
        return target.add_parser(
            name,
            help=help,
            description=help[:1].upper() + help[1:] + ".",
            parents=[common, *parents],
            epilog=epilog,
        )

    add(sub, "accounts", "list the accounts and their balances", machine)

    transfers = sub.add_parser("transfers", help="list, show, export or create transfers")
    tsub = transfers.add_subparsers(dest="transfers_command", metavar="ACTION", required=True)
    filters = argparse.ArgumentParser(add_help=False)
    group = filters.add_argument_group("filters")
    group.add_argument("--account", metavar="ACCOUNT", help="account id, number or description")
    group.add_argument("--direction", choices=("inbound", "outbound"))
    group.add_argument(
        "--status",
        choices=("pending", "succeeded", "failed", "rejected", "returned", "return_pending"),
    )
    group.add_argument(
        "--since", metavar="DATE", help="from this day (YYYY-MM-DD) or time (ISO 8601, UTC)"
    )
    group.add_argument("--until", metavar="DATE", help="up to this day (inclusive) or time")
    listing = add(tsub, "list", "list transfers, newest first", filters, machine)
    size = listing.add_mutually_exclusive_group()
    size.add_argument(
        "--limit", type=int, metavar="N", default=30, help="at most N transfers (default 30)"
    )
    size.add_argument("--all", action="store_true", help="every matching transfer (streamed)")
    get = add(tsub, "get", "show one transfer", json_only)
    get.add_argument("transfer_id", metavar="ID")
    export = add(
        tsub, "export", "write matching transfers to a CSV or JSON file", filters, json_only
    )
    export.add_argument("path", metavar="PATH")
    export.add_argument("--format", choices=("csv", "json"), help="default: from PATH's extension")
    create = add(
        tsub, "create", "send a transfer: validated, restated, confirmed, journaled", json_only
    )
    create.add_argument(
        "--from", dest="source", metavar="ACCOUNT", help="source account: id, number or description"
    )
    dest = create.add_mutually_exclusive_group()
    dest.add_argument("--to", metavar="CLABE", help="Mexico: the destination CLABE")
    dest.add_argument(
        "--cl-account", metavar="NUMBER", help="Chile: the destination account number"
    )
    create.add_argument(
        "--amount",
        required=True,
        metavar="AMOUNT",
        help="as you would type it: 590.13 (MXN), 59.013 (CLP)",
    )
    create.add_argument(
        "--currency",
        choices=("MXN", "CLP"),
        type=str.upper,
        help="must be the source account's (a check)",
    )
    create.add_argument(
        "--holder-name",
        metavar="NAME",
        default="",
        help="the destination's holder (required in Chile)",
    )
    create.add_argument(
        "--holder-id",
        "--rut",
        dest="holder_id",
        metavar="ID",
        default="",
        help="Chile: the RUT; Mexico: RFC or CURP (optional)",
    )
    create.add_argument(
        "--institution", metavar="ID", default="", help="Chile: e.g. cl_banco_estado (or its name)"
    )
    create.add_argument(
        "--account-type",
        metavar="TYPE",
        default="",
        help="Chile: checking_account, sight_account or savings_account",
    )
    create.add_argument("--comment", metavar="TEXT", default="", help="up to 40 characters")
    create.add_argument(
        "--reference", metavar="DIGITS", default="", help="Mexico: up to 7 digits, no leading 0"
    )
    create.add_argument(
        "--metadata", metavar="KEY=VALUE", action="append", default=[], help="may be repeated"
    )
    create.add_argument("--yes", action="store_true", help="do not ask (sandbox and test only)")
    create.add_argument(
        "--confirm-live",
        metavar="LAST4",
        help="live without a terminal: the last four digits of the destination",
    )

    add(sub, "doctor", "where keys come from, keyring, JWS key, reachability, journal", json_only)

    journal = add(
        sub, "journal", "transfers whose outcome is not known yet (the local journal)", json_only
    )
    journal.add_argument(
        "--recent", type=int, metavar="N", help="the N most recent entries, resolved or not"
    )
    jsub = journal.add_subparsers(dest="journal_command", metavar="ACTION")
    add(
        jsub,
        "resolve",
        "ask Fintoc what happened to each unresolved entry (same key: never pays twice)",
        json_only,
    )

    batch = add(
        sub,
        "batch",
        "pay every row of a CSV file: validated first, rate-limited, resumable",
        json_only,
    )
    batch.add_argument("path", metavar="PATH.csv")
    batch.add_argument(
        "--from",
        dest="source",
        metavar="ACCOUNT",
        help="source account for rows without from_account",
    )
    batch.add_argument(
        "--results", metavar="PATH", help="results CSV (default: PATH.results.csv beside the file)"
    )
    batch.add_argument(
        "--check", action="store_true", help="validate and preview only; send nothing"
    )
    batch.add_argument(
        "--discard-unsent",
        action="store_true",
        help="give up a paused batch's rows that never reached Fintoc (they stay unpaid)",
    )
    batch.add_argument("--yes", action="store_true", help="do not ask (sandbox and test only)")
    batch.add_argument(
        "--confirm-live-total",
        metavar="AMOUNT",
        action="append",
        default=[],
        help="live without a terminal: the total per currency, e.g. '12,345.67 MXN'",
    )
    batch.add_argument(
        "--rate",
        type=float,
        default=10.0,
        metavar="N",
        help="transfer requests per second (default 10, Fintoc's limit)",
    )
    batch.add_argument(
        "--follow",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="after sending, follow pending statuses this long (default 60; 0: do not wait)",
    )
    batch.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="allow identical rows (Mexico); Chile's once-a-day rule still applies",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "sandbox":
        from fintoc_tui.sandbox.cli import run_sandbox_command

        return run_sandbox_command(args)
    if args.command in COMMANDS:
        from fintoc_tui.commands.runner import run

        return run(args)
    from fintoc_tui.ui.shell.run import run_app

    return run_app(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
