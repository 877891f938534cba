"""`fintoc-tui accounts [--json | --csv]`: every account and its available balance."""

from __future__ import annotations

import argparse
from typing import Any

from fintoc_tui.commands.connection import Connection, run_with_connection
from fintoc_tui.commands.output import Column, CsvStream, amount_fields, print_table, write_json
from fintoc_tui.money import format_amount

CSV_COLUMNS = (
    "id",
    "description",
    "currency",
    "available_balance",
    "available_balance_formatted",
    "status",
    "root_account_number",
    "is_root",
    "mode",
)


def account_record(account: Any) -> dict[str, Any]:
    """The account as the API sent it, plus its balance formatted."""
    record: dict[str, Any] = account.to_api_dict()
    record.update(
        amount_fields(account.available_balance, account.currency, name="available_balance")
    )
    return record


def run_accounts(args: argparse.Namespace) -> int:
    async def body(connection: Connection) -> int:
        accounts = await connection.client.list_accounts()
        if args.json:
            write_json([account_record(a) for a in accounts])
        elif args.csv:
            out = CsvStream(CSV_COLUMNS)
            for account in accounts:
                record = account_record(account)
                out.write({name: record.get(name, "") for name in CSV_COLUMNS})
        else:
            columns = [
                Column("ID"),
                Column("DESCRIPTION"),
                Column("CURRENCY"),
                Column("AVAILABLE", align="right"),
                Column("STATUS"),
                Column("ACCOUNT NUMBER"),
            ]
            print_table(
                columns,
                (
                    [
                        a.id,
                        a.description or "",
                        a.currency,
                        format_amount(a.available_balance, a.currency),
                        a.status,
                        a.root_account_number or "",
                    ]
                    for a in accounts
                ),
            )
        return 0

    return run_with_connection(args, body)
