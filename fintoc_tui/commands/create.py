"""`fintoc-tui transfers create`: the confirm screen's money path, behind flags.

1. The fields are checked exactly as the form checks them (`fintoc_tui.transfer`,
   same messages), every problem on its own line naming its flag.
2. The restatement is the confirm screen's (`transfer.restate`), on stderr.
3. Confirmation: see `confirm.py` (live: the last four digits, typed or
   `--confirm-live`).
4. `TransferSubmitter.prepare` journals the exact body with a new idempotency
   key before anything is sent; `send` sends it (retries reuse the key; the
   JWS is made per attempt).
5. The exit status says succeeded / refused / unknown (`ExitCode`); an
   unknown outcome is never called a failure: `fintoc-tui journal resolve`
   asks Fintoc with the same key.
"""

from __future__ import annotations

import argparse
from typing import Any

from fintoc_tui.commands.confirm import ask, confirm_yes, has_terminal, not_confirmed
from fintoc_tui.commands.connection import (
    CommandError,
    Connection,
    environment_name,
    find_account,
    run_with_connection,
)
from fintoc_tui.commands.exit_codes import ExitCode
from fintoc_tui.commands.output import describe_fintoc_error, error, note, write_json
from fintoc_tui.money import format_amount
from fintoc_tui.transfer.draft import DraftError, TransferFields
from fintoc_tui.transfer.restate import TransferDraft, restate

LIVE_NEEDS_SIGNER = (
    "a live transfer must be signed: set FINTOC_LIVE_JWS_PRIVATE_KEY_FILE (or save the key from "
    "the app's environment screen) and upload its public key to the Fintoc dashboard"
)


def _option_for(field: str, currency: str) -> str:
    """The flag a person fixes for a problem at `field`."""
    mx = currency == "MXN"
    return {
        "account_id": "--from",
        "account_number": "--to (CLABE)" if mx else "--cl-account",
        "holder_id": "--holder-id (RFC/CURP)" if mx else "--rut",
        "holder_name": "--holder-name",
        "institution_id": "--institution",
        "account_type": "--account-type",
        "amount": "--amount",
        "comment": "--comment",
        "reference_id": "--reference",
        "metadata": "--metadata",
    }.get(field, field)


def parse_metadata(items: list[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise CommandError(f"--metadata {item!r}: write KEY=VALUE")
        pairs.append((key, value))
    return tuple(pairs)


def fields_from_args(args: argparse.Namespace) -> TransferFields:
    return TransferFields(
        account_number=args.to or args.cl_account or "",
        holder_name=args.holder_name,
        holder_id=args.holder_id,
        institution_id=args.institution,
        account_type=args.account_type,
        amount=args.amount,
        comment=args.comment,
        reference_id=args.reference,
        metadata=parse_metadata(args.metadata),
    )


def _check_destination_kind(args: argparse.Namespace, account: Any) -> None:
    currency = account.currency.upper()
    label = account.description or account.id
    if currency == "MXN" and args.cl_account:
        raise CommandError(
            f"--cl-account is for Chilean accounts; {label} is in MXN: give the CLABE with --to"
        )
    if currency == "CLP" and args.to:
        raise CommandError(
            f"--to takes a CLABE, for Mexican accounts; {label} is in CLP: give the account "
            "number with --cl-account, and --rut, --holder-name, --institution, --account-type"
        )


def print_restatement(draft: TransferDraft, connection: Connection) -> None:
    lines = restate(draft, connection.environment)
    width = max(len(line.label) for line in lines)
    note("Confirm the transfer")
    for line in lines:
        text = line.value + (f"  {line.note}" if line.note else "")
        if line.label == "Environment":
            text = f"{line.value}  ·  {line.note}  ({connection.environment.base_url})"
        note(f"  {line.label.ljust(width)}  {text}")


def confirm(args: argparse.Namespace, draft: TransferDraft, live: bool) -> None:
    if not live:
        confirm_yes("Send this transfer? [y/N] ", yes=args.yes, what="the transfer")
        return
    if args.confirm_live is not None:
        if args.confirm_live.strip() != draft.last_four:
            raise not_confirmed(
                "--confirm-live does not match the last four digits of the destination account. "
                "Nothing was sent."
            )
        return
    if not has_terminal():
        raise not_confirmed(
            "a live transfer needs a person to confirm it: run it in a terminal, or pass "
            "--confirm-live with the last four digits of the destination account. Nothing was sent."
        )
    answer = ask(
        "Live: real money moves. Type the last four digits of the destination account to send: "
    )
    if answer != draft.last_four:
        raise not_confirmed("Those are not the last four digits. Nothing was sent.")


def _result(outcome: str, entry: Any, transfer: Any = None, exc: Any = None) -> dict[str, Any]:
    from fintoc_tui.export import json_record

    return {
        "outcome": outcome,
        "idempotency_key": entry.idempotency_key if entry is not None else None,
        "transfer": json_record(transfer) if transfer is not None else None,
        "error": None
        if exc is None
        else {
            "type": getattr(exc, "type", None),
            "code": getattr(exc, "code", None),
            "param": getattr(exc, "param", None),
            "message": getattr(exc, "message", str(exc)),
        },
    }


def run_create(args: argparse.Namespace) -> int:
    live = environment_name(args) == "live"
    if live and args.yes:
        raise CommandError(
            "--yes does not confirm a live transfer: type the last four digits of the "
            "destination at the prompt, or pass --confirm-live LAST4"
        )
    if args.confirm_live is not None and not live:
        raise CommandError("--confirm-live is for live transfers; in sandbox and test use --yes")
    fields = fields_from_args(args)

    async def body(connection: Connection) -> int:
        from fintoc_tui.api.submit import TransferSubmitter

        accounts = await connection.client.list_accounts()
        account = find_account(accounts, args.source, currency=args.currency)
        if args.currency and account.currency.upper() != args.currency:
            raise CommandError(
                f"--currency {args.currency}: {account.description or account.id} "
                f"is in {account.currency}"
            )
        _check_destination_kind(args, account)
        try:
            from fintoc_tui.transfer.draft import draft_transfer

            draft = draft_transfer(account, fields)
        except DraftError as exc:
            currency = account.currency.upper()
            for problem in exc.problems:
                error(f"{_option_for(problem.field, currency)}: {problem.message}")
            if args.json:
                write_json(
                    {
                        "outcome": "invalid",
                        "problems": [
                            {
                                "field": p.field,
                                "option": _option_for(p.field, currency),
                                "message": p.message,
                            }
                            for p in exc.problems
                        ],
                    }
                )
            return ExitCode.INVALID
        if live and connection.signer is None:
            raise CommandError(LIVE_NEEDS_SIGNER)
        print_restatement(draft, connection)
        confirm(args, draft, live)

        from fintoc_tui.journal import Journal

        journal = Journal()
        try:
            submitter = TransferSubmitter(connection.client, journal, connection.environment.name)
            entry = await submitter.prepare(draft.request)
            note(
                "Sending… journaled first, with idempotency key "
                f"…{entry.idempotency_key[-8:]}; nothing is sent twice."
            )
            return await _send(args, submitter, entry, draft)
        finally:
            journal.close()

    return run_with_connection(args, body, need_signer=True)


async def _send(args: argparse.Namespace, submitter: Any, entry: Any, draft: TransferDraft) -> int:
    from fintoc_tui.api.errors import (
        AuthenticationError,
        FintocError,
        InvalidRequestError,
        NetworkError,
        OutcomeUnknownError,
    )
    from fintoc_tui.api.submit import never_sent

    try:
        transfer = await submitter.send(entry)
    except OutcomeUnknownError as exc:
        if args.json:
            write_json(_result("unknown", entry, exc=exc))
        error(
            f"outcome unknown: {exc.message} It is journaled (key …{entry.idempotency_key[-8:]}); "
            f"`fintoc-tui journal resolve --env {submitter.environment_name}` asks Fintoc what "
            "happened with the same key, and never pays twice."
        )
        return ExitCode.UNKNOWN
    except (InvalidRequestError, AuthenticationError) as exc:
        if args.json:
            write_json(_result("refused", entry, exc=exc))
        error(f"refused, no transfer was made: {describe_fintoc_error(exc)}")
        return ExitCode.REFUSED
    except FintocError as exc:
        current = submitter.journal.get(entry.idempotency_key) or entry
        if isinstance(exc, NetworkError) and never_sent(current):
            # Nothing left this machine: close the entry, so a later `journal
            # resolve` cannot send it behind the person's back.
            await submitter.discard(current)
            if args.json:
                write_json(_result("not_sent", entry, exc=exc))
            error(f"not sent, nothing was made: {describe_fintoc_error(exc)} Run it again.")
            return ExitCode.ERROR
        if args.json:
            write_json(_result("not_sent", entry, exc=exc))
        error(
            f"not sent: {describe_fintoc_error(exc)} Fintoc made nothing; the transfer stays "
            f"journaled and `fintoc-tui journal resolve --env {submitter.environment_name}` "
            "sends it with the same key."
        )
        return ExitCode.ERROR
    if args.json:
        write_json(_result("succeeded", entry, transfer=transfer))
    else:
        amount = format_amount(transfer.amount, transfer.currency)
        print(
            f"Sent: {transfer.id}  {transfer.status}  {amount} to {draft.destination_name} "
            f"({draft.destination_bank}, {draft.destination_number})"
        )
        print(f"Follow it: fintoc-tui transfers get {transfer.id}")
    return ExitCode.OK
