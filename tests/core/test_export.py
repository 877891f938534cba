"""History export: CSV and JSON read back, amounts as ints, partial files never left."""

from __future__ import annotations

import csv
import errno
import json
import os
import resource
import signal
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fintoc_tui import paths
from fintoc_tui.export import (
    CSV_COLUMNS,
    ExportError,
    ExportWriter,
    csv_row,
    default_export_path,
    defuse,
    export_pages,
    json_record,
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
    # Signed text starts with - or +, which a spreadsheet would run: defused too.
    assert rows[0]["amount_formatted"] == "'-$590.14 MXN"
    assert rows[1]["amount_formatted"] == "'+$590.15 MXN"
    assert rows[2]["amount_formatted"] == "'+$59.016 CLP"
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


FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"]
PAYLOADS = ["=cmd|' /C calc'!A0", "@A1", "=1+1", "+1-1", "-2+3", '=HYPERLINK("http://x")']


def _every_text_field(value: str) -> dict:
    """A transfer (as the API sends it) whose every text field a sender could fill holds `value`."""
    return _transfer(
        1,
        id=value,
        status=value,
        mode=value,
        transaction_date=value,
        post_date=value,
        comment=value,
        reference_id=value,
        tracking_key=value,
        receipt_url=value,
        return_reason=value,
        counterparty={
            "holder_id": value,
            "holder_name": value,
            "account_number": value,
            "account_type": value,
            "institution": {"id": value, "name": value, "country": value},
        },
        account_number={"id": value, "number": value},
        metadata={value: value},
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_text_cell_a_spreadsheet_would_run_is_defused(payload):
    row = csv_row(_every_text_field(payload))
    ours = {"amount", "signed_amount", "currency", "direction", "amount_formatted", "metadata"}
    from_the_payload = [c for c in CSV_COLUMNS if c not in ours]
    assert "counterparty_holder_id" in from_the_payload
    assert "counterparty_account_number" in from_the_payload
    assert {c: row[c] for c in from_the_payload} == {c: "'" + payload for c in from_the_payload}
    # Numbers stay numbers; the signed text starts with - and is defused like any text.
    assert (row["amount"], row["signed_amount"]) == (59014, -59014)
    assert row["amount_formatted"] == "'-$590.14 MXN"
    # JSON starts with "{": nothing to defuse, and the payload inside stays data.
    assert json.loads(row["metadata"]) == {payload: payload}


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_each_formula_start_is_defused_and_nothing_else_is(start):
    assert defuse(start + "SUM(A1:A9)") == "'" + start + "SUM(A1:A9)"
    assert defuse("x" + start) == "x" + start
    assert defuse(" " + start) == " " + start


@given(st.text())
def test_defuse_only_ever_adds_one_apostrophe_in_front(text):
    out = defuse(text)
    assert out in (text, "'" + text)
    assert out == text or text[:1] in FORMULA_STARTS
    assert not out or out[0] not in FORMULA_STARTS


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_amount_columns_stay_plain_ints(amount):
    assert defuse(amount) == amount
    row = csv_row(
        _transfer(1, amount=abs(amount), direction="inbound" if amount >= 0 else "outbound")
    )
    assert row["amount"] == abs(amount) and row["signed_amount"] == amount


async def test_defused_cells_survive_the_csv_round_trip_and_amounts_stay_numbers(tmp_path):
    target = tmp_path / "out.csv"
    await export_pages(_pages([_every_text_field("=1+1")]), target, "csv")
    with target.open(newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["counterparty_holder_id"] == "'=1+1"
    assert row["counterparty_account_number"] == "'=1+1"
    assert row["amount"] == "59014" and row["signed_amount"] == "-59014"


# -- every column, from the API's dicts, the client's models, or any object ---------------------

FULL_ROW = {
    "id": "tr_000000000000000000000000001",
    "transaction_date": "2025-09-02T15:58:51Z",
    "post_date": "2025-09-03T10:00:00Z",
    "direction": "outbound",
    "status": "succeeded",
    "amount": 59014,
    "signed_amount": -59014,
    "currency": "MXN",
    "amount_formatted": "'-$590.14 MXN",
    "counterparty_holder_name": "Ana Pérez",
    "counterparty_holder_id": "RFC123",
    "counterparty_account_number": "012180000000000012",
    "counterparty_account_type": "clabe",
    "counterparty_institution_id": "40012",
    "counterparty_institution_name": "BBVA México",
    "account_number": "738180000000000014",
    "account_number_id": "acno_1",
    "comment": "Pago 1",
    "reference_id": "1234567",
    "tracking_key": "TK1",
    "receipt_url": "https://example.com/r/1",
    "return_reason": "account_closed",
    "mode": "test",
    "metadata": '{"a": "ñ", "order": "1"}',
}


def _full() -> dict:
    return _transfer(
        1,
        currency="mxn",
        post_date="2025-09-03T10:00:00Z",
        receipt_url="https://example.com/r/1",
        return_reason="account_closed",
        metadata={"order": "1", "a": "ñ"},
        account_number={
            "id": "acno_1",
            "object": "account_number",
            "number": "738180000000000014",
            "account_id": "acc_1",
            "mode": "test",
            "status": "enabled",
            "created_at": "2025-01-01T00:00:00Z",
        },
    )


def test_every_column_of_a_full_transfer():
    assert csv_row(_full()) == FULL_ROW
    assert list(FULL_ROW) == list(CSV_COLUMNS)


def test_the_clients_models_export_exactly_as_the_api_dicts():
    from fintoc_tui.api.models import Transfer

    model = Transfer.model_validate(_full())
    assert isinstance(model.transaction_date, datetime)
    assert csv_row(model) == FULL_ROW
    assert json_record(model) == {
        **json.loads(model.model_dump_json()),
        "signed_amount": -59014,
        "amount_formatted": "-$590.14 MXN",
    }
    assert json_record(model)["transaction_date"] == "2025-09-02T15:58:51Z"


def test_a_sparse_object_exports_blank_cells():
    sparse = SimpleNamespace(
        id="tr_1", amount=500, currency="CLP", direction="inbound", status="pending"
    )
    row = csv_row(sparse)
    filled = {
        "id": "tr_1",
        "direction": "inbound",
        "status": "pending",
        "amount": 500,
        "signed_amount": 500,
        "currency": "CLP",
        "amount_formatted": "'+$500 CLP",
    }
    assert row == {column: filled.get(column, "") for column in CSV_COLUMNS}
    assert csv_row({**_transfer(1), "metadata": {}, "counterparty": None})["metadata"] == ""


def test_only_dicts_and_models_can_be_exported_as_json():
    with pytest.raises(TypeError, match=r"^cannot export SimpleNamespace$"):
        json_record(SimpleNamespace(amount=1, currency="MXN", direction="inbound"))
    record = json_record(_transfer(1, direction="inbound"))
    assert (record["signed_amount"], record["amount_formatted"]) == (59014, "+$590.14 MXN")


def test_a_json_export_is_exactly_the_records_one_per_line(tmp_path):
    target = tmp_path / "out.json"
    with ExportWriter(target, "json") as writer:
        writer.write([_transfer(1), _transfer(2)])
    lines = target.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""] and len(lines) == 5
    assert lines[1].startswith("  {") and lines[1].endswith("},")
    assert lines[2].startswith("  {") and lines[2].endswith("}")
    assert "Ana Pérez" in lines[1]  # UTF-8 as it is, not \u escapes
    assert json.loads(lines[1][:-1]) == json_record(_transfer(1))
    empty = tmp_path / "empty.json"
    ExportWriter(empty, "json").close()
    assert empty.read_text(encoding="utf-8") == "[]\n"


def test_a_csv_export_is_utf8_with_crlf_rows(tmp_path):
    target = tmp_path / "out.csv"
    with ExportWriter(target, "csv") as writer:
        writer.write([_transfer(1)])
    data = target.read_bytes()
    assert data.count(b"\r\n") == 2 and b"\r\r" not in data
    assert "BBVA México".encode() in data


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path):
    target = tmp_path / "out.csv"
    writer = ExportWriter(target, "csv")
    (temporary,) = tmp_path.iterdir()
    assert temporary.name.startswith(".out.csv.") and temporary.parent == tmp_path
    writer.abort()
    assert _names(tmp_path) == []


def test_a_full_disk_during_an_export_loses_nothing_but_the_export(tmp_path):
    """The real failure (the file size limit, as a full disk): the first error is the one
    raised, the temporary file goes, and the clean-up does not fail in its turn."""
    target = tmp_path / "out.csv"
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        with pytest.raises(ConnectionError), ExportWriter(target, "csv") as writer:
            resource.setrlimit(resource.RLIMIT_FSIZE, (200, hard))
            writer.write([_transfer(1)])  # buffered: reaches the disk on close
            raise ConnectionError("network went away")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert _names(tmp_path) == []


def test_an_unknown_format_is_named():
    with pytest.raises(ValueError, match=r"^unknown export format 'xlsx'$"):
        ExportWriter(Path("x.xlsx"), "xlsx")  # type: ignore[arg-type]


def test_an_export_error_is_an_os_error_whose_words_are_the_sentence():
    error = ExportError("It went wrong.")
    assert isinstance(error, OSError)
    assert (str(error), error.strerror, error.args) == (
        "It went wrong.",
        "It went wrong.",
        ("It went wrong.",),
    )


# -- the final name: created, never replaced -------------------------------------------------


@pytest.fixture(params=["hard-link", "no-hard-links"])
def filesystem(request, monkeypatch):
    """Both ways the final name is made: a hard link, or (FAT, some shares) O_EXCL + copy."""
    if request.param == "no-hard-links":

        def no_links(*args, **kwargs):
            raise PermissionError(errno.EPERM, "Operation not permitted")

        # The filesystem's answer, not a stand-in for the code under test.
        monkeypatch.setattr(os, "link", no_links)
    return request.param


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_export_gets_its_name_only_when_complete(tmp_path, filesystem, fmt):
    target = tmp_path / f"out.{fmt}"
    with ExportWriter(target, fmt) as writer:
        writer.write([_transfer(1)])
        assert not target.exists()
    assert _names(tmp_path) == [f"out.{fmt}"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text(encoding="utf-8")
    assert "tr_000000000000000000000000001" in text


def test_a_file_that_appears_during_the_export_is_never_replaced(tmp_path, filesystem):
    target = tmp_path / "out.csv"
    writer = ExportWriter(target, "csv")
    writer.write([_transfer(1)])
    target.write_text("someone else's work")  # appears while the export runs
    with pytest.raises(ExportError) as info:
        writer.close()
    assert str(info.value) == (
        f"{target} appeared while the export was running and was left as it was. "
        "Export again under another name."
    )
    assert info.value.strerror == str(info.value)  # what the export dialog shows
    assert target.read_text() == "someone else's work"
    assert _names(tmp_path) == ["out.csv"]  # and no temporary file left
    writer.abort()  # a second clean-up is harmless


def test_leaving_the_with_block_on_a_failed_close_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.csv"
    with (
        pytest.raises(ExportError, match="appeared while the export was running"),
        ExportWriter(target, "csv") as writer,
    ):
        writer.write([_transfer(1)])
        target.mkdir()  # a folder took the name meanwhile
    assert _names(tmp_path) == ["out.csv"] and target.is_dir()


def test_a_failed_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(TypeError), ExportWriter(target, "csv") as writer:
        writer.write([{"amount": None, "direction": "outbound"}])
    assert _names(tmp_path) == []


def test_an_existing_target_is_refused_before_anything_is_written(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    with pytest.raises(ExportError, match=r"out\.csv already exists: choose another name\."):
        ExportWriter(target, "csv")
    assert _names(tmp_path) == ["out.csv"] and target.read_text() == "keep me"


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("afile/out.csv", "{tmp}/afile is a file, not a folder. Choose another folder."),
        (
            "afile/sub/out.csv",
            "{tmp}/afile is a file, not a folder, so {tmp}/afile/sub cannot be made. "
            "Choose another folder.",
        ),
        ("broken-link/out.csv", "{tmp}/broken-link is not a folder. Choose another folder."),
    ],
)
def test_a_parent_that_is_not_a_folder_is_named_in_plain_words(tmp_path, where, message):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "broken-link").symlink_to(tmp_path / "nowhere")
    with pytest.raises(ExportError) as info:
        ExportWriter(tmp_path / where, "csv")
    assert info.value.strerror == message.format(tmp=tmp_path)
    assert "File exists" not in str(info.value)
    assert _names(tmp_path) == ["afile", "broken-link"]


def test_missing_folders_are_made(tmp_path):
    target = tmp_path / "a" / "b" / "out.json"
    with ExportWriter(target, "json"):
        pass
    assert json.loads(target.read_text()) == []


def test_default_path_is_in_exports_dir_and_never_overwrites(tmp_path):
    when = datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)
    first = default_export_path("csv", when)
    assert first.parent == paths.exports_dir()
    assert first.name == "transfers-20250902-155851.csv"
    first.write_text("x")
    second = default_export_path("csv", when)
    assert second.name == "transfers-20250902-155851-2.csv"
    second.write_text("x")
    assert default_export_path("csv", when).name == "transfers-20250902-155851-3.csv"
    assert default_export_path("json", when, directory=tmp_path) == (
        tmp_path / "transfers-20250902-155851.json"
    )


def test_writer_refuses_unknown_format(tmp_path):
    with pytest.raises(ValueError):
        ExportWriter(tmp_path / "x.xlsx", "xlsx")  # type: ignore[arg-type]


def test_export_module_does_not_import_textual():
    code = "import sys, fintoc_tui.export; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
