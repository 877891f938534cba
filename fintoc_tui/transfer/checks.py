"""One field of a transfer at a time: what to say under it as it is typed.

Each check turns a field's text into a `Check`: a note in styled parts (the
grouped CLABE and its bank, "check digit OK", a character count) and a
problem, if any. The form shows them under the field; the commands and the
batch print the problems. Two modes for the amount: `final=False` is "still
typing" (`1,2` is not finished yet), `final=True` is "this is all there is".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from fintoc_tui.banking import (
    CL_INSTITUTIONS,
    CLABE_LENGTH,
    MAX_CLP_TRANSFER,
    BankingError,
    clabe_bank,
    clabe_problem,
    format_clabe,
    format_rut,
    reference_id_problem,
    rut_problem,
    validate_rut,
)
from fintoc_tui.money import AmountError, format_amount, parse_amount, preview_amount

__all__ = [
    "CL_ACCOUNT_NUMBER_MAX_DIGITS",
    "COMMENT_MAX_LENGTH",
    "HOLDER_NAME_MAX_LENGTH",
    "METADATA_MAX_KEYS",
    "REFERENCE_ID_MAX_DIGITS",
    "AmountCheck",
    "Check",
    "Note",
    "NoteStyle",
    "amount_limit_problem",
    "check_amount",
    "check_cl_account_number",
    "check_clabe",
    "check_comment",
    "check_holder_name",
    "check_metadata",
    "check_mx_holder_id",
    "check_reference",
    "check_rut",
    "cl_institution_id",
    "clabe_digits",
    "compact_rut",
    "currency_switch_notice",
    "prefill_currency_notice",
    "upper_first",
]

# The same limits as `api.models` (kept literal here so the form's checks do
# not import pydantic; a test asserts they agree).
COMMENT_MAX_LENGTH = 40
HOLDER_NAME_MAX_LENGTH = 100
METADATA_MAX_KEYS = 50
REFERENCE_ID_MAX_DIGITS = 7
CL_ACCOUNT_NUMBER_MAX_DIGITS = 20

NoteStyle = Literal["", "strong", "ok", "warning", "error"]
Note = tuple[tuple[str, NoteStyle], ...]


def upper_first(text: str) -> str:
    """`text` with its first letter upper-case (banking's messages start lower-case)."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Check:
    """What one field says about its text: a note (parts with a style) and a problem."""

    note: Note = ()
    problem: str | None = None

    @property
    def note_text(self) -> str:
        return "".join(text for text, _style in self.note)


_NON_DIGIT = re.compile(r"\D")


def clabe_digits(text: str) -> str:
    """The digits of a CLABE as typed or pasted (`012 180-000…` → `012180000…`)."""
    return _NON_DIGIT.sub("", text)


def _to_go(count: int, unit: str) -> str:
    return f"{count} {unit if count == 1 else unit + 's'} to go"


def check_clabe(text: str) -> Check:
    """The CLABE field: grouped digits, the bank, the check digit or how many digits to go."""
    digits = clabe_digits(text)
    if not digits:
        return Check()
    problem = clabe_problem(digits)
    parts: list[tuple[str, NoteStyle]] = [(format_clabe(digits), "strong")]
    bank = clabe_bank(digits)
    if bank is not None:
        parts.append((f"  ·  {bank.name}", ""))
    if problem:
        return Check(tuple(parts), upper_first(problem))
    if len(digits) == CLABE_LENGTH:
        parts.append(("  ·  check digit OK", "ok"))
    else:
        parts.append((f"  ·  {_to_go(CLABE_LENGTH - len(digits), 'digit')}", ""))
    return Check(tuple(parts))


def compact_rut(text: str) -> str | None:
    """The RUT as the API wants it (no dots, no hyphen), or None while it is not valid."""
    try:
        return validate_rut(text)
    except BankingError:
        return None


def check_rut(text: str) -> Check:
    """The RUT field: formatted with its check digit once valid, or what is wrong."""
    if not text.strip():
        return Check()
    problem = rut_problem(text)
    if problem:
        return Check(problem=upper_first(problem))
    if compact_rut(text):
        return Check(((format_rut(text), "strong"), ("  ·  check digit OK", "ok")))
    return Check()


def check_mx_holder_id(text: str) -> Check:
    """RFC or CURP, checked with python-stdnum (optional field)."""
    value = text.strip().upper()
    if not value:
        return Check()
    from stdnum.mx import curp, rfc

    if len(value) == 18:
        if curp.is_valid(value):
            return Check((("CURP OK", "ok"),))
        return Check(problem="Not a valid CURP (18 characters)")
    if len(value) in (12, 13):
        if rfc.is_valid(value):
            return Check((("RFC OK", "ok"),))
        return Check(problem="Not a valid RFC")
    if len(value) > 18:
        return Check(problem="An RFC has 12 or 13 characters, a CURP 18")
    return Check(((f"{len(value)} characters; an RFC has 12 or 13, a CURP 18", ""),))


def check_cl_account_number(text: str) -> Check:
    """A Chilean account number: digits (hyphens and spaces are only for reading)."""
    number = "".join(text.split()).replace("-", "")
    if number and not number.isdigit():
        return Check(problem="An account number has only digits (hyphens are fine)")
    if len(number) > CL_ACCOUNT_NUMBER_MAX_DIGITS:
        return Check(problem=f"An account number has at most {CL_ACCOUNT_NUMBER_MAX_DIGITS} digits")
    return Check()


def check_comment(text: str) -> Check:
    """How many of the comment's characters are used (a warning near the end)."""
    count = len(text.strip())
    note: Note = (
        (
            f"{count}/{COMMENT_MAX_LENGTH} characters",
            "warning" if count >= COMMENT_MAX_LENGTH - 5 else "",
        ),
    )
    if count > COMMENT_MAX_LENGTH:
        return Check(note, f"A comment has at most {COMMENT_MAX_LENGTH} characters, has {count}")
    return Check(note)


def check_reference(text: str) -> Check:
    """The reference id (Mexico): up to seven digits, no leading zero."""
    problem = reference_id_problem(text.strip())
    return Check(problem=upper_first(problem) if problem else None)


def check_holder_name(text: str) -> Check:
    if len(text.strip()) > HOLDER_NAME_MAX_LENGTH:
        return Check(
            problem=f"A holder name has at most {HOLDER_NAME_MAX_LENGTH} characters, "
            f"has {len(text.strip())}"
        )
    return Check()


def check_metadata(pairs: Iterable[tuple[str, str]]) -> str | None:
    """Half-filled and repeated pairs (lengths are the model's to check)."""
    seen: set[str] = set()
    count = 0
    for raw_key, value in pairs:
        key = raw_key.strip()
        if key and not value:
            return f"Metadata {key!r} needs a value"
        if value and not key:
            return "A metadata value needs a key"
        if key in seen:
            return f"Metadata key {key!r} is used twice"
        if key:
            seen.add(key)
            count += 1
    if count > METADATA_MAX_KEYS:
        return f"Metadata has at most {METADATA_MAX_KEYS} pairs, has {count}"
    return None


def cl_institution_id(text: str) -> str:
    """A Chilean institution id from its id or its name (`BancoEstado` → `cl_banco_estado`).

    Returns the text lowered and stripped when it names nothing, so the model
    refuses it with its own message.
    """
    key = text.strip().lower()
    if key in CL_INSTITUTIONS:
        return key
    for institution_id, name in CL_INSTITUTIONS.items():
        if name.lower() == key:
            return institution_id
    return key


@dataclass(frozen=True)
class AmountCheck:
    """What the amount field says: the exact amount, the minor units to send or a problem.

    `hint` is a remark while typing that blocks nothing yet (`0` on its way
    to `0.05` is not wrong, but cannot be sent as it is).
    """

    display: str
    minor: int | None
    problem: str | None
    hint: str | None = None


def amount_limit_problem(minor: int, currency: str, balance: int | None) -> str | None:
    """Why an amount of `minor` cannot leave an account in `currency`, or None.

    The same words whether the amount was typed or given as an int (a flag,
    a repeated transfer): more than zero, the CLP cap, the balance.
    """
    if minor < 1:
        return f"The amount must be more than {format_amount(0, currency)}"
    if currency.upper() == "CLP" and minor > MAX_CLP_TRANSFER:
        return (
            f"More than {format_amount(MAX_CLP_TRANSFER, 'CLP')}, the most one transfer can carry"
        )
    if balance is not None and minor > balance:
        return f"More than the balance ({format_amount(balance, currency)})"
    return None


def check_amount(
    text: str, currency: str, balance: int | None = None, *, final: bool = False
) -> AmountCheck:
    """The amount as typed, in the source account's currency and against its balance.

    `final=False` (typing): an unfinished text (`1,2`) has no amount and no
    problem yet. `final=True`: it is wrong, and `money.parse_amount` says why.
    """
    text = text.strip()
    if not text:
        return AmountCheck("", None, None)
    preview = preview_amount(text, currency)
    if preview.error:
        return AmountCheck(preview.display, None, preview.error)
    minor = preview.minor
    if minor is None:  # not finished yet: no value, or zero so far
        problem = _final_problem(text, currency, final)
        zero = preview.display == format_amount(0, currency)
        hint = amount_limit_problem(0, currency, None) if zero and not problem else None
        return AmountCheck(preview.display, None, problem, hint)
    problem = amount_limit_problem(minor, currency, balance)
    if problem:
        return AmountCheck(preview.display, None, problem)
    return AmountCheck(preview.display, minor, None)


def _final_problem(text: str, currency: str, final: bool) -> str | None:
    """While typing an unfinished amount is no problem yet; as a final value it is."""
    if not final:
        return None
    try:
        parse_amount(text, currency)
    except AmountError as exc:
        return str(exc)
    return None


def currency_switch_notice(display: str, new: str) -> str:
    """Why the amount field was emptied: the source account changed currency.

    An amount typed for one currency is never read again in another
    (`15000` is $15,000.00 MXN but $15.000 CLP); `display` is what it was.
    """
    was = f" (it was {display})" if display else ""
    return (
        f"Amount cleared: the account is in {new.upper()} now{was}. Type it again in {new.upper()}."
    )


def prefill_currency_notice(minor: int, old: str, new: str) -> str:
    """Why a repeated transfer's amount was not put in: it was in another currency."""
    return (
        f"Amount not filled in: the transfer was {format_amount(minor, old)}, and this account "
        f"is in {new.upper()}. Type the amount in {new.upper()}."
    )
