"""Reading, validating and previewing a batch file (no network: accounts are given)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from batch_helpers import HEADER, cl_row, mixed_rows, mx_row, write_batch

from fintoc_tui.api.models import Account, Transfer
from fintoc_tui.batch.csvfile import BatchFileError, read_batch
from fintoc_tui.batch.preview import preview_batch, preview_lines
from fintoc_tui.batch.validate import validate_batch

MXN = Account(
    id="acc_mx", mode="test", available_balance=10**9, currency="MXN", status="active",
    description="Cuenta MXN", root_account_number="738180000000000014",
)  # fmt: skip
CLP = Account(
    id="acc_cl", mode="test", available_balance=10**9, currency="CLP", status="active",
    description="Cuenta CLP",
)  # fmt: skip
ACCOUNTS = [MXN, CLP]


def test_rows_are_numbered_as_a_spreadsheet_and_metadata_keeps_its_case(tmp_path):
    path = tmp_path / "b.csv"
    rng = random.Random(3)
    header = [*HEADER[:-1], "metadata.Order_ID"]
    write_batch(path, [mx_row(0, rng), [], mx_row(1, rng)], header)
    file = read_batch(path)
    assert [row.number for row in file.rows] == [2, 4]
    assert file.rows[0].metadata == (("Order_ID", "0"),)
    plan = validate_batch(file, ACCOUNTS)
    assert plan.ok and plan.rows[0].draft.request.metadata == {"Order_ID": "0"}
    assert read_batch(path).sha256 == file.sha256


def test_excel_habits_bom_and_semicolons(tmp_path):
    path = tmp_path / "excel.csv"
    text = "\ufeffFrom_Account ; Currency;Amount;Account_Number\nCuenta MXN;MXN;1.234,00;x\n"
    path.write_text(text.replace("1.234,00", "1234.00").replace("x", "012180000000000015"))
    plan = validate_batch(read_batch(path), ACCOUNTS)
    assert plan.ok and plan.rows[0].amount == 123400


def test_header_problems_are_all_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("from_account,ammount,amount_minor,amount,comment,comment\n")
    with pytest.raises(BatchFileError) as caught:
        read_batch(path)
    text = [str(p) for p in caught.value.problems]
    assert any(t.startswith("row 1, column ammount: unknown column") for t in text)
    assert "row 1, column comment: this column appears twice in the header" in text
    assert "row 1, column currency: this column is required" in text
    assert "row 1, column account_number: this column is required" in text
    assert "row 1, column amount_minor: use amount or amount_minor, not both" in text


def test_every_bad_row_is_named_by_row_and_column_with_the_forms_words(tmp_path):
    rng = random.Random(5)
    rows = [mx_row(i, rng) for i in range(6)]
    rows[1][3] = "012180000000000016"  # row 3: check digit
    rows[2][2] = "12.345"  # row 4: amount
    rows[3][9] = "0123"  # row 5: reference
    rows[4][0] = "Cuenta EUR"  # row 6: source
    rows[5][1] = "CLP"  # row 7: currency of another account
    plan = validate_batch(read_batch(write_batch(tmp_path / "b.csv", rows)), ACCOUNTS)
    assert not plan.ok
    got = [(p.row, p.column, p.message) for p in plan.problems]
    assert got[0] == (3, "account_number", "Check digit should be 5, not 6")
    assert got[1] == (4, "amount", "MXN has at most 2 decimals")
    assert got[2] == (5, "reference_id", "Reference id cannot start with 0")
    assert got[3][:2] == (6, "from_account") and "no account matches 'Cuenta EUR'" in got[3][2]
    assert got[4] == (7, "currency", "this row is in CLP, but Cuenta MXN is in MXN")
    assert [r.number for r in plan.rows] == [2]


def test_chile_rows_need_their_fields(tmp_path):
    rng = random.Random(2)
    row = cl_row(0, rng)
    row[5] = "12.345.678-4"
    row[6] = ""
    row[9] = "12"
    plan = validate_batch(read_batch(write_batch(tmp_path / "c.csv", [row])), ACCOUNTS)
    assert [(p.column, p.message) for p in plan.problems] == [
        ("holder_id", "RUT check digit should be 5, not 4"),
        ("institution_id", "Choose the institution"),
        ("reference_id", "A reference id is only for transfers in Mexico (MXN)"),
    ]


def test_duplicates_in_the_file(tmp_path):
    rng = random.Random(7)
    mx, cl = mx_row(0, rng), cl_row(1, rng)
    path = write_batch(tmp_path / "d.csv", [mx, cl, mx, cl])
    plan = validate_batch(read_batch(path), ACCOUNTS)
    assert [(p.row, p.column) for p in plan.problems] == [(4, None), (5, "comment")]
    assert "the same payment as row 2" in plan.problems[0].message
    assert "Chile allows that once a day" in plan.problems[1].message
    allowed = validate_batch(read_batch(path), ACCOUNTS, allow_duplicates=True)
    assert [(p.row, p.column) for p in allowed.problems] == [(5, "comment")]


def test_chile_once_a_day_against_todays_transfers(tmp_path):
    rng = random.Random(8)
    row = cl_row(0, rng)
    plan = validate_batch(read_batch(write_batch(tmp_path / "t.csv", [row])), ACCOUNTS)
    request = plan.rows[0].draft.request
    made_today = Transfer.model_validate(
        {
            "id": "tr_today", "amount": request.amount, "currency": "CLP",
            "direction": "outbound", "status": "pending", "mode": "test",
            "transaction_date": datetime.now(UTC), "comment": request.comment,
            "counterparty": {
                "account_number": request.counterparty.account_number,
                "holder_id": request.counterparty.holder_id,
                "institution": {"id": "cl_banco_estado"},
            },
            "account_number": {
                "id": "acno_1", "account_id": "acc_cl", "number": "1", "mode": "test",
                "status": "enabled", "created_at": datetime.now(UTC),
            },
        }
    )  # fmt: skip
    again = validate_batch(read_batch(tmp_path / "t.csv"), ACCOUNTS, todays_transfers=[made_today])
    [problem] = again.problems
    assert problem.row == 2 and "transfer tr_today made today" in problem.message
    failed = made_today.model_copy(update={"status": "failed"})
    assert validate_batch(read_batch(tmp_path / "t.csv"), ACCOUNTS, todays_transfers=[failed]).ok
    paid = validate_batch(
        read_batch(tmp_path / "t.csv"), ACCOUNTS, todays_transfers=[made_today], committed={2}
    )
    assert paid.ok


def test_totals_against_each_accounts_balance(tmp_path):
    poor = Account.model_validate({**MXN.model_dump(), "available_balance": 150_000})
    rows = [mx_row(i, random.Random(i)) for i in range(3)]
    for row, amount in zip(rows, ("600.00", "700.00", "800.00"), strict=True):
        row[2] = amount
    path = write_batch(tmp_path / "t.csv", rows)
    plan = validate_batch(read_batch(path), [poor, CLP])
    [problem] = plan.problems
    assert (problem.row, problem.column) == (None, "amount")
    assert "add up to $2,100.00 MXN, more than its available balance of $1,500.00 MXN" in (
        problem.message
    )
    # Rows already paid have left the balance: only the others count.
    assert validate_batch(read_batch(path), [poor, CLP], committed={2, 3}).ok


def test_preview_counts_totals_and_largest(tmp_path):
    path = write_batch(tmp_path / "p.csv", mixed_rows(40, seed=4))
    plan = validate_batch(read_batch(path), ACCOUNTS)
    assert plan.ok
    preview = preview_batch(plan.rows)
    totals = {t.currency: (t.count, t.amount) for t in preview.by_currency}
    for currency in ("MXN", "CLP"):
        rows = [r for r in plan.rows if r.currency == currency]
        assert totals[currency] == (len(rows), sum(r.amount for r in rows))
        biggest = max(rows, key=lambda r: r.amount)
        assert biggest in preview.largest
    assert sum(t.count for _, t in preview.by_bank) == 40
    text = "\n".join(preview_lines(preview, title="t"))
    assert "Largest payments" in text and "BancoEstado" in text
    data = preview.to_dict()
    assert all(type(t["amount"]) is int for t in data["by_currency"])


def test_no_source_account_says_how_to_give_one(tmp_path):
    rows = [mx_row(0, random.Random(1))]
    rows[0][0] = ""
    path = write_batch(tmp_path / "s.csv", rows)
    [problem] = validate_batch(read_batch(path), ACCOUNTS).problems
    assert problem.column == "from_account" and "--from" in problem.message
    assert validate_batch(read_batch(path), ACCOUNTS, default_source="acc_mx").ok


def test_five_thousand_rows_validate(tmp_path):
    """Correctness at size (speed is bench/bench_batch.py's)."""
    path = write_batch(tmp_path / "big.csv", mixed_rows(5000, seed=9))
    plan = validate_batch(read_batch(path), ACCOUNTS)
    assert plan.ok and len(plan.rows) == 5000
