"""Write a transfer history to CSV or JSON, page by page.

Lives in the core (no Textual) so the export can be tested and reused
without a screen. The UI walks the API's pages in a worker and feeds each
page to an `ExportWriter`; the writer streams to a temporary file beside the
target and renames it into place only when the export finishes, so a
cancelled or failed export never leaves a file that looks complete.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
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

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP
# "CSV injection"): = + - @, tab, carriage return, line feed, and the full-width
# forms (＝ ＋ － ＠), which spreadsheets in CJK locales also accept as a formula
# start. Any text cell may come from a sender (an inbound transfer's holder
# id and account number are theirs), so every text cell starting with one
# gets a leading apostrophe; the int amount columns stay numbers.
_FORMULA_START = re.compile(r"^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]")


def defuse(cell: str | int) -> str | int:
    """`cell`, with an apostrophe in front if a spreadsheet would evaluate it."""
    if isinstance(cell, str) and _FORMULA_START.match(cell):
        return "'" + cell
    return cell


class ExportError(OSError):
    """An export that cannot be written, in words for a person.

    An `OSError` whose `strerror` is the whole sentence, so a screen that
    shows `strerror` for file errors shows this one unchanged.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.strerror = message
        self.sentence = message

    def __str__(self) -> str:
        return self.sentence


#: JSON with text as it is (no \u escapes; tested). Not mutated: ensure_ascii=None
#: would act as False, as any falsy value does.
_utf8_json = partial(json.dumps, ensure_ascii=False)  # pragma: no mutate


def _get(obj: Any, name: str) -> Any:
    """Attribute or key (the pydantic models and plain API dicts alike); None when absent."""
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _text(obj: Any, name: str) -> str:
    """A text field; "" when absent or null, so a sparse object exports blank cells."""
    value = _get(obj, name)
    return "" if value is None else str(value)


def _timestamp(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return isoformat_z(value)
    return str(value)


def signed_amount(transfer: Any) -> int:
    """Outbound money leaves the account: negative, so sums add up."""
    amount = int(_get(transfer, "amount"))
    return -amount if _get(transfer, "direction") == "outbound" else amount


def formatted_amount(transfer: Any) -> str:
    """Signed, home style, with the ISO code (`-$5.00 MXN`)."""
    from fintoc_tui.money import format_amount

    return format_amount(signed_amount(transfer), _text(transfer, "currency"), signed=True)


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
        "id": _text(transfer, "id"),
        "transaction_date": _timestamp(_get(transfer, "transaction_date")),
        "post_date": _timestamp(_get(transfer, "post_date")),
        "direction": _text(transfer, "direction"),
        "status": _text(transfer, "status"),
        "amount": int(_get(transfer, "amount")),
        "signed_amount": signed_amount(transfer),
        "currency": _text(transfer, "currency").upper(),
        "amount_formatted": formatted_amount(transfer),
        "counterparty_holder_name": _text(counterparty, "holder_name"),
        "counterparty_holder_id": _text(counterparty, "holder_id"),
        "counterparty_account_number": _text(counterparty, "account_number"),
        "counterparty_account_type": _text(counterparty, "account_type"),
        "counterparty_institution_id": _text(institution, "id"),
        "counterparty_institution_name": _text(institution, "name"),
        "account_number": _text(account_number, "number"),
        "account_number_id": _text(account_number, "id"),
        "comment": _text(transfer, "comment"),
        "reference_id": _text(transfer, "reference_id"),
        "tracking_key": _text(transfer, "tracking_key"),
        "receipt_url": _text(transfer, "receipt_url"),
        "return_reason": _text(transfer, "return_reason"),
        "mode": _text(transfer, "mode"),
        "metadata": _utf8_json(dict(metadata), sort_keys=True) if metadata else "",
    }
    return {column: defuse(value) for column, value in row.items()}


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

    Use as a context manager: a clean exit commits, an exception aborts. The
    file is written under a temporary name in the same folder and given its
    final name only when complete, and never over a file that is already
    there: if one appears while the export runs, `close()` says so
    (`ExportError`) and leaves that file alone.
    """

    def __init__(self, path: Path, fmt: ExportFormat) -> None:
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        self.path = Path(path)
        self.fmt = fmt
        self.count = 0
        _make_folder(self.path.parent)
        if _taken(self.path):
            raise ExportError(f"{self.path} already exists: choose another name.")
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        self._tmp = Path(tmp)
        # newline="" lets the csv module write its own \r\n row ends (RFC 4180).
        # Not mutated: on POSIX newline=None writes the same bytes, and a UTF-8
        # locale (this machine's) makes encoding=None the same as "utf-8"; the
        # explicit values are for Windows and C locales, which the tests do not run on.
        self._file = os.fdopen(fd, "w", encoding="utf-8", newline="")  # pragma: no mutate
        self._csv: csv.DictWriter[str] | None = None
        try:
            if fmt == "csv":
                self._csv = csv.DictWriter(self._file, fieldnames=CSV_COLUMNS)
                self._csv.writeheader()
            else:
                self._file.write("[")
        except BaseException:
            self.abort()
            raise

    def write(self, transfers: Iterable[Any]) -> int:
        """Append a page; returns how many transfers were written in total."""
        if self._csv is not None:
            rows = [csv_row(t) for t in transfers]
            self._csv.writerows(rows)
            self.count += len(rows)
        else:
            for transfer in transfers:
                self._file.write("\n  " if self.count == 0 else ",\n  ")
                self._file.write(_utf8_json(json_record(transfer)))
                self.count += 1
        return self.count

    def close(self) -> Path:
        """Finish the file and give it its name; returns the final path.

        On any failure the temporary file is removed before the error is raised.
        """
        try:
            if self.fmt == "json":
                self._file.write("\n]\n" if self.count else "]\n")
            self._file.close()
            self._place()
        except BaseException:
            self.abort()
            raise
        return self.path

    def _place(self) -> None:
        """Give the finished temporary file the final name, which must not exist yet.

        A hard link creates the name atomically and fails if it exists (a
        rename would silently replace it). A filesystem without hard links
        (FAT, some network shares) gets the name made with O_EXCL and a copy.
        """
        try:
            os.link(self._tmp, self.path)
        except FileExistsError:
            raise self._appeared() from None
        except OSError:
            self._copy_to_new_name()
        self._tmp.unlink()

    def _copy_to_new_name(self) -> None:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise self._appeared() from None
        try:
            with os.fdopen(fd, "wb") as out, self._tmp.open("rb") as source:
                shutil.copyfileobj(source, out)
        except BaseException:
            # Ours: made by the O_EXCL open above. missing_ok only matters if someone
            # removed it within this instant, so it is not mutated.
            self.path.unlink(missing_ok=True)  # pragma: no mutate
            raise

    def _appeared(self) -> ExportError:
        return ExportError(
            f"{self.path} appeared while the export was running and was left as it was. "
            "Export again under another name."
        )

    def abort(self) -> None:
        """Close and delete the temporary file; safe to call more than once."""
        with contextlib.suppress(OSError):  # a failed flush: the file goes anyway
            self._file.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> ExportWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _make_folder(folder: Path) -> None:
    """Make `folder` (and its parents), or say in plain words what is in the way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blockers = [p for p in (folder, *folder.parents) if _taken(p) and not p.is_dir()]
        if not blockers:  # gone again by now: the system's own words will do
            raise
        blocker = blockers[0]
        kind = "a file, not a folder" if blocker.is_file() else "not a folder"
        where = "" if blocker == folder else f", so {folder} cannot be made"
        raise ExportError(f"{blocker} is {kind}{where}. Choose another folder.") from None


def _taken(path: Path) -> bool:
    """Something is at `path` (a broken symlink too)."""
    return path.exists() or path.is_symlink()


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
