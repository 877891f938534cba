"""The RUT field (Chile): validated as you type, shown formatted as `12.345.678-5`."""

from __future__ import annotations

from textual.content import Content

from fintoc_tui.banking import BankingError, format_rut, rut_problem, validate_rut
from fintoc_tui.ui.transfer.transfer_field import TransferField

RUT_RESTRICT = r"[\dkK.\-\s]*"


def compact_rut(text: str) -> str | None:
    """The RUT as the API wants it (no dots, no hyphen), or None while it is not valid."""
    try:
        return validate_rut(text)
    except BankingError:
        return None


class RutInput(TransferField):
    """Holder RUT; sent compact (digits + check digit, no dots or hyphen)."""

    def __init__(self, *, value: str = "", id: str | None = None, classes: str | None = None):
        super().__init__(
            "Holder RUT",
            value=value,
            placeholder="e.g. 12.345.678-5",
            hint="With or without dots and hyphen.",
            restrict=RUT_RESTRICT,
            max_length=14,
            required=True,
            id=id,
            classes=classes,
        )

    @property
    def compact(self) -> str | None:
        return compact_rut(self.value)

    def check(self, text: str) -> tuple[Content | None, str | None]:
        if not text.strip():
            return None, None
        problem = rut_problem(text)
        if problem:
            return None, problem[0].upper() + problem[1:]
        if compact_rut(text):
            return Content.assemble(
                (format_rut(text), "bold"), ("  ·  check digit OK", "$text-success")
            ), None
        return None, None
