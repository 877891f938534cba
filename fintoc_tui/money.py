"""Money as integer minor units, shown and typed in each currency's home style.

Fintoc sends amounts as ints in the currency's minor unit (MXN centavos, whole
CLP pesos), so the app never holds a float. This module is the one place that
knows what a currency looks like: `$1,234.56 MXN` and `$1.234.567 CLP`, always,
whatever the OS locale says — a Chilean reading a Mexican amount must not see
the separators swapped.

Parsing is hand-written rather than done with Babel: it runs on every keystroke
(Babel is slow to import and per call) and it has to explain *why* a text is not
an amount in words a person understands, and to tell "not finished yet" (`1,2`)
from "wrong" (`12.345`). Digits are converted with `int()` on the digit string,
which is exact; no float and not even a Decimal is needed on the way.

Stdlib only, so the sandbox and the CLI can import it for free.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = [
    "CURRENCIES",
    "MAX_AMOUNT",
    "MAX_DIGITS",
    "MAX_INPUT_LENGTH",
    "AmountError",
    "AmountPreview",
    "Currency",
    "UnknownCurrency",
    "currency",
    "format_amount",
    "minor_to_decimal_str",
    "parse_amount",
    "preview_amount",
]


@dataclass(frozen=True, slots=True)
class Currency:
    """What a currency is: its code, how many minor digits, its home separators."""

    code: str
    exponent: int
    thousands_sep: str
    decimal_sep: str
    symbol: str = "$"
    name: str = ""

    @property
    def factor(self) -> int:
        """Minor units in one major unit (100 for MXN, 1 for CLP)."""
        return int(10**self.exponent)

    @property
    def example(self) -> str:
        """A typed example in this currency's style, for hints and error messages."""
        return "1,234.56" if self.exponent else "1.234.567"


CURRENCIES: Final = MappingProxyType(
    {
        "MXN": Currency("MXN", 2, ",", ".", "$", "Mexican peso"),
        "CLP": Currency("CLP", 0, ".", ",", "$", "Chilean peso"),
    }
)

#: The most digits an amount may have, counted in minor units.
MAX_DIGITS: Final = 18
#: The one bound on money in minor units, for every amount (typed, sent to
#: Fintoc, simulated) and every sandbox balance: 999,999,999,999,999,999.
#: Far beyond any real transfer (Fintoc sets no MXN maximum; CLP stays at
#: banking.MAX_CLP_TRANSFER per transfer), and small enough that a balance
#: plus an amount, both at most this, still fits a signed 64-bit integer
#: (9,223,372,036,854,775,807): SQLite never turns such a sum into a REAL.
MAX_AMOUNT: Final = 10**MAX_DIGITS - 1
#: Longer input is refused before it is looked at (a pasted paragraph, say).
MAX_INPUT_LENGTH: Final = 64


class UnknownCurrency(KeyError, ValueError):
    """A currency code this app does not know.

    Also a ValueError, so pydantic validators that call `currency()` turn it
    into a validation error instead of crashing.
    """

    def __str__(self) -> str:  # KeyError would quote its argument
        return str(self.args[0]) if self.args else "Unknown currency"


class AmountError(ValueError):
    """Text that is not an amount; `str()` is a sentence to show the person."""


@dataclass(frozen=True, slots=True)
class AmountPreview:
    """What an amount field shows while the person types.

    `display` is the exact amount that would be sent (formatted from `minor`)
    whenever one is known; `complete` says whether `parse_amount` would accept
    the text as it stands; `error` is set only when no further typing at the end
    can make the text valid.
    """

    display: str
    minor: int | None
    complete: bool
    error: str | None


def currency(code: str) -> Currency:
    """The `Currency` for a code, case-insensitive (`mxn` works: the SDKs send it)."""
    try:
        return CURRENCIES[code.upper()]
    except (KeyError, AttributeError):
        raise UnknownCurrency(f"Unknown currency {code!r}: use one of MXN, CLP") from None


def _check_int(minor: object) -> int:
    # bool is an int subclass; True must not become $0.01.
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"money amounts are int minor units, not {type(minor).__name__}")
    return minor


def _digits(magnitude: int, cur: Currency) -> str:
    major, frac = divmod(magnitude, cur.factor)
    # f"{:,}" groups in threes with ',' regardless of locale; swap in the home separator.
    grouped = f"{major:,}"
    if cur.thousands_sep != ",":
        grouped = grouped.replace(",", cur.thousands_sep)
    if cur.exponent:
        return f"{grouped}{cur.decimal_sep}{frac:0{cur.exponent}d}"
    return grouped


def format_amount(minor: int, code: str, *, with_code: bool = True, signed: bool = False) -> str:
    """`59013, "MXN"` → `$590.13 MXN`; `59013, "CLP"` → `$59.013 CLP`.

    Negative amounts read `-$5.00 MXN`; `signed=True` also puts `+` on positive
    ones (movements lists); zero never gets a sign.
    """
    minor = _check_int(minor)
    cur = currency(code)
    sign = "-" if minor < 0 else ("+" if signed and minor > 0 else "")
    text = f"{sign}{cur.symbol}{_digits(abs(minor), cur)}"
    return f"{text} {cur.code}" if with_code else text


def minor_to_decimal_str(minor: int, code: str) -> str:
    """Plain machine form for CSV and logs: `123456, "MXN"` → `1234.56`, CLP → `1234`."""
    minor = _check_int(minor)
    cur = currency(code)
    major, frac = divmod(abs(minor), cur.factor)
    sign = "-" if minor < 0 else ""
    if cur.exponent:
        return f"{sign}{major}.{frac:0{cur.exponent}d}"
    return f"{sign}{major}"


# --- parsing ---------------------------------------------------------------

_ASCII_DIGITS: Final = frozenset("0123456789")
# Spaces people paste from spreadsheets and bank sites: NBSP, narrow NBSP,
# figure space, thin space, tab.
_SPACE_TABLE: Final = str.maketrans(
    {"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\t": " "}
)
_MINUS_SIGNS: Final = ("-", "\u2212", "\u2013")  # hyphen, minus sign, en dash

# Statuses of _scan.
_EMPTY, _INCOMPLETE, _OK, _ERROR = 0, 1, 2, 3


def _negative_message() -> str:
    return "Amounts are positive: the minus sign is not allowed"


def _scan(text: str, cur: Currency) -> tuple[int, int | None, str | None, str]:
    """Read typed text as far as it goes.

    Returns (status, minor, message, partial_display). `minor` is set whenever
    the digits so far define a value (even when not yet acceptable), `message`
    explains why the text is not (yet) an amount, `partial_display` is the
    normalised text for an unfinished amount whose value is not yet defined.
    """
    if not isinstance(text, str):
        raise TypeError(f"amount text must be str, not {type(text).__name__}")
    if len(text) > MAX_INPUT_LENGTH:
        return _ERROR, None, "That is too long to be an amount", ""
    s = text.translate(_SPACE_TABLE).strip()
    if not s:
        return _EMPTY, None, "Type an amount", ""

    # A sign, a '$' and a currency code may come in any sensible order around
    # the number: "-$5", "$ -5", "MXN 1,234.56", "$1,234.56 mxn".
    code_incomplete = False
    if s.startswith(_MINUS_SIGNS):
        return _ERROR, None, _negative_message(), ""
    if s[0] == "+":
        s = s[1:].lstrip()
    i = 0
    while i < len(s) and s[i].isascii() and s[i].isalpha():
        i += 1
    if i:
        word = s[:i].upper()
        if word != cur.code:
            if i == len(s) and cur.code.startswith(word):
                return _INCOMPLETE, None, f"Finish the currency code: {cur.code}", ""
            return _ERROR, None, _word_message(word, cur), ""
        s = s[i:].lstrip()
    if s.startswith(cur.symbol):
        s = s[len(cur.symbol) :].lstrip()
    if s.startswith(_MINUS_SIGNS):
        return _ERROR, None, _negative_message(), ""
    j = len(s)
    while j > 0 and s[j - 1].isascii() and s[j - 1].isalpha():
        j -= 1
    if j < len(s):
        word = s[j:].upper()
        if i:
            return _ERROR, None, f"Give the currency once, as in {cur.example} {cur.code}", ""
        if word != cur.code:
            if cur.code.startswith(word):
                code_incomplete = True  # "12 MX" on the way to "12 MXN"
            elif word == "E" and j and s[j - 1].isdigit():
                return _ERROR, None, _exponent_message(), ""  # "1e" on the way to "1e5"
            else:
                return _ERROR, None, _word_message(word, cur), ""
        s = s[:j].rstrip()
    if not s:
        return _INCOMPLETE, None, "Type an amount", ""

    for ch in s:
        if ch not in _ASCII_DIGITS and ch not in ".," and ch != " ":
            return _ERROR, None, _character_message(ch, cur), ""

    # Spaces next to a separator are slips ("1, 234"); spaces between digits
    # group thousands ("1 234 567"), as many people type them.
    body = s.replace(" ,", ",").replace(", ", ",").replace(" .", ".").replace(". ", ".")
    body = " ".join(body.split())  # collapse runs of spaces
    body = body.replace(" ", cur.thousands_sep)

    group, dec = cur.thousands_sep, cur.decimal_sep
    if dec in body:
        if cur.exponent == 0:
            return (
                _ERROR,
                None,
                f"{cur.code} has no cents; use {group} to group thousands, as in {cur.example}",
                "",
            )
        if body.count(dec) > 1:
            return _ERROR, None, f"An amount has only one decimal point ({dec})", ""
        int_part, frac = body.split(dec)
        if group in frac:
            return _ERROR, None, _misplaced(cur), ""
        if len(frac) > cur.exponent:
            plural = "decimal" if cur.exponent == 1 else "decimals"
            return _ERROR, None, f"{cur.code} has at most {cur.exponent} {plural}", ""
        has_dec = True
    else:
        int_part, frac, has_dec = body, "", False

    at_end = not has_dec and not code_incomplete
    if group in int_part:
        groups = int_part.split(group)
        first, *middle, last = groups
        if not first or len(first) > 3 or any(len(g) != 3 for g in middle):
            return _ERROR, None, _misplaced(cur), ""
        if len(last) != 3:
            message = _misplaced(cur)
            if cur.exponent == 0 and len(groups) == 2 and 0 < len(last) < 3:
                # "12.50" in CLP: probably meant as cents.
                message = f"{cur.code} has no cents; {group} groups thousands, as in {cur.example}"
            if len(last) < 3 and at_end:
                # "1,2": more digits may follow; the value is not defined yet.
                return _INCOMPLETE, None, message, f"{cur.symbol}{body}… {cur.code}"
            return _ERROR, None, message, ""
        int_digits = "".join(groups)
    else:
        int_digits = int_part

    int_digits = int_digits.lstrip("0")
    if len(int_digits) + cur.exponent > MAX_DIGITS:
        return _ERROR, None, _too_large(cur), ""
    if not int_part and not frac:  # "." so far
        return _INCOMPLETE, None, "Type an amount", f"{cur.symbol}{body}… {cur.code}"
    minor = int(int_digits or "0") * cur.factor + int(frac.ljust(cur.exponent, "0") or "0")

    if minor == 0:
        # "0", "0." and "0.0" are on their way to "0.05"; "0.00" can go nowhere.
        can_grow = not code_incomplete and (not has_dec or len(frac) < cur.exponent)
        status = _INCOMPLETE if can_grow else _ERROR
        return status, 0, f"The amount must be more than {format_amount(0, cur.code)}", ""
    if minor > MAX_AMOUNT:
        return _ERROR, None, _too_large(cur), ""
    if code_incomplete:
        return _INCOMPLETE, minor, f"Finish the currency code: {cur.code}", ""
    return _OK, minor, None, ""


def _word_message(word: str, cur: Currency) -> str:
    if word in CURRENCIES:
        return f"This amount is in {cur.code}, not {word}"
    return _LETTERS


_LETTERS: Final = "Letters are not allowed in an amount"


def _exponent_message() -> str:
    return "Write the amount in full (100000, not 1e5): exponents are not allowed"


def _character_message(ch: str, cur: Currency) -> str:
    """Why `ch`, inside the number, is not part of an amount."""
    if ch in "eE":
        return _exponent_message()
    if ch.isascii() and ch.isalpha():
        return _LETTERS
    return _not_a_number(cur)


def _not_a_number(cur: Currency) -> str:
    return f"That is not an amount; type digits, as in {cur.example}"


def _misplaced(cur: Currency) -> str:
    return f"Thousands separators ({cur.thousands_sep}) go every three digits, as in {cur.example}"


def _too_large(cur: Currency) -> str:
    return f"That amount is too large (at most {format_amount(MAX_AMOUNT, cur.code)})"


def parse_amount(text: str, code: str) -> int:
    """Exact minor units from what a person typed: `"590.13", "MXN"` → `59013`.

    Accepts `1,234.56`, `$1.234.567`, `1234`, spaces and non-breaking spaces, a
    leading `$` and the currency code before or after. Raises `AmountError`
    with a readable reason otherwise (too many decimals, cents in CLP, zero,
    negative, misplaced separators, too large, not a number).
    """
    cur = currency(code)
    status, minor, message, _ = _scan(text, cur)
    if status != _OK or minor is None:
        raise AmountError(message or "That is not an amount")
    return minor


def preview_amount(partial: str, code: str) -> AmountPreview:
    """What to show while typing; cheap enough to call on every keystroke.

    - `''` → nothing to show, not complete, no error.
    - A text that parses → the formatted amount, `complete=True`. A trailing
      decimal point counts: `1234.` previews `$1,234.00 MXN`, which is exactly
      what would be sent.
    - Unfinished but valid so far (`1,2`, `0.0`, `12 MX`) → `complete=False`,
      no error; `display` is the formatted value if the digits already define
      one (`$0.00 MXN`, `$12.00 MXN`), otherwise the text so far marked with
      `…` (`$1,2… MXN`).
    - Wrong whatever comes next (`12.345`, `-5`, `1,5` in CLP) → `error` set,
      `display` empty.
    """
    cur = currency(code)
    status, minor, message, partial_display = _scan(partial, cur)
    if status == _OK:
        assert minor is not None
        return AmountPreview(format_amount(minor, cur.code), minor, True, None)
    if status == _ERROR:
        return AmountPreview("", None, False, message)
    if status == _EMPTY:
        return AmountPreview("", None, False, None)
    display = format_amount(minor, cur.code) if minor is not None else partial_display
    return AmountPreview(display, None, False, None)
