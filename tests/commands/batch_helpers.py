"""Batch files for tests: valid MX and CL rows, written as CSV."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from fintoc_tui.banking import make_clabe, make_rut

MX_BANKS = ("012", "014", "072", "002", "021", "030", "036", "044", "058")
HEADER = [
    "from_account", "currency", "amount", "account_number", "holder_name", "holder_id",
    "institution_id", "account_type", "comment", "reference_id", "metadata.row",
]  # fmt: skip


def mx_row(i: int, rng: random.Random, *, source: str = "Cuenta MXN") -> list[str]:
    clabe = make_clabe(rng.choice(MX_BANKS), "180", f"{rng.randrange(10**11):011d}")
    amount = f"{rng.randrange(1, 900)}.{rng.randrange(100):02d}"
    return [source, "MXN", amount, clabe, f"Proveedor {i}", "", "", "", f"Pago {i}", "", str(i)]


def cl_row(i: int, rng: random.Random, *, source: str = "Cuenta CLP") -> list[str]:
    rut = make_rut(rng.randrange(5_000_000, 25_000_000))
    number = str(rng.randrange(10**7, 10**12))
    amount = f"{rng.randrange(1000, 90000):,}".replace(",", ".")
    return [
        source, "CLP", amount, number, f"Persona {i}", rut, "cl_banco_estado",
        "checking_account", f"Honorarios {i}", "", str(i),
    ]  # fmt: skip


def write_batch(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def mixed_rows(count: int, *, seed: int = 1, cl_every: int = 4) -> list[list[str]]:
    rng = random.Random(seed)
    return [cl_row(i, rng) if i % cl_every == 3 else mx_row(i, rng) for i in range(count)]
