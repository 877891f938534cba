"""What a transfer field lets in as it is typed or pasted, and why not, in words.

A field that silently drops a keystroke (`-5` showing `5`) or a paste
(`CLABE: 014 180 65509143829 8` doing nothing) or cuts a long text leaves
the person guessing. Here each field has a rule: `admit` takes the field's
text and one edit (what replaces `text[start:end]`) and says what the text
becomes and, when that is not exactly what was typed, why (`notice`). A
paste with words around the value has the value taken out of it, or is
refused with the reason; a number is never cut to fit (a cut CLABE is
another account), a comment or a name is, and says so.

Pure text work, no Textual: the form shows the notice at the field, and the
words are the same the commands use (the amount's come from `money`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from fintoc_tui.banking import CLABE_LENGTH
from fintoc_tui.money import MAX_INPUT_LENGTH, currency, preview_amount
from fintoc_tui.transfer.checks import (
    CL_ACCOUNT_NUMBER_MAX_DIGITS,
    COMMENT_MAX_LENGTH,
    HOLDER_NAME_MAX_LENGTH,
    REFERENCE_ID_MAX_DIGITS,
)

__all__ = [
    "AMOUNT_PATTERN",
    "CLABE",
    "CL_ACCOUNT_NUMBER",
    "COMMENT",
    "HOLDER_NAME",
    "MX_HOLDER_ID",
    "REFERENCE_ID",
    "RUT",
    "Admission",
    "AmountRule",
    "InputRule",
    "TextRule",
    "ordinal",
]


@dataclass(frozen=True)
class Admission:
    """What one edit makes of a field: its new `text`, the `cursor`, and why, if changed."""

    text: str
    cursor: int
    notice: str | None = None


class InputRule(Protocol):
    """A field's rule for edits as they are typed or pasted."""

    def admit(self, text: str, start: int, end: int, inserted: str) -> Admission: ...


def ordinal(number: int) -> str:
    """`1` → `1st`, `19` → `19th`, `41` → `41st`, `112` → `112th`."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _one_line(text: str) -> str:
    """A pasted text as one line: a value split over lines is still found."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


@dataclass(frozen=True)
class TextRule:
    """A field of characters from a set, up to a limit.

    `allowed` is a regex character class for one character; `counts_digits`
    makes the limit one of digits (a CLABE's 18, with spaces and hyphens
    free); `cut` lets a too-long paste be cut to fit (text, not numbers);
    `value` names what a paste is searched for (`CLABE`), or "" for fields
    whose every character is allowed.
    """

    what: str
    allowed: str
    limit: int
    unit: str
    refused: str
    counts_digits: bool = False
    cut: bool = False
    value: str = ""

    def _count(self, text: str) -> int:
        return sum(ch.isdigit() for ch in text) if self.counts_digits else len(text)

    def _fits(self, text: str) -> bool:
        return re.fullmatch(f"{self.allowed}*", text) is not None

    def admit(self, text: str, start: int, end: int, inserted: str) -> Admission:
        before, after = text[:start], text[end:]
        if not inserted:  # a deletion always goes through
            return Admission(before + after, start)
        inserted = _one_line(inserted)
        pasted = len(inserted) > 1
        notice = None
        if not self._fits(inserted):
            if not pasted:
                return Admission(text, start, self.refused)
            found = self._value_in(inserted)
            if isinstance(found, Refusal):
                return Admission(text, start, found.reason)
            inserted, notice = found, f"Took {found} from the pasted text"
        new = before + inserted + after
        over = self._count(new) - self.limit
        if over > 0:
            if not pasted:
                return Admission(text, start, self._too_long(f"the {ordinal(self.limit + 1)} was"))
            if not self.cut:
                return Admission(
                    text,
                    start,
                    f"Nothing pasted: {self.what[0].lower()}{self.what[1:]} has at most "
                    f"{self.limit} {self.unit}, and that would make {self._count(new)}",
                )
            inserted = inserted[: len(inserted) - over]
            more = "1 more was" if over == 1 else f"{over} more were"
            notice = self._too_long(more)
            new = before + inserted + after
        return Admission(new, len(before) + len(inserted), notice)

    def _too_long(self, which: str) -> str:
        return f"{self.what} has at most {self.limit} {self.unit}: {which} not added"

    def _value_in(self, pasted: str) -> str | Refusal:
        """The one run of allowed characters with a digit in it (`CLABE: 014 180 …` → `014 180 …`)."""
        runs: list[str] = [
            run.strip(" -")
            for run in re.findall(f"{self.allowed}+", pasted)
            if any(ch.isdigit() for ch in run)
        ]
        noun = self.value or "value"
        if not runs:
            return Refusal(f"Nothing pasted: the text has no {noun} in it. {self.refused}")
        if len(runs) > 1:
            return Refusal(
                f"Nothing pasted: the text holds more than one number; copy just the {noun}"
            )
        return runs[0]


@dataclass(frozen=True)
class Refusal:
    """Why a paste was not let in."""

    reason: str


CLABE = TextRule(
    "A CLABE",
    r"[\d\s-]",
    CLABE_LENGTH,
    "digits",
    "A CLABE has only digits (spaces and hyphens are fine)",
    counts_digits=True,
    value="CLABE",
)
REFERENCE_ID = TextRule(
    "A reference id",
    r"\d",
    REFERENCE_ID_MAX_DIGITS,
    "digits",
    "A reference id has only digits",
    value="reference id",
)
MX_HOLDER_ID = TextRule(
    "An RFC or CURP",
    r"[A-Za-z0-9&Ññ]",
    18,
    "characters",
    "An RFC or CURP has only letters, digits and &",
    value="RFC or CURP",
)
RUT = TextRule(
    "A RUT",
    r"[\dkK.\-\s]",
    14,
    "characters",
    "A RUT has digits and a final K, with dots and a hyphen if you like",
    value="RUT",
)
CL_ACCOUNT_NUMBER = TextRule(
    "An account number",
    r"[\d\- ]",
    CL_ACCOUNT_NUMBER_MAX_DIGITS,
    "digits",
    "An account number has only digits (hyphens are fine)",
    counts_digits=True,
    value="account number",
)
COMMENT = TextRule("A comment", r".", COMMENT_MAX_LENGTH, "characters", "", cut=True)
HOLDER_NAME = TextRule("A holder name", r".", HOLDER_NAME_MAX_LENGTH, "characters", "", cut=True)

#: What an amount looks like as it is typed: digits, separators, a `$` and a
#: trailing currency code, so a pasted `$1,234.56 MXN` goes in as it is.
AMOUNT_PATTERN = r"\s*\$?\s*[\d., ]*\s*[MXNCLPmxnclp]{0,3}\s*"
_AMOUNT_IN_TEXT = re.compile(
    r"(?<![\w.,])(?:[-\u2212]\s*)?(?:\$\s*)?\d(?:[\d.,\s]*\d)?(?:\s*(?:MXN|CLP)\b)?", re.I
)


@dataclass(frozen=True)
class AmountRule:
    """The amount field in `code`: what money can read goes in; a refusal says money's reason."""

    code: str

    def admit(self, text: str, start: int, end: int, inserted: str) -> Admission:
        before, after = text[:start], text[end:]
        if not inserted:  # a deletion always goes through
            return Admission(before + after, start)
        inserted = _one_line(inserted)
        new = before + inserted + after
        if self._readable(new):
            return Admission(new, len(before) + len(inserted))
        if len(inserted) <= 1:
            return Admission(text, start, self._why_not(new))
        found = [match.group().strip() for match in _AMOUNT_IN_TEXT.finditer(inserted)]
        if not found:
            return Admission(text, start, "Nothing pasted: the text has no amount in it")
        if len(found) > 1:
            return Admission(
                text,
                start,
                "Nothing pasted: the text holds more than one number; copy just the amount",
            )
        value = found[0]
        new = before + value + after
        if not self._readable(new):
            return Admission(text, start, f"Nothing pasted. {self._why_not(new)}")
        return Admission(new, len(before) + len(value), f"Took {value} from the pasted text")

    def _readable(self, text: str) -> bool:
        """Amount-like characters in place, or text money reads without an error so far."""
        if len(text) > MAX_INPUT_LENGTH:
            return False
        if re.fullmatch(AMOUNT_PATTERN, text):
            return True
        return preview_amount(text, self.code).error is None

    def _why_not(self, text: str) -> str:
        error = preview_amount(text, self.code).error
        example = currency(self.code).example
        return error or f"That is not an amount; type digits, as in {example}"
