"""History export: CSV and JSON read back, amounts as ints, partial files never left."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from fintoc_tui import paths
from fintoc_tui.export import (
    CSV_COLUMNS,
    ExportWriter,
    csv_row,
    default_export_path,
    export_pages,
)


def _transfer(n: int, *, direction: str = "outbound", currency: str = "MXN", **extra) -> dict:
    """A transfer as the API sends it (JSON), as the export sees a page item."""
    body = {
        "id": f"tr_{n:027d}",
        "object": "transfer",
        "amount": 59013 + n,
        "currency": currency,
        "direction": direction,
        "status": "succeeded",
        "mode": "test",
        "transaction_date": "2025-09-02T15:58:51Z",
        "post_date": None,
        "comment": f"Pago {n}",
        "reference_id": "1234567",
        "tracking_key": f"TK{n}",
        "receipt_url": None,
        "return_reason": None,
        "counterparty": {
            "holder_id": "RFC123",
            "holder_name": "Ana Pérez",
            "account_number": "012180000000000012",
            "account_type": "clabe",
            "institution": {"id": "40012", "name": "BBVA México", "country": "mx"},
        },
        "account_number": {"id": "acno_1", "number": "738180000000000014"},
        "metadata": {"order": str(n)},
    }
    body.update(extra)
    return body


async def _pages(*pages):
    for page in pages:
        yield page


async def test_csv_round_trip_keeps_integer_amounts_and_signed_text(tmp_path):
    target = tmp_path / "out.csv"
    seen: list[int] = []
    result = await export_pages(
        _pages(
            [_transfer(1), _transfer(2, direction="inbound")],
            [_transfer(3, currency="CLP", direction="inbound")],
        ),
        target,
        "csv",
        on_progress=seen.append,
    )
    assert result.count == 3 and result.path == target
    assert seen == [2, 3]
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["amount"] for r in rows] == ["59014", "59015", "59016"]
    assert [r["signed_amount"] for r in rows] == ["-59014", "59015", "59016"]
    assert rows[0]["amount_formatted"] == "-$590.14 MXN"
    assert rows[1]["amount_formatted"] == "+$590.15 MXN"
    assert rows[2]["amount_formatted"] == "+$59.016 CLP"
    assert rows[0]["counterparty_institution_name"] == "BBVA México"
    assert rows[0]["account_number"] == "738180000000000014"
    assert json.loads(rows[0]["metadata"]) == {"order": "1"}
    assert rows[0]["post_date"] == ""


async def test_json_export_is_the_api_objects_plus_amount_columns(tmp_path):
    target = tmp_path / "out.json"
    result = await export_pages(_pages([_transfer(1)], [], [_transfer(2)]), target, "json")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert result.count == 2 and len(data) == 2
    assert data[0]["amount"] == 59014 and isinstance(data[0]["amount"], int)
    assert data[0]["signed_amount"] == -59014
    assert data[0]["amount_formatted"] == "-$590.14 MXN"
    assert data[1]["counterparty"]["institution"]["id"] == "40012"


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_empty_export_is_still_a_valid_file(tmp_path, fmt):
    target = tmp_path / f"empty.{fmt}"
    result = await export_pages(_pages(), target, fmt)
    assert result.count == 0
    if fmt == "json":
        assert json.loads(target.read_text()) == []
    else:
        assert target.read_text().strip() == ",".join(CSV_COLUMNS)


async def test_failed_export_leaves_no_file_behind(tmp_path):
    target = tmp_path / "broken.csv"

    async def failing():
        yield [_transfer(1)]
        raise ConnectionError("network went away")

    with pytest.raises(ConnectionError):
        await export_pages(failing(), target, "csv")
    assert list(tmp_path.iterdir()) == []


def test_free_text_that_a_spreadsheet_would_run_is_defused():
    row = csv_row(_transfer(1, comment='=HYPERLINK("http://x")', reference_id="1"))
    assert row["comment"].startswith("'=")
    # Our own columns are left alone: a negative amount stays a number.
    assert row["signed_amount"] == -59014


def test_default_path_is_in_exports_dir_and_never_overwrites():
    when = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)
    first = default_export_path("csv", when)
    assert first.parent == paths.exports_dir()
    assert first.name == "transfers-20250902-155851.csv"
    first.write_text("x")
    second = default_export_path("csv", when)
    assert second.name == "transfers-20250902-155851-2.csv"


def test_writer_refuses_unknown_format(tmp_path):
    with pytest.raises(ValueError):
        ExportWriter(tmp_path / "x.xlsx", "xlsx")  # type: ignore[arg-type]


def test_export_module_does_not_import_textual():
    code = "import sys, fintoc_tui.export; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
