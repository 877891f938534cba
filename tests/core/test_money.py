"""Money: formatting in each currency's home style, exact parsing, live preview."""

from __future__ import annotations

import itertools
import subprocess
import sys
from decimal import Decimal

import hypothesis
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
        (1, "MXN", {"signed": True}, "+$0.01 MXN"),
        (1, "CLP", {"signed": True}, "+$1 CLP"),
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


#: Locales whose grouping is the opposite of MXN's home style (1.234,56).
#: `.ci/run` generates them; on a machine without them this test fails
#: rather than quietly checking the C locale, which groups nothing.
SWAPPED_LOCALES = ("de_DE.UTF-8", "es_CL.UTF-8")


@pytest.mark.parametrize("name", SWAPPED_LOCALES)
def test_format_ignores_os_locale(name):
    """The home style holds in a process whose locale groups the other way round."""
    script = (
        "import locale\n"
        "try:\n"
        "    locale.setlocale(locale.LC_ALL, '')  # from LC_ALL, as an app would\n"
        "except locale.Error as error:\n"
        "    raise SystemExit(f'missing locale: {error}')\n"
        "conv = locale.localeconv()\n"
        "print(conv['thousands_sep'], conv['decimal_point'], sep='')\n"
        "print(locale.format_string('%.2f', 1234.56, grouping=True))\n"
        "from fintoc_tui.money import format_amount, parse_amount\n"
        "print(format_amount(123456, 'MXN'), format_amount(1234567, 'CLP'), sep='|')\n"
        "print(parse_amount('1,234.56', 'MXN'), parse_amount('1.234.567', 'CLP'), sep='|')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"LC_ALL": name, "LANG": name, "PATH": ""},
    )
    assert result.returncode == 0, (
        f"{name} is not installed, so this test cannot show that amounts ignore the OS "
        f"locale. Generate it as .ci/run does: localedef -i {name.split('.')[0]} -f UTF-8 "
        f"{name} (Debian package `locales`). {result.stderr.strip()}"
    )
    separators, locale_grouped, ours, parsed = result.stdout.splitlines()
    # The locale really is in force and really groups differently...
    assert separators == ".,"
    assert locale_grouped == "1.234,56"
    # ...and money still reads in each currency's home style.
    assert ours == "$1,234.56 MXN|$1.234.567 CLP"
    assert parsed == "123456|1234567"


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


# The sentences a person reads, whole: a changed word is a changed screen.
TOO_LONG = "That is too long to be an amount"
TYPE_ONE = "Type an amount"
NEGATIVE = "Amounts are positive: the minus sign is not allowed"
ZERO = "The amount must be more than $0.00 MXN"
ZERO_CLP = "The amount must be more than $0 CLP"
LETTERS = "Letters are not allowed in an amount"
EXPONENT = "Write the amount in full (100000, not 1e5): exponents are not allowed"
NOT_MXN = "That is not an amount; type digits, as in 1,234.56"
NOT_CLP = "That is not an amount; type digits, as in 1.234.567"
GROUPS_MXN = "Thousands separators (,) go every three digits, as in 1,234.56"
GROUPS_CLP = "Thousands separators (.) go every three digits, as in 1.234.567"
DECIMALS_MXN = "MXN has at most 2 decimals"
CENTS_CLP = "CLP has no cents; use . to group thousands, as in 1.234.567"
CENTS_CLP_GROUP = "CLP has no cents; . groups thousands, as in 1.234.567"
ONE_POINT = "An amount has only one decimal point (.)"
NOT_CLP_CODE = "This amount is in MXN, not CLP"
ONCE = "Give the currency once, as in 1,234.56 MXN"
FINISH = "Finish the currency code: MXN"
TOO_LARGE_MXN = "That amount is too large (at most $9,999,999,999,999,999.99 MXN)"
TOO_LARGE_CLP = "That amount is too large (at most $999.999.999.999.999.999 CLP)"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("12.345", "MXN", DECIMALS_MXN),
        ("1.234", "MXN", DECIMALS_MXN),
        ("1,5", "CLP", CENTS_CLP),
        ("1.234,00", "CLP", CENTS_CLP),
        ("12.50", "CLP", CENTS_CLP_GROUP),
        ("12.5", "CLP", CENTS_CLP_GROUP),  # one digit after the dot: cents too
        ("12.", "CLP", GROUPS_CLP),  # nothing after the dot: a group not yet typed
        ("1.2345", "CLP", GROUPS_CLP),
        ("0", "MXN", ZERO),
        ("0.00", "MXN", ZERO),
        ("$0", "CLP", ZERO_CLP),
        ("-5", "MXN", NEGATIVE),
        ("-$5.00", "MXN", NEGATIVE),
        ("$-5.00", "MXN", NEGATIVE),
        ("$ -5", "MXN", NEGATIVE),
        ("\u22125", "CLP", NEGATIVE),
        ("abc", "MXN", LETTERS),
        ("12a4", "MXN", LETTERS),
        ("1X2", "MXN", LETTERS),  # a letter inside the digits, never passed to int()
        ("1e5", "MXN", EXPONENT),
        ("1e", "MXN", EXPONENT),
        ("2#", "MXN", NOT_MXN),
        ("٣", "MXN", NOT_MXN),  # non-ASCII digits are refused, not guessed
        ("MXN 5é", "MXN", NOT_MXN),  # a non-ASCII letter is no currency code
        ("x", "CLP", LETTERS),
        ("x#", "CLP", LETTERS),
        ("5/", "CLP", NOT_CLP),
        ("", "MXN", TYPE_ONE),
        ("   ", "MXN", TYPE_ONE),
        ("$", "MXN", TYPE_ONE),
        ("$M", "MXN", TYPE_ONE),
        (".", "MXN", TYPE_ONE),
        ("1,23,4", "MXN", GROUPS_MXN),
        ("1,2", "MXN", GROUPS_MXN),
        ("1,2345", "MXN", GROUPS_MXN),
        (",123", "MXN", GROUPS_MXN),
        ("1234,567", "MXN", GROUPS_MXN),
        ("1,234.5,6", "MXN", GROUPS_MXN),
        ("1.23.4", "CLP", GROUPS_CLP),
        ("1.2.3", "MXN", ONE_POINT),
        ("5 CLP", "MXN", NOT_CLP_CODE),
        ("CLP 5", "MXN", NOT_CLP_CODE),
        ("5 USD", "MXN", LETTERS),
        ("MXN 5 MXN", "MXN", ONCE),
        ("12 MX", "MXN", FINISH),
        ("9" * 17, "MXN", TOO_LARGE_MXN),
        ("9" * 19, "CLP", TOO_LARGE_CLP),
        ("1" + "0" * 16, "MXN", TOO_LARGE_MXN),
        ("1" * (MAX_INPUT_LENGTH + 1), "CLP", TOO_LONG),
    ],
)
def test_parse_rejects_with_reason(text, code, message):
    assert _reason(text, code) == message


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        # Spaces around a separator are slips, not groups.
        ("1 ,234", "MXN", 123400),
        ("1, 234", "MXN", 123400),
        ("1234 .56", "MXN", 123456),
        ("1234. 56", "MXN", 123456),
        ("1 .234", "CLP", 1234),
        ("1. 234", "CLP", 1234),
        # A sign, a symbol and a code, each followed by a space.
        ("+ $5", "MXN", 500),
        ("MXN $1,234.56", "MXN", 123456),
        ("CLP $ 1.234", "CLP", 1234),
        # Leading zeros are not digits of the amount: 21 characters, value 5.
        ("0" * 20 + "5", "MXN", 500),
        ("0" * 30 + "1234", "CLP", 1234),
    ],
)
def test_parse_accepts_slips_and_padding(text, code, expected):
    assert parse_amount(text, code) == expected


def test_input_of_the_longest_allowed_length_is_read():
    text = " " * (MAX_INPUT_LENGTH - 4) + "1234"
    assert len(text) == MAX_INPUT_LENGTH
    assert parse_amount(text, "CLP") == 1234
    assert _reason(text + " ", "CLP") == TOO_LONG


def test_type_errors_name_the_wrong_type():
    with pytest.raises(TypeError, match=r"^money amounts are int minor units, not float$"):
        format_amount(1.5, "MXN")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^money amounts are int minor units, not bool$"):
        minor_to_decimal_str(True, "MXN")
    with pytest.raises(TypeError, match=r"^amount text must be str, not int$"):
        parse_amount(1234, "MXN")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^amount text must be str, not bytes$"):
        preview_amount(b"12", "MXN")  # type: ignore[arg-type]


def test_unknown_currency_reads_as_a_sentence():
    with pytest.raises(UnknownCurrency) as info:
        currency("USD")
    assert str(info.value) == "Unknown currency 'USD': use one of MXN, CLP"
    assert str(UnknownCurrency()) == "Unknown currency"


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


@st.composite
def decimal_texts(draw, code: str) -> tuple[str, int]:
    """Plain decimal text with up to the currency's decimals, and its exact value.

    The value comes from `Decimal` (an independent reading of the same digits):
    `1.5` MXN must be 150, never 105 or 15.
    """
    cur = currency(code)
    whole = draw(st.text(alphabet="0123456789", max_size=12))
    frac = draw(st.text(alphabet="0123456789", max_size=cur.exponent))
    point = draw(st.booleans()) if cur.exponent else False
    text = whole + ("." + frac if point or frac else "")
    digits = (whole + frac).strip("0")
    hypothesis.assume(digits and whole + frac)  # "" and "0.00" are not amounts
    return text, int(Decimal(text).scaleb(cur.exponent))


@given(data=st.data(), code=codes)
def test_parse_of_any_decimal_text_is_its_exact_value(data, code):
    text, expected = data.draw(decimal_texts(code))
    assert parse_amount(text, code) == expected
    # The currency's own decimal mark, a symbol and the code change nothing.
    home = text.replace(".", currency(code).decimal_sep)
    assert parse_amount(f"${home} {code}", code) == expected


@given(
    digits=st.text(alphabet="0123456789", min_size=1, max_size=15).filter(lambda d: d.strip("0")),
    cuts=st.lists(st.integers(min_value=1, max_value=14), max_size=5, unique=True),
    code=codes,
)
def test_grouping_is_accepted_only_in_threes(digits, cuts, code):
    """Any split of the digits with the thousands mark: valid iff groups go by three.

    The first group has one to three digits and every later group exactly three
    (`1,234,567`); `1,23,456` (lakh style), `12,34` or `1234,567` are refused.
    """
    cur = currency(code)
    bounds = [0, *sorted(c for c in cuts if c < len(digits)), len(digits)]
    groups = [digits[a:b] for a, b in itertools.pairwise(bounds)]
    text = cur.thousands_sep.join(groups)
    in_threes = 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    if len(groups) == 1 or in_threes:
        assert parse_amount(text, code) == int(digits) * cur.factor
    else:
        with pytest.raises(AmountError):
            parse_amount(text, code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1,23,456", "MXN"),
        ("12,34,567", "MXN"),
        ("1,2345,678", "MXN"),
        ("1234,567.00", "MXN"),
        ("1,,234", "MXN"),
        ("1,234,", "MXN"),
        ("1,234,56", "MXN"),
        ("1,234.56,7", "MXN"),
        ("1.23.456", "CLP"),
        ("12.34.567", "CLP"),
        ("1..234", "CLP"),
        ("1.234.", "CLP"),
        (".234", "CLP"),
    ],
)
def test_parse_refuses_misplaced_grouping(text, code):
    with pytest.raises(AmountError):
        parse_amount(text, code)


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
        ("0.00", "MXN", "more than $0.00 MXN"),
        ("-", "MXN", "minus sign"),
        ("x", "MXN", "Letters"),
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
