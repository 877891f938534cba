"""A batch file: CSV with a header row, one payout per row (columns in docs/cli.md).

Rows are numbered as a spreadsheet numbers them (the header is row 1), so a
problem "row 7" is the seventh line in Excel or LibreOffice. The file is read
once, as bytes, and its SHA-256 names the batch: the same bytes resume the
same batch; an edited file is a different batch.

Excel habits are accepted: a UTF-8 byte-order mark, `;` as the separator
(Spanish-language Excel writes it), surrounding spaces in headers and cells,
empty lines. Anything else unexpected (an unknown column, a missing one, a row
longer than the header) is a problem named by row and column, never guessed.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "COLUMNS",
    "METADATA_PREFIX",
    "BatchFile",
    "BatchFileError",
    "BatchProblem",
    "BatchRow",
    "read_batch",
]

#: Every column a batch file may have (plus `metadata.<key>` columns).
COLUMNS: tuple[str, ...] = (
    "from_account",
    "currency",
    "amount",
    "amount_minor",
    "account_number",
    "holder_name",
    "holder_id",
    "institution_id",
    "account_type",
    "comment",
    "reference_id",
)
REQUIRED: tuple[str, ...] = ("currency", "account_number")
METADATA_PREFIX = "metadata."


@dataclass(frozen=True)
class BatchProblem:
    """Why a batch cannot be sent: at a row (spreadsheet number) and column, when it has them."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class BatchFileError(ValueError):
    """The file cannot be read as a batch at all (encoding, header)."""

    def __init__(self, problems: list[BatchProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


@dataclass(frozen=True)
class BatchRow:
    """One payout as written: its spreadsheet row number and its cells (stripped)."""

    number: int
    cells: dict[str, str]
    metadata: tuple[tuple[str, str], ...] = ()

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class BatchFile:
    path: Path
    sha256: str
    columns: tuple[str, ...]
    rows: list[BatchRow]
    problems: list[BatchProblem]
    """Row-shape problems (too many cells); column problems raise `BatchFileError`."""


def _delimiter(header_line: str) -> str:
    """`;` when the header is split by semicolons and has no comma, else `,`."""
    return ";" if ";" in header_line and "," not in header_line else ","


def _header(raw: list[str]) -> tuple[tuple[str, ...], list[BatchProblem]]:
    names = tuple(name.strip().lower() for name in raw)
    problems: list[BatchProblem] = []
    seen: set[str] = set()
    for name in names:
        if not name:
            problems.append(BatchProblem(1, None, "a column has no name in the header"))
        elif name in seen:
            problems.append(BatchProblem(1, name, "this column appears twice in the header"))
        elif name not in COLUMNS and not (
            name.startswith(METADATA_PREFIX) and len(name) > len(METADATA_PREFIX)
        ):
            problems.append(
                BatchProblem(
                    1,
                    name,
                    "unknown column; the columns are "
                    + ", ".join(COLUMNS)
                    + f", and {METADATA_PREFIX}<key> for metadata",
                )
            )
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            problems.append(BatchProblem(1, name, "this column is required"))
    if "amount" not in seen and "amount_minor" not in seen:
        problems.append(
            BatchProblem(1, "amount", "give the amount: an amount (or amount_minor) column")
        )
    if "amount" in seen and "amount_minor" in seen:
        problems.append(BatchProblem(1, "amount_minor", "use amount or amount_minor, not both"))
    return names, problems


def read_batch(path: Path | str) -> BatchFile:
    """Read and hash the file; raises `BatchFileError` (or `OSError`) when it is not a batch."""
    path = Path(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BatchFileError(
            [
                BatchProblem(
                    line,
                    None,
                    'this is not UTF-8 text: save the file as "CSV UTF-8" and run again',
                )
            ]
        ) from None
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        raw_header = next(reader)
    except StopIteration:
        raise BatchFileError([BatchProblem(None, None, "the file is empty")]) from None
    except csv.Error as exc:
        raise BatchFileError([BatchProblem(1, None, f"not readable as CSV: {exc}")]) from None
    columns, problems = _header(raw_header)
    if problems:
        raise BatchFileError(problems)
    metadata_columns = [
        (index, name[len(METADATA_PREFIX) :])
        for index, name in enumerate(columns)
        if name.startswith(METADATA_PREFIX)
    ]
    metadata_keys = {
        index: raw_header[index].strip()[len(METADATA_PREFIX) :] for index, _ in metadata_columns
    }
    rows: list[BatchRow] = []
    row_problems: list[BatchProblem] = []
    number = 1
    try:
        for record in reader:
            number += 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(columns):
                row_problems.append(
                    BatchProblem(
                        number,
                        None,
                        f"{len(record)} cells, but the header has {len(columns)} columns "
                        "(a comma inside a cell needs quotes)",
                    )
                )
                continue
            cells = {
                name: (record[i].strip() if i < len(record) else "")
                for i, name in enumerate(columns)
                if not name.startswith(METADATA_PREFIX)
            }
            metadata = tuple(
                (metadata_keys[index], record[index].strip())
                for index, _ in metadata_columns
                if index < len(record) and record[index].strip()
            )
            rows.append(BatchRow(number, cells, metadata))
    except csv.Error as exc:
        row_problems.append(BatchProblem(number + 1, None, f"not readable as CSV: {exc}"))
    if not rows and not row_problems:
        row_problems.append(BatchProblem(None, None, "the file has a header but no rows"))
    return BatchFile(path, digest, columns, rows, row_problems)
