"""Money: formatting in each currency's home style, exact parsing, live preview."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from fintoc_tui.money import (
    CURRENCIES,
    MAX_INPUT_LENGTH,
    AmountError,
    UnknownCurrency,
    currency,
    format_amount,
    minor_to_decimal_str,
    parse_amount,
    preview_amount,
)

codes = st.sampled_from(["MXN", "CLP"])
amounts = st.integers(min_value=1, max_value=10**15)


# --- the table ---------------------------------------------------------------


def test_currency_table():
    assert currency("MXN").exponent == 2
    assert (currency("MXN").thousands_sep, currency("MXN").decimal_sep) == (",", ".")
    assert currency("CLP").exponent == 0
    assert (currency("CLP").thousands_sep, currency("CLP").decimal_sep) == (".", ",")
    assert set(CURRENCIES) == {"MXN", "CLP"}


def test_currency_is_case_insensitive():
    assert currency("mxn") is currency("MXN")
    assert currency("Clp") is currency("CLP")


@pytest.mark.parametrize("code", ["USD", "", "MX", None])
def test_unknown_currency(code):
    with pytest.raises(UnknownCurrency) as info:
        currency(code)
    assert "MXN" in str(info.value)
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)


def test_table_is_read_only():
    with pytest.raises(TypeError):
        CURRENCIES["USD"] = CURRENCIES["MXN"]  # type: ignore[index]


# --- formatting ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("minor", "code", "kwargs", "expected"),
    [
        (59013, "MXN", {}, "$590.13 MXN"),
        (59013, "CLP", {}, "$59.013 CLP"),
        (123456, "MXN", {}, "$1,234.56 MXN"),
        (1234567, "CLP", {}, "$1.234.567 CLP"),
        (5, "MXN", {}, "$0.05 MXN"),
        (0, "MXN", {}, "$0.00 MXN"),
        (0, "CLP", {}, "$0 CLP"),
        (-500, "MXN", {}, "-$5.00 MXN"),
        (-1000, "CLP", {}, "-$1.000 CLP"),
        (500, "MXN", {"signed": True}, "+$5.00 MXN"),
        (-500, "MXN", {"signed": True}, "-$5.00 MXN"),
        (0, "MXN", {"signed": True}, "$0.00 MXN"),
        (123456, "MXN", {"with_code": False}, "$1,234.56"),
        (100000000, "mxn", {}, "$1,000,000.00 MXN"),
    ],
)
def test_format_examples(minor, code, kwargs, expected):
    assert format_amount(minor, code, **kwargs) == expected


@pytest.mark.parametrize("bad", [True, False, 1.5, 100.0, Decimal("1.00"), "100", None])
def test_format_refuses_non_int(bad):
    with pytest.raises(TypeError):
        format_amount(bad, "MXN")
    with pytest.raises(TypeError):
        minor_to_decimal_str(bad, "MXN")


def test_format_ignores_os_locale():
    """The home style must hold even when the process locale groups differently."""
    script = (
        "import locale\n"
        "for name in ('de_DE.UTF-8', 'es_CL.UTF-8', 'C.UTF-8'):\n"
        "    try:\n"
        "        locale.setlocale(locale.LC_ALL, name)\n"
        "        break\n"
        "    except locale.Error:\n"
        "        pass\n"
        "from fintoc_tui.money import format_amount\n"
        "print(format_amount(123456, 'MXN'), format_amount(1234567, 'CLP'), sep='|')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8", "PATH": ""},
    ).stdout.strip()
    assert out == "$1,234.56 MXN|$1.234.567 CLP"


@given(minor=st.integers(min_value=-(10**15), max_value=10**15), code=codes)
def test_format_digits_match_babel(minor, code):
    """Babel (test-only oracle) groups the major-unit Decimal the same way."""
    cur = currency(code)
    babel_locale = {"MXN": "es_MX", "CLP": "es_CL"}[code]
    major = Decimal(minor).scaleb(-cur.exponent)
    pattern = "#,##0" + ("." + "0" * cur.exponent if cur.exponent else "")
    expected = format_decimal(abs(major), format=pattern, locale=babel_locale)
    ours = format_amount(minor, code, with_code=False)
    assert ours == ("-" if minor < 0 else "") + "$" + expected


@pytest.mark.parametrize(
    ("minor", "code", "expected"),
    [
        (123456, "MXN", "1234.56"),
        (5, "MXN", "0.05"),
        (-500, "MXN", "-5.00"),
        (1234567, "CLP", "1234567"),
        (-7, "CLP", "-7"),
        (0, "MXN", "0.00"),
    ],
)
def test_minor_to_decimal_str(minor, code, expected):
    assert minor_to_decimal_str(minor, code) == expected


@given(minor=st.integers(min_value=-(10**15), max_value=10**15), code=codes)
def test_decimal_str_is_exact(minor, code):
    cur = currency(code)
    assert Decimal(minor_to_decimal_str(minor, code)).scaleb(cur.exponent) == minor


# --- parsing -------------------------------------------------------------------


@given(minor=amounts, code=codes)
def test_round_trip_formatted(minor, code):
    assert parse_amount(format_amount(minor, code), code) == minor
    assert parse_amount(format_amount(minor, code, with_code=False), code) == minor


@given(minor=amounts, code=codes)
def test_round_trip_plain(minor, code):
    assert parse_amount(minor_to_decimal_str(minor, code), code) == minor


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("590.13", "MXN", 59013),
        ("1,234.56", "MXN", 123456),
        ("1234", "MXN", 123400),
        ("1234.5", "MXN", 123450),
        ("1234.", "MXN", 123400),
        (".5", "MXN", 50),
        ("$1,234.56", "MXN", 123456),
        ("$ 1,234.56", "MXN", 123456),
        ("  1234.56  ", "MXN", 123456),
        ("1 234.56", "MXN", 123456),
        ("1\u00a0234.56", "MXN", 123456),
        ("1\u202f234\u00a0MXN", "MXN", 123400),
        ("1,234.56 MXN", "MXN", 123456),
        ("1,234.56 mxn", "MXN", 123456),
        ("1,234.56MXN", "MXN", 123456),
        ("MXN 1,234.56", "MXN", 123456),
        ("+5", "MXN", 500),
        ("007", "MXN", 700),
        ("$1.234.567", "CLP", 1234567),
        ("1.234", "CLP", 1234),
        ("1234", "CLP", 1234),
        ("59.013 clp", "CLP", 59013),
        ("1 234 567", "CLP", 1234567),
        ("$59013", "clp", 59013),
    ],
)
def test_parse_accepts(text, code, expected):
    assert parse_amount(text, code) == expected


def _reason(text, code):
    with pytest.raises(AmountError) as info:
        parse_amount(text, code)
    assert isinstance(info.value, ValueError)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("12.345", "MXN", "MXN has at most 2 decimals"),
        ("1.234", "MXN", "MXN has at most 2 decimals"),
        ("1,5", "CLP", "CLP has no cents"),
        ("1.234,00", "CLP", "CLP has no cents"),
        ("12.50", "CLP", "CLP has no cents"),
        ("0", "MXN", "more than zero"),
        ("0.00", "MXN", "more than zero"),
        ("$0", "CLP", "more than zero"),
        ("-5", "MXN", "negative"),
        ("-$5.00", "MXN", "negative"),
        ("$-5.00", "MXN", "negative"),
        ("\u22125", "CLP", "negative"),
        ("abc", "MXN", "not an amount"),
        ("12a4", "MXN", "not an amount"),
        ("1e5", "MXN", "not an amount"),
        ("٣", "MXN", "not an amount"),  # non-ASCII digits are refused, not guessed
        ("", "MXN", "Type an amount"),
        ("   ", "MXN", "Type an amount"),
        ("$", "MXN", "Type an amount"),
        ("1,23,4", "MXN", "every three digits"),
        ("1,2", "MXN", "every three digits"),
        ("1,2345", "MXN", "every three digits"),
        (",123", "MXN", "every three digits"),
        ("1234,567", "MXN", "every three digits"),
        ("1,234.5,6", "MXN", "every three digits"),
        ("1.23.4", "CLP", "every three digits"),
        ("1.2.3", "MXN", "only one decimal point"),
        ("5 CLP", "MXN", "in MXN, not CLP"),
        ("CLP 5", "MXN", "in MXN, not CLP"),
        ("5 USD", "MXN", "not an amount"),
        ("MXN 5 MXN", "MXN", "currency once"),
        ("12 MX", "MXN", "Finish the currency code"),
        ("9" * 17, "MXN", "too large"),
        ("9" * 19, "CLP", "too large"),
        ("1" + "0" * 16, "MXN", "too large"),
        ("1" * (MAX_INPUT_LENGTH + 1), "CLP", "too long"),
    ],
)
def test_parse_rejects_with_reason(text, code, fragment):
    assert fragment in _reason(text, code)


def test_largest_amount_is_accepted():
    assert parse_amount("9" * 16, "MXN") == (10**16 - 1) * 100
    assert parse_amount("9" * 18, "CLP") == 10**18 - 1


@pytest.mark.parametrize("bad", [1234, 12.5, b"12", None])
def test_parse_refuses_non_text(bad):
    with pytest.raises(TypeError):
        parse_amount(bad, "MXN")


def test_parse_unknown_currency():
    with pytest.raises(UnknownCurrency):
        parse_amount("5", "USD")


@given(text=st.text(max_size=40), code=codes)
def test_parse_either_returns_positive_int_or_raises_amount_error(text, code):
    try:
        minor = parse_amount(text, code)
    except AmountError as error:
        assert str(error)
    else:
        assert type(minor) is int and minor >= 1


@given(
    text=st.text(alphabet="0123456789.,$ -MXNCLP\u00a0", max_size=24),
    code=codes,
)
def test_preview_agrees_with_parse(text, code):
    preview = preview_amount(text, code)
    try:
        minor = parse_amount(text, code)
    except AmountError:
        assert not preview.complete and preview.minor is None
    else:
        assert preview.complete and preview.error is None
        assert preview.minor == minor
        assert preview.display == format_amount(minor, code)


# --- preview -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "display", "minor", "complete"),
    [
        ("", "MXN", "", None, False),
        ("$", "MXN", "", None, False),
        ("5", "MXN", "$5.00 MXN", 500, True),
        ("1234.", "MXN", "$1,234.00 MXN", 123400, True),
        ("1234.5", "MXN", "$1,234.50 MXN", 123450, True),
        ("1,2", "MXN", "$1,2… MXN", None, False),
        ("1,", "MXN", "$1,… MXN", None, False),
        ("0", "MXN", "$0.00 MXN", None, False),
        ("0.0", "MXN", "$0.00 MXN", None, False),
        ("12 MX", "MXN", "$12.00 MXN", None, False),
        ("M", "MXN", "", None, False),
        ("1.2", "CLP", "$1.2… CLP", None, False),
        ("1.234", "CLP", "$1.234 CLP", 1234, True),
        ("59013", "CLP", "$59.013 CLP", 59013, True),
    ],
)
def test_preview_cases(text, code, display, minor, complete):
    preview = preview_amount(text, code)
    assert (preview.display, preview.minor, preview.complete, preview.error) == (
        display,
        minor,
        complete,
        None,
    )


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("12.345", "MXN", "at most 2 decimals"),
        ("1,23,4", "MXN", "every three digits"),
        ("1,23.", "MXN", "every three digits"),
        ("1,5", "CLP", "no cents"),
        ("0.00", "MXN", "more than zero"),
        ("-", "MXN", "negative"),
        ("x", "MXN", "not an amount"),
        ("9" * 17, "MXN", "too large"),
    ],
)
def test_preview_errors(text, code, fragment):
    preview = preview_amount(text, code)
    assert preview.error is not None and fragment in preview.error
    assert (preview.display, preview.minor, preview.complete) == ("", None, False)


@given(minor=amounts, code=codes, style=st.sampled_from(["full", "bare", "plain"]))
def test_typing_a_valid_amount_never_shows_an_error_on_the_way(minor, code, style):
    """Each prefix of a valid amount is at worst incomplete, never an error."""
    text = {
        "full": format_amount(minor, code),
        "bare": format_amount(minor, code, with_code=False),
        "plain": minor_to_decimal_str(minor, code),
    }[style]
    for end in range(len(text) + 1):
        preview = preview_amount(text[:end], code)
        assert preview.error is None, (text[:end], preview)
    assert preview_amount(text, code).minor == minor


def test_money_imports_only_stdlib():
    script = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import fintoc_tui.money\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(sorted(new - set(sys.stdlib_module_names) - {'fintoc_tui'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"
