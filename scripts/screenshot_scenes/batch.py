"""Screenshots of the Batch screen: the preview before the one confirmation, problems, sent.

The CSV file is written into the scene's own home, so the path on screen is
the same in every run (`shows_home`).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from scripts.screenshots import Scene, settle

HEADER = [
    "from_account", "currency", "amount", "account_number", "holder_name", "holder_id",
    "institution_id", "account_type", "comment", "reference_id", "metadata.invoice",
]  # fmt: skip
ROWS = [
    ["Cuenta MXN", "MXN", "12,450.00", "012180015000000013", "Proveedora Éxito SA de CV",
     "", "", "", "Factura 2025-118", "118", "F-118"],
    ["Cuenta MXN", "MXN", "3,980.50", "072180000000000152", "Logística del Norte",
     "", "", "", "Factura 2025-119", "119", "F-119"],
    ["Cuenta MXN", "MXN", "890.13", "014180000000000149", "Juan Pérez",
     "", "", "", "Reembolso viáticos", "", "R-7"],
    ["Cuenta MXN", "MXN", "25,000.00", "002180000000000180", "Servicios Aurora SC",
     "", "", "", "Honorarios agosto", "120", "F-120"],
    ["Cuenta CLP", "CLP", "450.000", "900000001", "Ana Soto", "11.111.111-1",
     "cl_banco_estado", "checking_account", "Honorarios agosto", "", "H-7"],
    ["Cuenta CLP", "CLP", "1.250.000", "12345678", "Constructora Andes SpA", "76.086.428-5",
     "cl_banco_de_chile", "checking_account", "Estado de pago 3", "", "EP-3"],
]  # fmt: skip


def _write(rows: list[list[str]]) -> str:
    path = Path(os.environ["FINTOC_TUI_HOME"]) / "payouts.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return str(path)


async def _open(pilot, path: str) -> None:
    from textual.widgets import Input

    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    screen = pilot.app.screen
    screen.follow_seconds = 0  # the scene's clock is pinned: nothing settles
    field = screen.query_one("#batch-path", Input)
    field.value = path
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


async def _preview(pilot, stage) -> None:
    await _open(pilot, _write(ROWS))


async def _problems(pilot, stage) -> None:
    rows = [list(row) for row in ROWS]
    rows[1][3] = "072180000000000153"  # a CLABE with the wrong check digit
    rows[2][2] = "890.135"  # three decimals in pesos mexicanos
    rows[4][5] = "11.111.111-2"  # a RUT with the wrong check digit
    rows[5][7] = "cuenta corriente"
    await _open(pilot, _write(rows))


async def _sent(pilot, stage) -> None:
    await _open(pilot, _write(ROWS))
    await pilot.press("ctrl+s")
    await settle(pilot)


SCENES = [
    Scene(
        "batch-preview",
        _preview,
        description="b: a CSV file validated, its totals, and the one confirmation",
        shows_home=True,
    ),
    Scene(
        "batch-problems",
        _problems,
        description="every problem by row and column; nothing can be sent",
        shows_home=True,
    ),
    Scene(
        "batch-sent",
        _sent,
        description="sent at Fintoc's rate; the results file and what comes next",
        shows_home=True,
    ),
]
