"""Write a transfer history to CSV or JSON, page by page.

Lives in the core (no Textual) so the export can be tested and reused
without a screen. The UI walks the API's pages in a worker and feeds each
page to an `ExportWriter`; the writer streams to a temporary file beside the
target and renames it into place only when the export finishes, so a
cancelled or failed export never leaves a file that looks complete.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from fintoc_tui import paths
from fintoc_tui.clock import isoformat_z

ExportFormat = Literal["csv", "json"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "json")

#: CSV columns, in order. `amount` is the API's unsigned integer in minor units,
#: `signed_amount` is negative for outbound transfers (so a spreadsheet can sum
#: it), `amount_formatted` is the signed home-style text shown in the app.
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "transaction_date",
    "post_date",
    "direction",
    "status",
    "amount",
    "signed_amount",
    "currency",
    "amount_formatted",
    "counterparty_holder_name",
    "counterparty_holder_id",
    "counterparty_account_number",
    "counterparty_account_type",
    "counterparty_institution_id",
    "counterparty_institution_name",
    "account_number",
    "account_number_id",
    "comment",
    "reference_id",
    "tracking_key",
    "receipt_url",
    "return_reason",
    "mode",
    "metadata",
)

# Free text a person (or a counterparty) wrote. A spreadsheet runs a cell that
# starts with one of these as a formula (OWASP "CSV injection"), so such cells
# get a leading apostrophe. Only free text: ids, dates and amounts are ours.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_FREE_TEXT = frozenset(
    {"counterparty_holder_name", "comment", "reference_id", "metadata", "return_reason"}
)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """Attribute or key: works on the pydantic models and on plain API dicts."""
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _timestamp(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return isoformat_z(value)
    return str(value)


def signed_amount(transfer: Any) -> int:
    """Outbound money leaves the account: negative, so sums add up."""
    amount = int(_get(transfer, "amount", 0))
    return -amount if _get(transfer, "direction") == "outbound" else amount


def formatted_amount(transfer: Any) -> str:
    """Signed, home style, with the ISO code (`-$5.00 MXN`)."""
    from fintoc_tui.money import format_amount

    return format_amount(signed_amount(transfer), str(_get(transfer, "currency", "")), signed=True)


def _to_jsonable(transfer: Any) -> dict[str, Any]:
    if isinstance(transfer, Mapping):
        return dict(transfer)
    dump = getattr(transfer, "model_dump", None)
    if dump is None:
        raise TypeError(f"cannot export {type(transfer).__name__}")
    record: dict[str, Any] = dump(mode="json")
    return record


def csv_row(transfer: Any) -> dict[str, str | int]:
    """One transfer flattened to the CSV columns."""
    counterparty = _get(transfer, "counterparty")
    institution = _get(counterparty, "institution")
    account_number = _get(transfer, "account_number")
    metadata = _get(transfer, "metadata") or {}
    row: dict[str, str | int] = {
        "id": _get(transfer, "id", ""),
        "transaction_date": _timestamp(_get(transfer, "transaction_date")),
        "post_date": _timestamp(_get(transfer, "post_date")),
        "direction": _get(transfer, "direction", ""),
        "status": _get(transfer, "status", ""),
        "amount": int(_get(transfer, "amount", 0)),
        "signed_amount": signed_amount(transfer),
        "currency": str(_get(transfer, "currency", "")).upper(),
        "amount_formatted": formatted_amount(transfer),
        "counterparty_holder_name": _get(counterparty, "holder_name") or "",
        "counterparty_holder_id": _get(counterparty, "holder_id") or "",
        "counterparty_account_number": _get(counterparty, "account_number") or "",
        "counterparty_account_type": _get(counterparty, "account_type") or "",
        "counterparty_institution_id": _get(institution, "id") or "",
        "counterparty_institution_name": _get(institution, "name") or "",
        "account_number": _get(account_number, "number") or "",
        "account_number_id": _get(account_number, "id") or "",
        "comment": _get(transfer, "comment") or "",
        "reference_id": _get(transfer, "reference_id") or "",
        "tracking_key": _get(transfer, "tracking_key") or "",
        "receipt_url": _get(transfer, "receipt_url") or "",
        "return_reason": _get(transfer, "return_reason") or "",
        "mode": _get(transfer, "mode") or "",
        "metadata": json.dumps(dict(metadata), ensure_ascii=False, sort_keys=True)
        if metadata
        else "",
    }
    for key in _FREE_TEXT:
        value = row[key]
        if isinstance(value, str) and _FORMULA_START.match(value):
            row[key] = "'" + value
    return row


def json_record(transfer: Any) -> dict[str, Any]:
    """The transfer as the API sent it, plus the signed and formatted amount."""
    record = _to_jsonable(transfer)
    record["signed_amount"] = signed_amount(transfer)
    record["amount_formatted"] = formatted_amount(transfer)
    return record


def default_export_path(
    fmt: ExportFormat, when: datetime, *, directory: Path | None = None
) -> Path:
    """`transfers-20250902-155851.csv` in `paths.exports_dir()`, never overwriting."""
    folder = directory if directory is not None else paths.exports_dir()
    stem = f"transfers-{when.strftime('%Y%m%d-%H%M%S')}"
    candidate = folder / f"{stem}.{fmt}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}.{fmt}"
        n += 1
    return candidate


class ExportWriter:
    """Streams transfers to `path`; `close()` commits, `abort()` leaves nothing behind.

    Use as a context manager: a clean exit commits, an exception aborts.
    """

    def __init__(self, path: Path, fmt: ExportFormat) -> None:
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        self.path = Path(path)
        self.fmt = fmt
        self.count = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        self._tmp = Path(tmp)
        # newline="" lets the csv module write its own \r\n row ends (RFC 4180).
        self._file = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self._csv: csv.DictWriter[str] | None = None
        if fmt == "csv":
            self._csv = csv.DictWriter(self._file, fieldnames=CSV_COLUMNS)
            self._csv.writeheader()
        else:
            self._file.write("[")

    def write(self, transfers: Iterable[Any]) -> int:
        """Append a page; returns how many transfers were written in total."""
        if self._csv is not None:
            rows = [csv_row(t) for t in transfers]
            self._csv.writerows(rows)
            self.count += len(rows)
        else:
            for transfer in transfers:
                self._file.write("\n  " if self.count == 0 else ",\n  ")
                self._file.write(json.dumps(json_record(transfer), ensure_ascii=False))
                self.count += 1
        return self.count

    def close(self) -> Path:
        """Finish the file and move it into place; returns the final path."""
        if self.fmt == "json":
            self._file.write("\n]\n" if self.count else "]\n")
        self._file.close()
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        self._file.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> ExportWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


@dataclass(frozen=True)
class ExportResult:
    path: Path
    count: int


async def export_pages(
    pages: AsyncIterable[Iterable[Any]],
    path: Path,
    fmt: ExportFormat,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write every page from `pages` to `path`; `on_progress(count)` after each page."""
    with ExportWriter(path, fmt) as writer:
        async for page in pages:
            count = writer.write(page)
            if on_progress is not None:
                on_progress(count)
    return ExportResult(path=writer.path, count=writer.count)
