"""Batch files for the Batch screen's tests (a few valid MX and CL rows), and its screen as lines."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from typing import Any

from fintoc_tui.banking import make_clabe, make_rut

HEADER = [
    "from_account", "currency", "amount", "account_number", "holder_name", "holder_id",
    "institution_id", "account_type", "comment", "reference_id", "metadata.row",
]  # fmt: skip


def mx_row(i: int, amount: str) -> list[str]:
    clabe = make_clabe("012", "180", f"{1_000_000 + i:011d}")
    return [
        "Cuenta MXN",
        "MXN",
        amount,
        clabe,
        f"Proveedor {i}",
        "",
        "",
        "",
        f"Pago {i}",
        "",
        str(i),
    ]


def cl_row(i: int, amount: str) -> list[str]:
    return [
        "Cuenta CLP", "CLP", amount, str(900_000_000 + i), f"Persona {i}",
        make_rut(11_000_000 + i), "cl_banco_estado", "checking_account", f"Honorarios {i}", "",
        str(i),
    ]  # fmt: skip


def good_rows(mx: int = 5, cl: int = 2) -> list[list[str]]:
    """`mx` Mexican rows of $100.00 + i and `cl` Chilean rows of $10.000 + i pesos."""
    rows = [mx_row(i, f"{100 + i}.00") for i in range(1, mx + 1)]
    rows += [cl_row(i, f"{10_000 + i}") for i in range(mx + 1, mx + cl + 1)]
    return rows


def write_batch(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


_TEXT = re.compile(r'<text[^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', re.S)


def screen_lines(app: Any) -> str:
    """The terminal as lines of text, each piece at its column (from the SVG screenshot).

    `ui_helpers.screen_text` puts a line break between differently styled
    pieces; a sentence with a bold part is one line here. Rich draws each
    cell 12.2 px wide (0.61 of its 20 px font).
    """
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for match in _TEXT.finditer(svg):
        piece = html.unescape(re.sub(r"<[^>]+>", "", match.group(3))).replace("\xa0", " ")
        rows.setdefault(float(match.group(2)), []).append((float(match.group(1)), piece))
    lines = []
    for _, row in sorted(rows.items()):
        line = ""
        for x, piece in sorted(row):
            line = line.ljust(round(x / 12.2)) + piece
        lines.append(line.rstrip())
    return "\n".join(lines)
