"""CLABE, RUT, institution tables and the MX reference-id rule."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fintoc_tui import banking
from fintoc_tui.banking import (
    CL_ACCOUNT_TYPES,
    CL_INSTITUTIONS,
    MAX_CLP_TRANSFER,
    BankingError,
    MXBank,
    clabe_bank,
    clabe_problem,
    format_clabe,
    format_rut,
    make_clabe,
    make_rut,
    mx_institution,
    normalize_cl_account_type,
    reference_id_problem,
    rut_check_digit,
    rut_problem,
    validate_clabe,
    validate_rut,
)

# Known-good CLABEs: Fintoc's own prefix and a BBVA México one worked out by
# hand with the weights 3,7,1 (fintoc-api.md §4).
FINTOC_CLABE = "738180000000000014"
BBVA_CLABE = "012180015555555550"
# Fintoc's documented "insufficient funds" test counterparty (§9).
FINTOC_MAGIC_CLABE = "012969100000000013"

KNOWN_BANKS = ["002", "012", "014", "021", "036", "044", "072", "127", "137", "646", "738"]

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def digit_string(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


def clabe_parts():
    return st.tuples(st.sampled_from(KNOWN_BANKS), digit_string(3), digit_string(11))


# -- CLABE ---------------------------------------------------------------------


def test_known_clabes_validate():
    assert validate_clabe(FINTOC_CLABE) == FINTOC_CLABE
    assert validate_clabe(BBVA_CLABE) == BBVA_CLABE
    assert validate_clabe(FINTOC_MAGIC_CLABE) == FINTOC_MAGIC_CLABE


def test_check_digit_worked_by_hand():
    # digit × weight (3,7,1 repeating) mod 10, summed; check = (10 - sum % 10) % 10.
    # 738180 00000000001: 1+1+8 + 3+6+0 + 0… + 7 (the final 1 × 7) = 26 → 4.
    assert make_clabe("738", "180", "00000000001") == FINTOC_CLABE
    # 012180 01555555555: 0+7+2 + 3+6+0 + 0+7+5 + 5+5+5 + 5+5+5 + 5+5 = 70 → 0.
    assert make_clabe("012", "180", "01555555555") == BBVA_CLABE
    assert clabe_bank(BBVA_CLABE).name == "BBVA MEXICO"


def test_validate_clabe_strips_spaces_and_hyphens():
    assert validate_clabe(" 738 180 00000000001 4 ") == FINTOC_CLABE
    assert validate_clabe("738-180-00000000001-4") == FINTOC_CLABE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter an 18-digit CLABE"),
        ("73818000000000001x", "a CLABE has only digits, not 'x'"),
        ("73818000000000001", "a CLABE needs 18 digits, has 17"),
        ("7381800000000000140", "a CLABE needs 18 digits, has 19"),
        ("999180000000000014", "bank code 999 is not a known bank"),
        ("738180000000000015", "check digit should be 4, not 5"),
    ],
)
def test_validate_clabe_messages(text, message):
    with pytest.raises(BankingError) as info:
        validate_clabe(text)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


@given(clabe_parts())
def test_make_clabe_always_validates(parts):
    number = make_clabe(*parts)
    assert len(number) == 18
    assert validate_clabe(number) == number
    assert number.startswith("".join(parts))
    assert clabe_problem(number) is None


@given(clabe_parts(), st.integers(min_value=0, max_value=17), st.integers(1, 9))
def test_single_digit_change_is_rejected(parts, position, delta):
    number = make_clabe(*parts)
    changed = str((int(number[position]) + delta) % 10)
    broken = number[:position] + changed + number[position + 1 :]
    with pytest.raises(BankingError):
        validate_clabe(broken)
    assert clabe_problem(broken) is not None


@given(clabe_parts())
def test_every_prefix_of_a_valid_clabe_is_fine_while_typing(parts):
    number = make_clabe(*parts)
    for end in range(len(number) + 1):
        assert clabe_problem(number[:end]) is None
        assert clabe_problem(format_clabe(number[:end])) is None


@pytest.mark.parametrize(
    ("partial", "message"),
    [
        ("73a", "a CLABE has only digits, not 'a'"),
        ("99", None),
        ("999", "bank code 999 is not a known bank"),
        ("9991", "bank code 999 is not a known bank"),
        ("738180000000000015", "check digit should be 4, not 5"),
        ("7381800000000000140", "a CLABE needs 18 digits, has 19"),
    ],
)
def test_clabe_problem_while_typing(partial, message):
    assert clabe_problem(partial) == message


def test_make_clabe_rejects_bad_parts():
    with pytest.raises(BankingError, match="bank code 999 is not a known bank"):
        make_clabe("999", "180", "00000000001")
    with pytest.raises(BankingError, match="city part needs exactly 3 digits"):
        make_clabe("738", "18", "00000000001")
    with pytest.raises(BankingError, match="account part needs exactly 11 digits"):
        make_clabe("738", "180", "0000000000a")


def test_clabe_bank():
    assert clabe_bank(FINTOC_CLABE) == MXBank("90738", "FINTOC", "738")
    assert clabe_bank("012") == MXBank("40012", "BBVA MEXICO", "012")
    assert clabe_bank("738 180") is not None
    assert clabe_bank("73") is None
    assert clabe_bank("999180000000000014") is None
    assert clabe_bank("7a8") is None


def test_mx_institution():
    assert mx_institution("90738") == "FINTOC"
    assert mx_institution("40012") == "BBVA MEXICO"
    assert mx_institution("40002") == "BANAMEX"
    assert mx_institution("99999") is None


# Counterparty CLABEs and the institution Fintoc answered for each, from real
# test-mode responses (fintoc-ruby's recordings, fintoc-api-additions.md §1.1).
RECORDED_INSTITUTIONS = [
    ("735969000000203297", "90735", "FINTOC"),
    ("680969192837645191", "90680", "CRISTOBAL COLON"),
    ("723969738291465733", "90723", "Cuenca"),
    ("110969987654321988", "40110", "JP MORGAN"),
    ("631969456789123456", "90631", "CI BOLSA"),
]


@pytest.mark.parametrize(("clabe", "code", "name"), RECORDED_INSTITUTIONS)
def test_institutions_as_fintoc_answers_them(clabe, code, name):
    assert validate_clabe(clabe) == clabe
    assert clabe_bank(clabe) == MXBank(code, name, clabe[:3])
    assert mx_institution(code) == name


def test_format_clabe_groups_3_3_11_1():
    assert format_clabe(FINTOC_CLABE) == "738 180 00000000001 4"
    assert format_clabe("738 18000") == "738 180 00"
    assert format_clabe("") == ""
    assert format_clabe("7381800000000000") == "738 180 0000000000"


# -- RUT -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "compact", "pretty"),
    [
        ("12.345.678-5", "123456785", "12.345.678-5"),
        ("123456785", "123456785", "12.345.678-5"),
        ("12345678-5", "123456785", "12.345.678-5"),
        ("76.086.428-5", "760864285", "76.086.428-5"),
        ("10.000.013-k", "10000013K", "10.000.013-K"),
        ("10000013K", "10000013K", "10.000.013-K"),
        ("5.126.663-3", "51266633", "5.126.663-3"),
        (" 12.531.909-2 ", "125319092", "12.531.909-2"),
    ],
)
def test_rut_validate_and_format(text, compact, pretty):
    assert validate_rut(text) == compact
    assert format_rut(text) == pretty
    assert rut_problem(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter a RUT, like 12.345.678-5"),
        ("12.345.678-4", "RUT check digit should be 5, not 4"),
        ("10.000.013-0", "RUT check digit should be K, not 0"),
        ("12.3A5.678-5", "a RUT has only digits before the check digit, not 'A'"),
        ("12.345.678-X", "a RUT check digit is 0-9 or K, not 'X'"),
        ("1.234-5", "a RUT has 7 or 8 digits before the check digit, this has 4"),
        ("123.456.789-0", "a RUT has 7 or 8 digits before the check digit, this has 9"),
    ],
)
def test_rut_messages(text, message):
    with pytest.raises(BankingError) as info:
        validate_rut(text)
    assert str(info.value) == message
    with pytest.raises(BankingError):
        format_rut(text)


@given(st.integers(min_value=1_000_000, max_value=99_999_999))
def test_rut_check_digit_round_trip(body):
    # A RUT made with stdnum's check digit validates and formats back the same.
    from stdnum.cl import rut

    compact = f"{body}{rut.calc_check_digit(str(body))}"
    assert validate_rut(compact) == compact
    assert validate_rut(format_rut(compact)) == compact
    assert rut_problem(format_rut(compact)) is None
    wrong = "0123456789K".replace(compact[-1], "")[body % 10]
    assert rut_problem(compact[:-1] + "-" + wrong) is not None


def test_make_rut_and_check_digit():
    assert rut_check_digit("12345678") == "5"
    assert rut_check_digit(10000013) == "K"
    assert make_rut(12345678) == "123456785"
    assert make_rut("10000013") == "10000013K"
    with pytest.raises(BankingError, match="a RUT body is digits only"):
        rut_check_digit("12.345")
    with pytest.raises(BankingError, match="7 or 8 digits"):
        make_rut("123")


@pytest.mark.parametrize(
    ("partial", "message"),
    [
        ("", None),
        ("12", None),
        ("12.345", None),
        ("12.345.678", None),  # could be 1.234.567-8 or the start of 12.345.678-5
        ("12.345.678-", None),
        ("12.345.678-4", "RUT check digit should be 5, not 4"),
        ("123456784", "RUT check digit should be 5, not 4"),
        ("12.3a", "a RUT has only digits and a final K, not 'a'"),
        ("12K3", "K can only be the check digit, at the end"),
        ("1234567890", "a RUT has 7 or 8 digits before the check digit, this has 9"),
        ("12k", "a RUT has 7 or 8 digits before the check digit, this has 2"),
    ],
)
def test_rut_problem_while_typing(partial, message):
    assert rut_problem(partial) == message


# -- Chile: tables -----------------------------------------------------------------

DOCUMENTED_CL_INSTITUTIONS = """
cl_banco_estado, cl_banco_bci, cl_banco_bice, cl_banco_de_chile, cl_banco_falabella,
cl_banco_itau, cl_banco_ripley, cl_banco_santander, cl_banco_consorcio,
cl_banco_scotiabank, cl_mercado_pago, cl_mach, cl_tenpo, cl_banco_security,
cl_tapp_caja_los_andes, cl_banco_internacional, cl_banco_coopeuch, cl_copec_pay,
cl_prepago_los_heroes, cl_banco_bbva, cl_banco_hsbc
"""


def test_cl_institutions_are_exactly_the_documented_ones():
    documented = {name.strip() for name in DOCUMENTED_CL_INSTITUTIONS.split(",")}
    assert len(documented) == 21
    assert set(CL_INSTITUTIONS) == documented
    assert all(name and name.strip() == name for name in CL_INSTITUTIONS.values())
    assert len(set(CL_INSTITUTIONS.values())) == 21


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("checking_account", "checking_account"),
        ("sight_account", "sight_account"),
        ("savings_account", "savings_account"),
        ("checking", "checking_account"),
        ("sight", "sight_account"),
        (" Checking ", "checking_account"),
    ],
)
def test_normalize_cl_account_type(value, expected):
    assert normalize_cl_account_type(value) == expected
    assert expected in CL_ACCOUNT_TYPES


def test_normalize_cl_account_type_rejects_unknown():
    with pytest.raises(BankingError, match="account type 'clabe' is not one of checking_account"):
        normalize_cl_account_type("clabe")


def test_max_clp_transfer():
    assert MAX_CLP_TRANSFER == 7_000_000
    assert isinstance(MAX_CLP_TRANSFER, int)


# -- Mexico: reference id ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", None),
        ("1", None),
        ("1234567", None),
        ("12345678", "reference id has at most 7 digits, has 8"),
        ("0123", "reference id cannot start with 0"),
        ("12a4", "reference id has only digits, not 'a'"),
        ("12 4", "reference id has only digits, not ' '"),
    ],
)
def test_reference_id_problem(text, message):
    assert reference_id_problem(text) == message


# -- Import hygiene ----------------------------------------------------------------


def test_import_is_light():
    """No Textual, and the heavy checksum libraries only load on first use."""
    code = (
        "import sys, fintoc_tui.banking as b;"
        "heavy = [m for m in ('textual', 'clabe', 'stdnum', 'pydantic') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names_exist():
    for name in banking.__all__:
        assert hasattr(banking, name), name


def test_bank_names_need_no_pydantic_and_share_clabes_tables():
    """The accounts table names banks on its first frame, before pydantic is imported."""

    code = """
import json, sys
from fintoc_tui import banking
bank = banking.clabe_bank("738180000000000014")
before = "pydantic" in sys.modules
import clabe
print(json.dumps({
    "bank": bank.name, "mx": banking.mx_institution("40012"), "pydantic_before": before,
    "shared": clabe.BANKS is sys.modules["clabe.banks"].BANKS,
    "valid": banking.validate_clabe("002010077777777771"),
}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == {
        "bank": "FINTOC",
        "mx": "BBVA MEXICO",
        "pydantic_before": False,
        "shared": True,
        "valid": "002010077777777771",
    }
