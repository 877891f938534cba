"""`fintoc-tui journal [--recent N]` and `fintoc-tui journal resolve`.

The journal (`journal.py`) holds every transfer from the moment it was
confirmed. Listing it needs no network; `resolve` re-sends each unresolved
entry of the chosen environment exactly as journaled, with its own key:
Fintoc replays its first answer, so what happened is found, never doubled.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from fintoc_tui.commands.connection import Connection, run_with_connection
from fintoc_tui.commands.exit_codes import ExitCode
from fintoc_tui.commands.output import (
    Column,
    amount_fields,
    describe_fintoc_error,
    note,
    print_table,
    write_json,
)


def entry_summary(entry: Any) -> dict[str, Any]:
    """What a journal entry is about, from its stored body (never its key material)."""
    try:
        body = json.loads(entry.body)
    except ValueError:
        body = {}
    summary: dict[str, Any] = {
        "environment": entry.environment,
        "kind": entry.kind,
        "idempotency_key": entry.idempotency_key,
        "state": entry.state,
        "attempts": entry.attempts,
        "created_at": entry.created_at.isoformat().replace("+00:00", "Z"),
        "transfer_id": entry.transfer_id,
        "transfer_status": entry.transfer_status,
        "error_code": entry.error_code,
        "message": entry.error_message,
    }
    amount, currency = body.get("amount"), body.get("currency")
    if isinstance(amount, int) and isinstance(currency, str):
        try:
            summary.update(amount_fields(amount, currency))
        except ValueError:
            summary["amount"] = amount
        summary["currency"] = currency
    counterparty = body.get("counterparty") or {}
    if isinstance(counterparty, dict):
        summary["destination"] = counterparty.get("account_number")
        summary["holder_name"] = counterparty.get("holder_name")
    if entry.kind == "return":
        summary["returns"] = body.get("transfer_id")
    return summary


def _row(summary: dict[str, Any]) -> list[str]:
    amount = summary.get("amount_formatted") or ""
    destination = summary.get("destination") or summary.get("returns") or ""
    if summary.get("holder_name"):
        destination = f"{destination} {summary['holder_name']}"
    return [
        summary["created_at"][:16].replace("T", " "),
        summary["environment"],
        "…" + summary["idempotency_key"][-8:],
        summary["state"],
        str(summary["attempts"]),
        amount,
        destination,
        summary.get("transfer_id") or summary.get("message") or "",
    ]


COLUMNS = [
    Column("JOURNALED (UTC)"),
    Column("ENV"),
    Column("KEY"),
    Column("STATE"),
    Column("TRIES", align="right"),
    Column("AMOUNT", align="right"),
    Column("DESTINATION"),
    Column("TRANSFER / NOTE"),
]


def run_journal(args: argparse.Namespace) -> int:
    if getattr(args, "journal_command", None) == "resolve":
        return run_resolve(args)
    from fintoc_tui.journal import Journal

    with Journal() as journal:
        entries = journal.entries(limit=args.recent) if args.recent else journal.unresolved()
        path = journal.path
    summaries = [entry_summary(e) for e in entries]
    if args.json:
        write_json({"path": str(path), "entries": summaries})
        return ExitCode.OK
    if not summaries:
        what = "entries" if args.recent else "unresolved transfers"
        print(f"No {what} in the journal ({path}).")
        return ExitCode.OK
    print_table(COLUMNS, (_row(s) for s in summaries))
    if not args.recent:
        names = sorted({s["environment"] for s in summaries})
        note(
            f"{len(summaries)} without a definite answer. "
            + " ".join(f"`fintoc-tui journal resolve --env {name}`" for name in names)
            + " asks Fintoc with the same keys (nothing is paid twice)."
        )
    return ExitCode.OK


def run_resolve(args: argparse.Namespace) -> int:
    async def body(connection: Connection) -> int:
        from fintoc_tui.api.submit import TransferSubmitter
        from fintoc_tui.journal import Journal

        journal = Journal()
        try:
            submitter = TransferSubmitter(connection.client, journal, connection.environment.name)
            pending = submitter.unresolved()
            if not pending:
                if args.json:
                    write_json({"environment": connection.environment.name, "entries": []})
                else:
                    print(f"Nothing to resolve in {connection.environment.label}.")
                return ExitCode.OK
            note(f"Resolving {len(pending)} journaled transfers in {connection.environment.label}…")
            outcomes = await submitter.resolve_all()
        finally:
            journal.close()
        results = []
        unknown = 0
        for outcome in outcomes:
            summary = entry_summary(outcome.entry)
            if outcome.transfer is not None:
                summary["transfer_status"] = outcome.transfer.status
            if outcome.error is not None:
                summary["message"] = describe_fintoc_error(outcome.error)
            if not outcome.entry.resolved:
                unknown += 1
            results.append(summary)
        if args.json:
            write_json({"environment": connection.environment.name, "entries": results})
        else:
            for s in results:
                amount = s.get("amount_formatted") or ""
                if s["state"] == "succeeded":
                    print(
                        f"…{s['idempotency_key'][-8:]}  made: {s['transfer_id']}  "
                        f"{s.get('transfer_status')}  {amount}"
                    )
                elif s["state"] == "failed":
                    print(f"…{s['idempotency_key'][-8:]}  not made (refused): {s['message']}")
                else:
                    print(f"…{s['idempotency_key'][-8:]}  still unknown: {s['message']}")
        if unknown:
            note(f"{unknown} still unknown; run `fintoc-tui journal resolve` again later.")
            return ExitCode.UNKNOWN
        return ExitCode.OK

    return run_with_connection(args, body, need_signer=True)
