"""The CLABE field: checked as you type, the bank named from the first three digits.

The text stays as typed (so the cursor never jumps); the grouped form
`738 180 00000000001 4`, the bank and any problem show on the note line
(`transfer.checks.check_clabe`, the same words the CLI prints). A 19th
digit or a pasted sentence around a CLABE is said at the field
(`transfer.input_rules.CLABE`).
"""

from __future__ import annotations

from fintoc_tui.banking import CLABE_LENGTH, clabe_bank, clabe_problem
from fintoc_tui.transfer.checks import Check, check_clabe, clabe_digits
from fintoc_tui.transfer.input_rules import CLABE
from fintoc_tui.ui.transfer.transfer_field import TransferField


class ClabeInput(TransferField):
    """18-digit CLABE with live check digit, bank name and grouping."""

    def __init__(self, *, value: str = "", id: str | None = None, classes: str | None = None):
        super().__init__(
            "CLABE (18 digits)",
            rule=CLABE,
            value=value,
            placeholder="e.g. 012 180 00000000001 5",
            hint="The bank shows as soon as the first three digits are in.",
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

    def check(self, text: str) -> Check:
        return check_clabe(text)
