"""The RUT field (Chile): validated as you type, shown formatted as `12.345.678-5`.

The check is the core's (`transfer.checks.check_rut`), the same the CLI runs.
"""

from __future__ import annotations

from fintoc_tui.transfer.checks import Check, check_rut, compact_rut
from fintoc_tui.transfer.input_rules import RUT
from fintoc_tui.ui.transfer.transfer_field import TransferField


class RutInput(TransferField):
    """Holder RUT; sent compact (digits + check digit, no dots or hyphen)."""

    def __init__(self, *, value: str = "", id: str | None = None, classes: str | None = None):
        super().__init__(
            "Holder RUT",
            rule=RUT,
            value=value,
            placeholder="e.g. 12.345.678-5",
            hint="With or without dots and hyphen.",
            required=True,
            id=id,
            classes=classes,
        )

    @property
    def compact(self) -> str | None:
        return compact_rut(self.value)

    def check(self, text: str) -> Check:
        return check_rut(text)
