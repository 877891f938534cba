"""The results CSV: one line per row of the batch, rewritten as outcomes and statuses settle.

Written to a temporary file beside the target and renamed into place, so a
reader (or a run killed mid-write) never sees half a file. The state file is
the truth; this is its view for people and spreadsheets.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from fintoc_tui.batch.state import RowState
from fintoc_tui.batch.validate import PlannedRow
from fintoc_tui.money import format_amount

__all__ = [
    "RESULT_COLUMNS",
    "ResultsTaken",
    "check_results_belong",
    "default_results_path",
    "refresh_results",
    "write_results",
]

RESULT_COLUMNS: tuple[str, ...] = (
    "row",
    "status",
    "transfer_id",
    "tracking_key",
    "amount",
    "currency",
    "amount_formatted",
    "from_account",
    "account_number",
    "holder_name",
    "bank",
    "comment",
    "reference_id",
    "error_code",
    "message",
    "idempotency_key",
    "updated_at",
)

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def _text(value: str | None) -> str:
    value = value or ""
    return "'" + value if _FORMULA_START.match(value) else value


class ResultsTaken(ValueError):
    """The results path holds another batch's results; `str()` says why and what to do."""


def default_results_path(path: Path) -> Path:
    """`payouts.csv` → `payouts.results.csv`, beside it."""
    return path.with_name(f"{path.stem}.results.csv")


def check_results_belong(results: Path, state_path: Path) -> None:
    """Never write over another batch's results (an edited file is another batch).

    `state_path` is this file's state (`state.state_path_for`). Raises
    `ResultsTaken` when a state of another version of the file sits beside
    `results`, or `results` exists without this batch's state.
    """
    others = [
        p for p in results.parent.glob(f"{results.name}.*.state") if p.name != state_path.name
    ]
    if others:
        raise ResultsTaken(
            f"{results} holds the results of another version of this file ({others[0].name}); "
            "an edited file is a new batch, and rows paid by the other version would be paid "
            "again if they are still in it. To go ahead, choose a new results path."
        )
    if results.exists() and not state_path.exists():
        raise ResultsTaken(
            f"{results} exists and is not this batch's results; choose a new results path"
        )


def result_row(state: RowState, planned: PlannedRow | None) -> dict[str, str | int]:
    draft = planned.draft if planned is not None else None
    request = draft.request if draft is not None else None
    return {
        "row": state.number,
        "status": state.shown_status,
        "transfer_id": state.transfer_id or "",
        "tracking_key": state.tracking_key or "",
        "amount": state.amount,
        "currency": state.currency,
        "amount_formatted": format_amount(state.amount, state.currency),
        "from_account": state.account_id,
        "account_number": request.counterparty.account_number if request else "",
        "holder_name": _text(draft.destination_name if draft else ""),
        "bank": draft.destination_bank if draft else "",
        "comment": _text(request.comment if request else ""),
        "reference_id": (request.reference_id or "") if request else "",
        "error_code": state.error_code or "",
        "message": _text(state.message),
        "idempotency_key": state.idempotency_key,
        "updated_at": state.updated_at,
    }


def write_results(
    path: Path, states: Iterable[RowState], planned: Mapping[int, PlannedRow]
) -> Path:
    """Replace `path` with the current results, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=RESULT_COLUMNS)
            writer.writeheader()
            for state in states:
                writer.writerow(result_row(state, planned.get(state.number)))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def refresh_results(path: Path, states: Iterable[RowState]) -> Path:
    """Update the outcome columns of an existing results file from the state (no plan at hand)."""
    by_number = {state.number: state for state in states}
    rows: list[dict[str, str]] = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=RESULT_COLUMNS)
            writer.writeheader()
            for row in rows:
                state = by_number.get(int(row["row"]))
                if state is not None:
                    fresh = result_row(state, None)
                    for column in (
                        "status", "transfer_id", "tracking_key", "error_code", "message",
                        "idempotency_key", "updated_at",
                    ):  # fmt: skip
                        row[column] = str(fresh[column])
                writer.writerow(row)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
