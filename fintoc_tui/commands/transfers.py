"""`fintoc-tui transfers list | get | export`: reading the history.

Lists stream: each page (up to 300 transfers) is printed and dropped before
the next is asked for, so `--all` over 100,000 transfers keeps memory flat.
The JSON and CSV records are `export.py`'s, the same as the history export.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from fintoc_tui.commands.connection import (
    CommandError,
    Connection,
    find_account,
    run_with_connection,
)
from fintoc_tui.commands.output import (
    Column,
    CsvStream,
    JsonArrayStream,
    StreamTable,
    print_pairs,
    write_json,
)

#: The API's largest page.
MAX_PAGE = 300


def _when(text: str, option: str, *, end_of_day: bool) -> datetime:
    """`2025-09-02` (a whole day, UTC) or an ISO 8601 date-time (naive means UTC)."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            start = datetime.combine(day, time.min, tzinfo=UTC)
            return start + timedelta(days=1, seconds=-1) if end_of_day else start
        when = datetime.fromisoformat(raw.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(
            f"{option} {text!r}: give a day (2025-09-02) or a time (2025-09-02T15:58:51Z)"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


async def transfer_filters(connection: Connection, args: argparse.Namespace) -> dict[str, Any]:
    """The list filters as `FintocClient.list_transfers_page` keywords."""
    filters: dict[str, Any] = {}
    account = getattr(args, "account", None)
    if account:
        if account.startswith("acc_"):
            filters["account_id"] = account
        else:
            accounts = await connection.client.list_accounts()
            filters["account_id"] = find_account(accounts, account).id
    for name in ("direction", "status"):
        value = getattr(args, name, None)
        if value:
            filters[name] = value
    if getattr(args, "since", None):
        filters["since"] = _when(args.since, "--since", end_of_day=False)
    if getattr(args, "until", None):
        filters["until"] = _when(args.until, "--until", end_of_day=True)
    if "since" in filters and "until" in filters and filters["since"] > filters["until"]:
        raise CommandError("--since is after --until: nothing can match")
    return filters


async def transfer_pages(
    connection: Connection, filters: dict[str, Any], limit: int | None
) -> AsyncIterator[list[Any]]:
    """Pages of transfers, newest first, until `limit` (None: all) have come."""
    remaining = limit
    next_url: str | None = None
    while remaining is None or remaining > 0:
        size = MAX_PAGE if remaining is None else min(MAX_PAGE, remaining)
        page = await connection.client.list_transfers_page(**filters, limit=size, next_url=next_url)
        items = page.items if remaining is None else page.items[:remaining]
        if items:
            yield items
        if remaining is not None:
            remaining -= len(items)
        next_url = page.next_url
        if not next_url:
            return


def _short_time(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


LIST_COLUMNS = (
    Column("DATE (UTC)", 16),
    Column("ID", 30),
    Column("DIR", 3),
    Column("STATUS", 14),
    Column("AMOUNT", 22, "right"),
    Column("COUNTERPARTY", 24),
    Column("COMMENT"),
)


def list_row(transfer: Any) -> list[str]:
    from fintoc_tui.export import formatted_amount

    counterparty = transfer.counterparty
    return [
        _short_time(transfer.transaction_date),
        transfer.id,
        "in" if transfer.is_inbound else "out",
        transfer.status,
        formatted_amount(transfer),
        counterparty.holder_name or counterparty.account_number or "",
        transfer.comment or "",
    ]


def run_list(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1 and not args.all:
        raise CommandError("--limit must be at least 1 (or use --all)")

    async def body(connection: Connection) -> int:
        from fintoc_tui.export import CSV_COLUMNS, csv_row, json_record

        filters = await transfer_filters(connection, args)
        limit = None if args.all else args.limit
        pages = transfer_pages(connection, filters, limit)
        if args.json:
            array = JsonArrayStream()
            async for page in pages:
                for transfer in page:
                    array.write(json_record(transfer))
            array.close()
        elif args.csv:
            out = CsvStream(CSV_COLUMNS)
            async for page in pages:
                for transfer in page:
                    out.write(csv_row(transfer))
        else:
            table = StreamTable(LIST_COLUMNS)
            table.header()
            async for page in pages:
                for transfer in page:
                    table.row(list_row(transfer))
            if table.rows == 0:
                print("No transfers match.", file=sys.stderr)
        sys.stdout.flush()
        return 0

    return run_with_connection(args, body)


def transfer_pairs(transfer: Any) -> list[tuple[str, str]]:
    """One transfer, field by field, for people."""
    from fintoc_tui.export import formatted_amount

    cp = transfer.counterparty
    institution = cp.institution
    number = transfer.account_number
    pairs = [
        ("ID", transfer.id),
        ("Status", transfer.status),
        ("Direction", transfer.direction),
        ("Amount", f"{formatted_amount(transfer)}  (amount={transfer.amount})"),
        ("Date (UTC)", _short_time(transfer.transaction_date)),
        ("Posted (UTC)", _short_time(transfer.post_date) or "—"),
        ("Counterparty", cp.holder_name or "—"),
        ("Holder id", cp.holder_id or "—"),
        ("Account", f"{cp.account_number or '—'}  ({cp.account_type or 'type not given'})"),
        ("Bank", (institution.name or institution.id or "—") if institution else "—"),
        ("Comment", transfer.comment or "—"),
        ("Reference", transfer.reference_id or "—"),
        ("Tracking key", transfer.tracking_key or "—"),
        ("Receipt", transfer.receipt_url or "—"),
        ("Own account", f"{number.number}  ({number.id})" if number else "—"),
        ("Mode", transfer.mode),
    ]
    if transfer.return_reason:
        pairs.append(("Return reason", transfer.return_reason))
    if transfer.metadata:
        pairs.append(("Metadata", ", ".join(f"{k}={v}" for k, v in transfer.metadata.items())))
    return pairs


def run_get(args: argparse.Namespace) -> int:
    async def body(connection: Connection) -> int:
        from fintoc_tui.export import json_record

        try:
            transfer = await connection.client.get_transfer(args.transfer_id)
        except ValueError:
            raise CommandError(f"{args.transfer_id!r} is not a transfer id (tr_…)") from None
        if args.json:
            write_json(json_record(transfer))
        else:
            print_pairs(transfer_pairs(transfer))
        return 0

    return run_with_connection(args, body)


def run_export(args: argparse.Namespace) -> int:
    path = Path(args.path).expanduser()
    fmt = args.format or path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "json"):
        raise CommandError(f"{args.path}: name it .csv or .json, or pass --format csv|json")
    if path.is_dir():
        raise CommandError(f"{args.path} is a folder; give a file name")

    async def body(connection: Connection) -> int:
        from fintoc_tui.export import ExportWriter

        filters = await transfer_filters(connection, args)
        try:
            writer = ExportWriter(path, fmt)  # type: ignore[arg-type]
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror}") from None
        with writer:
            async for page in transfer_pages(connection, filters, None):
                count = writer.write(page)
                if sys.stderr.isatty():
                    print(f"\r{count:,} transfers…", end="", file=sys.stderr, flush=True)
        if sys.stderr.isatty():
            print("\r", end="", file=sys.stderr)
        if args.json:
            write_json({"path": str(writer.path.resolve()), "count": writer.count, "format": fmt})
        else:
            print(f"Exported {writer.count:,} transfers to {writer.path}")
        return 0

    return run_with_connection(args, body)
