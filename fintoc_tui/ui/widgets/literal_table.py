"""A `DataTable` that shows its text as it is: never Rich markup, never emoji codes.

Textual's `DataTable` reads every `str` label and cell as Rich markup with
emoji codes on. So a description such as "Pago [b]marzo[/b] :ok:" lost its
brackets or gained an emoji, and the first plain label anywhere (the accounts
table's "Description", before the first frame) loaded Rich's table of 4,000
emoji names: 0.9 MiB held for the whole session (bench/bench_memory.py,
issue 17). Here every `str` becomes a plain `Text` on its way in; a `Text`
(styled by the caller) passes through untouched.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text, TextType
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


def literal(value: object) -> object:
    """`value` as the table should show it: a `str` as exactly that text, anything else as is."""
    return Text(value, end="") if isinstance(value, str) else value


class LiteralTable(DataTable[Any]):
    """`DataTable` whose `str` labels and cells are literal text (see the module)."""

    def add_column(
        self,
        label: TextType,
        *,
        width: int | None = None,
        key: str | None = None,
        default: Any = None,
    ) -> ColumnKey:
        column_label = Text(label) if isinstance(label, str) else label
        return super().add_column(column_label, width=width, key=key, default=default)

    def add_row(
        self,
        *cells: Any,
        height: int | None = 1,
        key: str | None = None,
        label: TextType | None = None,
    ) -> RowKey:
        row_label = Text(label, end="") if isinstance(label, str) else label
        return super().add_row(
            *(literal(cell) for cell in cells), height=height, key=key, label=row_label
        )

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Any,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, literal(value), update_width=update_width)
