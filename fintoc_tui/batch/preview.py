"""What a batch will do, before the one confirmation: counts and totals, by currency and bank.

Amounts are added as ints per currency (never across currencies) and shown
in each currency's home style. The largest payments are listed per currency,
because they are the ones a typo hurts most.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fintoc_tui.batch.validate import PlannedRow
from fintoc_tui.money import format_amount

__all__ = ["BatchPreview", "Total", "preview_batch", "preview_lines"]

LARGEST = 5


@dataclass(frozen=True)
class Total:
    currency: str
    count: int
    amount: int

    @property
    def formatted(self) -> str:
        return format_amount(self.amount, self.currency)

    def to_dict(self) -> dict[str, object]:
        return {
            "currency": self.currency,
            "count": self.count,
            "amount": self.amount,
            "amount_formatted": self.formatted,
        }


@dataclass
class BatchPreview:
    count: int
    by_currency: list[Total]
    by_bank: list[tuple[str, Total]]
    by_account: list[tuple[str, Total, int]]
    """(account label, total, available balance)."""
    largest: list[PlannedRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "by_currency": [t.to_dict() for t in self.by_currency],
            "by_bank": [{"bank": bank, **t.to_dict()} for bank, t in self.by_bank],
            "largest": [
                {
                    "row": row.number,
                    "amount": row.amount,
                    "currency": row.currency,
                    "amount_formatted": format_amount(row.amount, row.currency),
                    "bank": row.draft.destination_bank,
                    "account_number": row.draft.destination_number,
                    "holder_name": row.draft.destination_name,
                }
                for row in self.largest
            ],
        }


def preview_batch(rows: Sequence[PlannedRow]) -> BatchPreview:
    by_currency: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_bank: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    by_account: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    accounts = {}
    for row in rows:
        for table, key in (
            (by_currency, row.currency),
            (by_bank, (row.currency, row.draft.destination_bank)),
            (by_account, row.account.id),
        ):
            entry = table[key]  # type: ignore[index]
            entry[0] += 1
            entry[1] += row.amount
        accounts[row.account.id] = row.account
    largest: list[PlannedRow] = []
    for currency in sorted(by_currency):
        of_currency = [r for r in rows if r.currency == currency]
        largest += sorted(of_currency, key=lambda r: (-r.amount, r.number))[:LARGEST]
    return BatchPreview(
        count=len(rows),
        by_currency=[Total(c, n, a) for c, (n, a) in sorted(by_currency.items())],
        by_bank=[
            (bank, Total(currency, n, a))
            for (currency, bank), (n, a) in sorted(
                by_bank.items(), key=lambda item: (item[0][0], -item[1][1], item[0][1])
            )
        ],
        by_account=[
            (
                f"{accounts[i].description or i} ({i})",
                Total(accounts[i].currency, n, a),
                accounts[i].available_balance,
            )
            for i, (n, a) in by_account.items()
        ],
        largest=largest,
    )


def preview_lines(preview: BatchPreview, *, title: str) -> Iterable[str]:
    """The preview for a person, one line at a time."""
    yield title
    for total in preview.by_currency:
        yield f"  {total.count:>6,} transfers  {total.formatted:>22}"
    yield "From"
    for label, total, balance in preview.by_account:
        left = format_amount(balance - total.amount, total.currency)
        yield (
            f"  {label}: {total.count:,} rows, {total.formatted} of "
            f"{format_amount(balance, total.currency)} available ({left} after)"
        )
    yield "By bank"
    for bank, total in preview.by_bank:
        yield f"  {total.currency}  {bank[:28]:<28}  {total.count:>6,}  {total.formatted:>22}"
    yield "Largest payments"
    for row in preview.largest:
        amount = format_amount(row.amount, row.currency)
        yield (
            f"  row {row.number:<6} {amount:>22}  {row.draft.destination_bank[:20]:<20}  "
            f"{row.draft.destination_number}  {row.draft.destination_name}"
        )
