"""Validate a whole batch before anything is sent; list every problem by row and column.

Each row goes through `fintoc_tui.transfer` (the transfer form's checks, the same
messages). Then what only the whole file can get wrong:

- a row repeated in the file (same account, destination, amount, comment,
  reference): in Mexico refused unless `allow_duplicates`; in Chile always,
  because Fintoc accepts the same amount + counterparty + comment only once a
  day (a second one is refused with `invalid_duplicated_transfer`);
- a Chilean row matching a transfer already made today (Chile's day), from
  `todays_transfers` (the caller lists them);
- each source account's rows adding up to more than its available balance.

Rows an earlier run of this batch already journaled (`committed`, on resume:
paid, or maybe paid without the state knowing yet) are checked for shape
only: their money may already have left the balance, and their transfer may
already be among today's. They were checked in full when first confirmed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fintoc_tui.batch.csvfile import BatchFile, BatchProblem, BatchRow
from fintoc_tui.money import format_amount
from fintoc_tui.transfer.draft import DraftError, TransferFields, draft_transfer
from fintoc_tui.transfer.restate import TransferDraft

__all__ = [
    "CHILE",
    "BatchPlan",
    "PlannedRow",
    "chile_day",
    "plan_batch",
    "todays_chile_transfers",
    "validate_batch",
]

#: Chile's once-a-day rule counts days as Chile does.
CHILE = ZoneInfo("America/Santiago")
_FAILED = frozenset({"failed", "rejected"})


@dataclass(frozen=True)
class PlannedRow:
    """A valid row: its number in the file, the account it leaves from, and its draft."""

    number: int
    account: Any
    draft: TransferDraft

    @property
    def amount(self) -> int:
        return self.draft.amount

    @property
    def currency(self) -> str:
        return self.draft.currency


@dataclass
class BatchPlan:
    file: BatchFile
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[BatchProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def chile_day(when: datetime) -> str:
    return when.astimezone(CHILE).date().isoformat()


class _Accounts:
    """Find a row's source account by id, account number or description (built once)."""

    def __init__(self, accounts: Sequence[Any]) -> None:
        self.accounts = list(accounts)
        self.by_id = {a.id: a for a in accounts}
        self.by_number: dict[str, list[Any]] = defaultdict(list)
        self.by_description: dict[str, list[Any]] = defaultdict(list)
        for a in accounts:
            if a.root_account_number:
                self.by_number[a.root_account_number].append(a)
            if a.description:
                self.by_description[a.description.casefold()].append(a)
        self._cache: dict[str, Any | str] = {}

    def find(self, text: str) -> Any | str:
        """The account, or a sentence saying why none."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._cache[text] = self._find(text)
        return cached

    def _find(self, text: str) -> Any | str:
        if text in self.by_id:
            return self.by_id[text]
        for table, key in (
            (self.by_number, text.replace(" ", "").replace("-", "")),
            (self.by_description, text.casefold()),
        ):
            found = table.get(key, [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                return f"{text!r} names more than one account; use the account id (acc_…)"
        choices = "; ".join(f"{a.id} ({a.description or a.currency})" for a in self.accounts)
        return f"no account matches {text!r}; the accounts are: {choices or 'none'}"


def _fields(row: BatchRow) -> TransferFields | str:
    minor_text = row.get("amount_minor")
    minor: int | None = None
    if minor_text:
        if not (minor_text.isascii() and minor_text.isdigit()):
            return (
                f"amount_minor is a whole number of minor units (centavos for MXN, pesos for "
                f"CLP), like 59013, not {minor_text!r}"
            )
        minor = int(minor_text)
    return TransferFields(
        account_number=row.get("account_number"),
        holder_name=row.get("holder_name"),
        holder_id=row.get("holder_id"),
        institution_id=row.get("institution_id"),
        account_type=row.get("account_type"),
        amount=row.get("amount"),
        amount_minor=minor,
        comment=row.get("comment"),
        reference_id=row.get("reference_id"),
        metadata=row.metadata,
    )


def _column(field_name: str, file: BatchFile) -> str:
    if field_name == "account_id":
        return "from_account"
    if field_name == "amount" and "amount_minor" in file.columns:
        return "amount_minor"
    return field_name


def _identity(row: PlannedRow) -> tuple[Any, ...]:
    """What makes two rows the same payment."""
    request = row.draft.request
    cp = request.counterparty
    return (
        row.account.id,
        request.currency,
        request.amount,
        getattr(cp, "institution_id", ""),
        cp.account_number,
        cp.holder_id or "",
        request.comment or "",
        request.reference_id or "",
    )


def _chile_key(account_id: str, amount: int, cp: Any, comment: str | None) -> tuple[Any, ...]:
    """Fintoc's once-a-day key in Chile: amount + counterparty + comment (per account)."""
    return (account_id, amount, cp.institution_id, cp.account_number, cp.holder_id, comment or "")


def _transfer_chile_key(transfer: Any) -> tuple[Any, ...] | None:
    number = transfer.account_number
    cp = transfer.counterparty
    institution = cp.institution.id if cp.institution is not None else None
    if number is None or institution is None:
        return None
    return (
        number.account_id,
        transfer.amount,
        institution,
        cp.account_number,
        cp.holder_id,
        transfer.comment or "",
    )


def validate_batch(
    file: BatchFile,
    accounts: Sequence[Any],
    *,
    default_source: str | None = None,
    committed: Collection[int] = (),
    todays_transfers: Iterable[Any] = (),
    allow_duplicates: bool = False,
) -> BatchPlan:
    """Check every row and the file as a whole; `plan.ok` only when nothing is wrong anywhere."""
    plan = BatchPlan(file, problems=list(file.problems))
    finder = _Accounts(accounts)
    for row in file.rows:
        source = row.get("from_account") or default_source or ""
        if not source:
            plan.problems.append(
                BatchProblem(
                    row.number,
                    "from_account",
                    "no source account: fill from_account, or pass --from ACCOUNT",
                )
            )
            continue
        account = finder.find(source)
        if isinstance(account, str):
            plan.problems.append(BatchProblem(row.number, "from_account", account))
            continue
        currency = row.get("currency").upper()
        if currency != account.currency.upper():
            if currency in ("MXN", "CLP"):
                message = (
                    f"this row is in {currency}, but {account.description or account.id} "
                    f"is in {account.currency}"
                )
            else:
                message = f"currency is MXN or CLP, not {row.get('currency')!r}"
            plan.problems.append(BatchProblem(row.number, "currency", message))
            continue
        fields = _fields(row)
        if isinstance(fields, str):
            plan.problems.append(BatchProblem(row.number, "amount_minor", fields))
            continue
        try:
            draft = draft_transfer(account, fields, check_balance=row.number not in committed)
        except DraftError as exc:
            plan.problems.extend(
                BatchProblem(row.number, _column(p.field, file), p.message) for p in exc.problems
            )
            continue
        plan.rows.append(PlannedRow(row.number, account, draft))
    _duplicates(plan, allow_duplicates)
    _chile_today(plan, todays_transfers, committed)
    _balances(plan, committed)
    plan.problems.sort(key=lambda p: (p.row if p.row is not None else 10**12, p.column or ""))
    return plan


def _duplicates(plan: BatchPlan, allow_duplicates: bool) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    chile: dict[tuple[Any, ...], int] = {}
    for row in plan.rows:
        request = row.draft.request
        if request.currency == "CLP":
            key = _chile_key(row.account.id, request.amount, request.counterparty, request.comment)
            first = chile.setdefault(key, row.number)
            if first != row.number:
                plan.problems.append(
                    BatchProblem(
                        row.number,
                        "comment",
                        f"same amount, account and comment as row {first}: Chile allows that "
                        "once a day; give this row a different comment",
                    )
                )
            continue
        if allow_duplicates:
            continue
        identity = _identity(row)
        first = seen.setdefault(identity, row.number)
        if first != row.number:
            plan.problems.append(
                BatchProblem(
                    row.number,
                    None,
                    f"the same payment as row {first} (account, destination, amount, comment "
                    "and reference); remove it, or pass --allow-duplicates if both are meant",
                )
            )


def _chile_today(
    plan: BatchPlan, todays_transfers: Iterable[Any], committed: Collection[int]
) -> None:
    made: dict[tuple[Any, ...], str] = {}
    for transfer in todays_transfers:
        if (
            transfer.currency == "CLP"
            and transfer.direction == "outbound"
            and transfer.status not in _FAILED
        ):
            key = _transfer_chile_key(transfer)
            if key is not None:
                made.setdefault(key, transfer.id)
    if not made:
        return
    for row in plan.rows:
        request = row.draft.request
        if request.currency != "CLP" or row.number in committed:
            continue
        key = _chile_key(row.account.id, request.amount, request.counterparty, request.comment)
        if key in made:
            plan.problems.append(
                BatchProblem(
                    row.number,
                    "comment",
                    f"transfer {made[key]} made today has the same amount, account and comment: "
                    "Chile allows that once a day; give this row a different comment",
                )
            )


def _balances(plan: BatchPlan, committed: Collection[int]) -> None:
    totals: dict[str, int] = defaultdict(int)
    rows_of: dict[str, list[int]] = defaultdict(list)
    accounts: dict[str, Any] = {}
    for row in plan.rows:
        if row.number in committed:
            continue
        totals[row.account.id] += row.amount
        rows_of[row.account.id].append(row.number)
        accounts[row.account.id] = row.account
    for account_id, total in totals.items():
        account = accounts[account_id]
        if total > account.available_balance:
            numbers = rows_of[account_id]
            plan.problems.append(
                BatchProblem(
                    None,
                    "amount",
                    f"the {len(numbers)} rows from {account.description or account.id} "
                    f"({account_id}) add up to {format_amount(total, account.currency)}, more "
                    "than its available balance of "
                    f"{format_amount(account.available_balance, account.currency)}",
                )
            )


async def todays_chile_transfers(
    client: Any, file: BatchFile, accounts: Sequence[Any], *, now: datetime | None = None
) -> list[Any]:
    """Today's (Chile's day) outbound transfers of the CLP accounts, when the file has CLP rows."""
    if not any(row.get("currency").upper() == "CLP" for row in file.rows):
        return []
    today = (now or datetime.now(UTC)).astimezone(CHILE)
    midnight = today.replace(hour=0, minute=0, second=0, microsecond=0)
    found: list[Any] = []
    for account in accounts:
        if account.currency.upper() == "CLP":
            async for transfer in client.iter_transfers(
                account_id=account.id, direction="outbound", since=midnight, limit=300
            ):
                found.append(transfer)
    return found


async def plan_batch(
    client: Any,
    file: BatchFile,
    state_path: Path,
    *,
    default_source: str | None = None,
    allow_duplicates: bool = False,
    now: datetime | None = None,
) -> tuple[BatchPlan, set[int]]:
    """Validate `file` with what Fintoc and the batch's state say now: (plan, rows already made).

    On resume, rows an earlier run journaled may have been paid without the
    state knowing yet (killed between Fintoc's answer and our write): they
    are `committed` (see `validate_batch`), so their own transfer never
    counts against them. Only rows new to the state, or refused before, are
    checked against balances and today's transfers.
    """
    from fintoc_tui.batch.state import read_rows

    accounts = await client.list_accounts()
    known = read_rows(state_path)
    committed = {n for n, (status, _) in known.items() if status != "refused"}
    made = {n for n, (status, _) in known.items() if status == "made"}
    todays = await todays_chile_transfers(client, file, accounts, now=now)
    plan = validate_batch(
        file,
        accounts,
        default_source=default_source,
        committed=committed,
        todays_transfers=todays,
        allow_duplicates=allow_duplicates,
    )
    return plan, made
