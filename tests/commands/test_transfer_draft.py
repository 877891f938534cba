"""`fintoc_tui.transfer`: the one copy of the form's rules, on plain values (the form, the CLI
and the batch all call it)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fintoc_tui.api import models
from fintoc_tui.api.models import Account
from fintoc_tui.banking import format_clabe, format_rut
from fintoc_tui.environments import Environment
from fintoc_tui.money import format_amount, parse_amount
from fintoc_tui.transfer.checks import (
    COMMENT_MAX_LENGTH,
    HOLDER_NAME_MAX_LENGTH,
    METADATA_MAX_KEYS,
    Check,
    check_amount,
    check_cl_account_number,
    check_clabe,
    check_comment,
    check_mx_holder_id,
    check_reference,
    check_rut,
    compact_rut,
)
from fintoc_tui.transfer.draft import (
    DraftError,
    TransferFields,
    build_request,
    draft_transfer,
    field_problems,
)
from fintoc_tui.transfer.fields import field_key
from fintoc_tui.transfer.restate import build_draft, restate

MXN = Account(
    id="acc_mx", mode="test", available_balance=1_000_000, currency="MXN", status="active",
    description="Cuenta MXN",
)  # fmt: skip
CLP = Account(
    id="acc_cl", mode="test", available_balance=50_000_000, currency="CLP", status="active"
)
CL_OK = TransferFields(
    account_number="900-000-001", holder_id="11.111.111-1", holder_name="Ana",
    institution_id="BancoEstado", account_type="checking", amount="1.234.567",
)  # fmt: skip

clabe_like = st.text(alphabet="0123456789 -x", max_size=22)
rut_like = st.text(alphabet="0123456789kK.- ", max_size=14)
amount_like = st.text(alphabet="0123456789.,$ MXNCLP-", max_size=14)
id_like = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789&", max_size=20)


@given(clabe_like)
@example("012180000000000015")
@example("012 180 00000000001 6")
@example("0121")
@example("999180000000000015")
def test_a_clabe_note_is_its_digits_grouped_and_a_problem_or_what_is_left(text):
    digits = "".join(ch for ch in text if ch.isdigit())
    check = check_clabe(text)
    if not digits:
        assert check == Check()
        return
    assert check.note[0] == (format_clabe(digits), "strong")
    if check.problem is None:
        assert len(digits) <= 18
        ending = "check digit OK" if len(digits) == 18 else "to go"
        assert check.note_text.endswith(ending)


@pytest.mark.parametrize(
    ("text", "note", "problem"),
    [
        ("0121800000000000", "012 180 0000000000  ·  BBVA MEXICO  ·  2 digits to go", None),
        ("01218000000000001", "012 180 00000000001  ·  BBVA MEXICO  ·  1 digit to go", None),
        ("012180000000000015", "012 180 00000000001 5  ·  BBVA MEXICO  ·  check digit OK", None),
        (
            "012180000000000016",
            "012 180 00000000001 6  ·  BBVA MEXICO",
            "Check digit should be 5, not 6",
        ),
    ],
)
def test_clabe_notes_count_in_words(text, note, problem):
    check = check_clabe(text)
    assert check.note_text == note
    assert (check.problem or "").startswith(problem or "") and bool(check.problem) == bool(problem)


@given(rut_like)
@example("12.345.678-5")
@example("12.345.678-4")
@example("11111111-1")
@example("1234567")
def test_a_rut_is_shown_formatted_once_valid_and_never_both_ok_and_wrong(text):
    check = check_rut(text)
    assert not (check.problem and check.note)
    if compact_rut(text):
        assert check.note_text == f"{format_rut(text)}  ·  check digit OK"


@given(amount_like, st.sampled_from(["MXN", "CLP"]), st.one_of(st.none(), st.integers(0, 10**9)))
def test_an_amount_while_typing_is_sendable_exactly_or_not_at_all(text, currency, balance):
    check = check_amount(text, currency, balance)
    if check.minor is not None:
        assert check.problem is None and check.minor == parse_amount(text, currency)
        assert check.display == format_amount(check.minor, currency)
        assert 1 <= check.minor <= (balance if balance is not None else check.minor)
    assert not (check.problem and check.hint)


@pytest.mark.parametrize(
    ("text", "currency", "hint"),
    [
        ("0", "MXN", "The amount must be more than $0.00 MXN"),
        ("0.0", "MXN", "The amount must be more than $0.00 MXN"),
        ("0", "CLP", "The amount must be more than $0 CLP"),
    ],
)
def test_zero_says_what_the_least_amount_is(text, currency, hint):
    typing = check_amount(text, currency)
    assert (typing.minor, typing.problem, typing.hint) == (None, None, hint)
    final = check_amount(text, currency, final=True)
    assert final.problem == hint


@given(amount_like, st.sampled_from(["MXN", "CLP"]))
def test_a_final_amount_is_either_sendable_or_explained(text, currency):
    final = check_amount(text, currency, final=True)
    if text.strip():
        assert (final.minor is None) != (final.problem is None)


@pytest.mark.parametrize(
    ("check", "text", "note", "problem"),
    [
        (check_mx_holder_id, "BOXW310820HNERXN09", "CURP OK", None),
        (check_mx_holder_id, "GODE561231GR8", "RFC OK", None),
        (check_mx_holder_id, "GODE56", "6 characters; an RFC has 12 or 13, a CURP 18", None),
        (check_mx_holder_id, "BOXW310820HNERXN0X", "", "Not a valid CURP (18 characters)"),
        (check_cl_account_number, "900-000 001", "", None),
        (
            check_cl_account_number,
            "90a",
            "",
            "An account number has only digits (hyphens are fine)",
        ),
        (check_cl_account_number, "1" * 21, "", "An account number has at most 20 digits"),
        (check_reference, "1234567", "", None),
        (check_reference, "0123", "", "Reference id cannot start with 0"),
        (check_comment, "hola", "4/40 characters", None),
        (
            check_comment,
            "c" * 41,
            "41/40 characters",
            "A comment has at most 40 characters, has 41",
        ),
    ],
)
def test_small_field_checks(check, text, note, problem):
    result = check(text)
    assert result.note_text == note
    assert (result.problem or "").startswith(problem or "") and bool(result.problem) == bool(
        problem
    )


def test_limits_agree_with_the_model():
    assert COMMENT_MAX_LENGTH == models.COMMENT_MAX_LENGTH
    assert METADATA_MAX_KEYS == models.METADATA_MAX_KEYS
    assert HOLDER_NAME_MAX_LENGTH == 100


def test_typing_reasons_are_the_forms_review_line():
    """The same phrases as the form's "To review: …" (tests/ui/test_transfer_form.py)."""
    reasons = [p.reason for p in field_problems(MXN, TransferFields(), final=False)]
    assert reasons == ["enter the CLABE", "enter the amount"]
    typing = TransferFields(account_number="01218000000", amount="1,2")
    assert [p.reason for p in field_problems(MXN, typing, final=False)] == [
        "finish the CLABE",
        "finish the amount",
    ]
    chile = [p.reason for p in field_problems(CLP, TransferFields(), final=False)]
    assert chile == [
        "enter the account number",
        "enter the RUT",
        "enter the holder name",
        "choose the institution",
        "choose the account type",
        "enter the amount",
    ]
    assert next(p.reason for p in field_problems(None, TransferFields(), final=False)) == (
        "choose the source account"
    )


def test_final_mode_explains_what_typing_mode_waits_for():
    problems = field_problems(MXN, TransferFields(account_number="01218000000", amount="1,2"))
    assert [(p.field, p.message) for p in problems] == [
        ("account_number", "A CLABE needs 18 digits, has 11"),
        ("amount", "Thousands separators (,) go every three digits, as in 1,234.56"),
    ]
    blocked = Account.model_validate({**MXN.model_dump(), "status": "blocked"})
    first = field_problems(blocked, TransferFields())[0]
    assert first.message == "The source account is blocked: it cannot send"


def test_the_request_is_the_forms_and_exact():
    fields = TransferFields(
        account_number="012 180 00000000001 5", holder_name=" Juan ", holder_id="boxw310820hnerxn09",
        amount="$1,234.56", comment=" hola ", reference_id="123",
        metadata=(("order", "12"), ("", "")),
    )  # fmt: skip
    assert field_problems(MXN, fields) == []
    request = build_request(MXN, fields)
    assert request.amount == 123456 and request.currency == "MXN"
    assert request.counterparty.account_number == "012180000000000015"
    assert request.counterparty.holder_id == "BOXW310820HNERXN09"
    assert request.comment == "hola" and request.reference_id == "123"
    assert request.metadata == {"order": "12"}
    chile = build_request(CLP, CL_OK)
    assert chile.counterparty.institution_id == "cl_banco_estado"
    assert chile.counterparty.holder_id == "111111111"
    assert chile.counterparty.account_type == "checking_account"
    assert chile.amount == 1234567


def test_every_problem_at_once_in_reading_order():
    bad = TransferFields(
        account_number="12a", holder_id="12.345.678-4", holder_name="x" * 101,
        institution_id="cl_nope", account_type="current", amount="12,5",
        comment="c" * 41, reference_id="7", metadata=(("k", ""),),
    )  # fmt: skip
    with pytest.raises(DraftError) as caught:
        draft_transfer(CLP, bad)
    assert [p.field for p in caught.value.problems] == [
        "account_number", "holder_id", "holder_name", "institution_id", "account_type",
        "amount", "comment", "reference_id", "metadata",
    ]  # fmt: skip
    messages = {p.field: p.message for p in caught.value.problems}
    assert messages["institution_id"] == "'cl_nope' is not a Chilean institution Fintoc pays to"
    assert messages["amount"] == "CLP has no cents; use . to group thousands, as in 1.234.567"
    assert messages["metadata"] == "Metadata 'k' needs a value"


def test_amount_minor_is_checked_like_text():
    over = TransferFields(**{**CL_OK.__dict__, "amount": "", "amount_minor": 7_000_001})
    [problem] = field_problems(CLP, over)
    assert problem.message == "More than $7.000.000 CLP, the most one transfer can carry"
    exact = TransferFields(**{**CL_OK.__dict__, "amount": "", "amount_minor": 59013})
    assert build_request(CLP, exact).amount == 59013


def test_restatement_is_the_confirm_screens():
    draft = draft_transfer(
        MXN,
        TransferFields(
            account_number="012180000000000015", holder_name="Juan", amount="590.13",
            metadata=(("a", "1"),),
        ),
    )  # fmt: skip
    lines = [(x.label, x.value, x.note) for x in restate(draft, Environment("live", "https://x"))]
    assert lines == [
        ("Environment", "LIVE", "real money will move"),
        ("From", "Cuenta MXN  ·  balance $10,000.00 MXN", ""),
        ("To", "Juan", ""),
        ("Bank", "BBVA MEXICO", ""),  # as Fintoc names it
        ("Account", "012 180 00000000001 5", "(CLABE)"),
        ("Amount", "$590.13 MXN", "amount=59013 (minor units sent)"),
        ("Comment", "—", ""),
        ("Reference", "—", ""),
        ("Metadata", "a=1", ""),
    ]
    assert draft.last_four == "0015"
    chile = build_draft(CLP, build_request(CLP, CL_OK))
    assert chile.destination_holder_id == "11.111.111-1"
    assert chile.destination_account_type == "Checking (cuenta corriente)"
    assert ("RUT", "11.111.111-1", "") in [(x.label, x.value, x.note) for x in restate(chile, None)]


def test_no_textual_below_the_ui():
    import subprocess
    import sys

    code = "import sys, fintoc_tui.transfer.draft, fintoc_tui.transfer.checks as c; c.check_mx_holder_id('X'); print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("param", "code", "field"),
    [
        ("counterparty[holder_id]", None, "holder_id"),
        ("counterparty.account_number", None, "account_number"),
        ("metadata.order", None, "metadata"),
        (None, "insufficient_balance", "amount"),
        (None, "invalid_clabe", "account_number"),
        (None, None, ""),
    ],
)
def test_an_api_error_lands_on_its_field(param, code, field):
    assert field_key(param, code) == field
