"""The CLABE field: checked as you type, the bank named from the first three digits.

The text stays as typed (so the cursor never jumps); the grouped form
`738 180 00000000001 4`, the bank and any problem show on the note line.
"""

from __future__ import annotations

import re

from textual.content import Content

from fintoc_tui.banking import CLABE_LENGTH, clabe_bank, clabe_problem, format_clabe
from fintoc_tui.ui.transfer.transfer_field import TransferField

# At most 18 digits; spaces and hyphens allowed so a grouped CLABE can be pasted.
CLABE_RESTRICT = r"(?:[\s-]*\d){0,18}[\s-]*"
_NON_DIGIT = re.compile(r"\D")


def clabe_digits(text: str) -> str:
    return _NON_DIGIT.sub("", text)


class ClabeInput(TransferField):
    """18-digit CLABE with live check digit, bank name and grouping."""

    def __init__(self, *, value: str = "", id: str | None = None, classes: str | None = None):
        super().__init__(
            "CLABE (18 digits)",
            value=value,
            placeholder="e.g. 012 180 00000000001 5",
            hint="The bank shows as soon as the first three digits are in.",
            restrict=CLABE_RESTRICT,
            required=True,
            id=id,
            classes=classes,
        )

    @property
    def clabe(self) -> str | None:
        """The 18 digits when they form a valid CLABE, else None."""
        digits = clabe_digits(self.value)
        if len(digits) == CLABE_LENGTH and clabe_problem(digits) is None:
            return digits
        return None

    @property
    def bank_name(self) -> str | None:
        bank = clabe_bank(clabe_digits(self.value))
        return bank.name if bank else None

    @property
    def incomplete(self) -> bool:
        return 0 < len(clabe_digits(self.value)) < CLABE_LENGTH

    def check(self, text: str) -> tuple[Content | None, str | None]:
        digits = clabe_digits(text)
        if not digits:
            return None, None
        problem = clabe_problem(digits)
        parts: list[str | tuple[str, str]] = [(format_clabe(digits), "bold")]
        bank = clabe_bank(digits)
        if bank is not None:
            parts.append(f"  ·  {bank.name}")
        if problem:
            return Content.assemble(*parts), problem[0].upper() + problem[1:]
        if len(digits) == CLABE_LENGTH:
            parts.append(("  ·  check digit OK", "$text-success"))
        else:
            parts.append(f"  ·  {CLABE_LENGTH - len(digits)} digits to go")
        return Content.assemble(*parts), None
