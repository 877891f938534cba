"""How commands print: tables for people, JSON and CSV for machines, errors in one line.

Tables are hand-written rather than `rich.table`: a list of 100,000
transfers has to stream row by row with columns fixed up front, while a rich
`Table` measures every row before printing the first. Amounts are always the
currency's home style (`money.format_amount`) in tables and, for machines,
an int in minor units next to its formatted text.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from fintoc_tui.money import format_amount

PROG = "fintoc-tui"


def amount_fields(minor: int, currency: str, name: str = "amount") -> dict[str, Any]:
    """`{"amount": 59013, "amount_formatted": "$590.13 MXN"}` for machine output."""
    return {name: minor, f"{name}_formatted": format_amount(minor, currency)}


def one_line(text: str) -> str:
    """Newlines and runs of spaces folded, so an error stays on one line."""
    return " ".join(str(text).split())


def error(message: str, *, stream: TextIO | None = None) -> None:
    """`fintoc-tui: error: …` on stderr, one line."""
    print(f"{PROG}: error: {one_line(message)}", file=stream or sys.stderr, flush=True)


def note(message: str = "", *, stream: TextIO | None = None) -> None:
    """A line for the person (restatement, progress, advice): stderr, so stdout stays data."""
    print(message, file=stream or sys.stderr, flush=True)


def describe_fintoc_error(exc: Any) -> str:
    """A `FintocError` as one line: its message, then Fintoc's code, param and HTTP status."""
    details = [
        f"{label} {value}"
        for label, value in (
            ("code", getattr(exc, "code", None)),
            ("param", getattr(exc, "param", None)),
            ("HTTP", getattr(exc, "status", None)),
        )
        if value is not None
    ]
    message = getattr(exc, "message", None) or str(exc)
    return f"{message} ({', '.join(details)})" if details else message


# -- tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 0
    align: Literal["left", "right"] = "left"


def _fit(text: str, width: int, align: str) -> str:
    if len(text) > width:
        text = text[: max(width - 1, 0)] + "…"
    return text.rjust(width) if align == "right" else text.ljust(width)


class StreamTable:
    """A table printed row by row with fixed column widths (the last column is not padded)."""

    def __init__(self, columns: Sequence[Column], stream: TextIO | None = None) -> None:
        self.columns = list(columns)
        self.stream = stream or sys.stdout
        self.rows = 0

    def _line(self, values: Sequence[str]) -> str:
        cells = []
        last = len(self.columns) - 1
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            if index == last and column.align == "left":
                cells.append(value)
            else:
                cells.append(_fit(value, column.width, column.align))
        return "  ".join(cells).rstrip()

    def header(self) -> None:
        self.stream.write(self._line([c.title for c in self.columns]) + "\n")

    def row(self, values: Sequence[str]) -> None:
        self.stream.write(self._line(values) + "\n")
        self.rows += 1


def print_table(
    columns: Sequence[Column], rows: Iterable[Sequence[str]], stream: TextIO | None = None
) -> None:
    """A small table, its columns as wide as their widest cell."""
    materialised = [list(row) for row in rows]
    sized = [
        Column(
            column.title,
            max([len(column.title), *(len(row[i]) for row in materialised)]),
            column.align,
        )
        for i, column in enumerate(columns)
    ]
    table = StreamTable(sized, stream)
    table.header()
    for row in materialised:
        table.row(row)


def print_pairs(pairs: Iterable[tuple[str, str]], stream: TextIO | None = None) -> None:
    """`Label   value` lines, labels padded to the longest."""
    items = list(pairs)
    width = max((len(label) for label, _ in items), default=0)
    out = stream or sys.stdout
    for label, value in items:
        out.write(f"{label.ljust(width)}  {value}\n".rstrip() + "\n")


# -- machines ------------------------------------------------------------------------------


_json_started = False


def json_started() -> bool:
    """Whether this command has begun writing JSON to stdout (errors then do not add any)."""
    return _json_started


def write_json(obj: Any, stream: TextIO | None = None) -> None:
    global _json_started
    _json_started = True
    out = stream or sys.stdout
    json.dump(obj, out, ensure_ascii=False, indent=2)
    out.write("\n")


class JsonArrayStream:
    """A JSON array written one item at a time: valid JSON when closed, flat memory."""

    def __init__(self, stream: TextIO | None = None) -> None:
        global _json_started
        _json_started = True
        self.stream = stream or sys.stdout
        self.count = 0
        self.stream.write("[")

    def write(self, item: Any) -> None:
        self.stream.write("\n  " if self.count == 0 else ",\n  ")
        self.stream.write(json.dumps(item, ensure_ascii=False))
        self.count += 1

    def close(self) -> None:
        self.stream.write("\n]\n" if self.count else "]\n")
        self.stream.flush()


class CsvStream:
    """CSV with a header, written row by row."""

    def __init__(self, columns: Sequence[str], stream: TextIO | None = None) -> None:
        self.writer = csv.DictWriter(stream or sys.stdout, fieldnames=list(columns))
        self.writer.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        self.writer.writerow(row)
