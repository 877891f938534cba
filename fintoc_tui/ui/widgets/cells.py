"""Table cells that several features show: amounts, statuses, account numbers, banks.

One home, so the accounts table, an account's detail, the history and a
transfer's detail write the same thing the same way; the screens borrow
from here, never from each other. Standard library, Rich and the core only:
importing it costs the accounts screen nothing on the way to the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from fintoc_tui.api.models import Counterparty, Transfer

ACCOUNT_STATUS_STYLES = {
    "active": "green",
    "pending": "yellow",
    "blocked": "red",
    "closed": "red dim",
}
"""Account and account-number statuses (the API's words) to their colours."""


def amount_text(minor: int, currency: str, *, with_code: bool = True, signed: bool = False) -> str:
    """`money.format_amount`, imported on first use (the module loads before any money shows)."""
    from fintoc_tui.money import format_amount

    return format_amount(minor, currency, with_code=with_code, signed=signed)


def right_aligned(column: list[str], header: str = "") -> tuple[list[Text], Text]:
    """Pad a column of amounts to one width (DataTable cells do not right-justify)."""
    width = max([len(header), *(len(cell) for cell in column)])
    return [Text(cell.rjust(width)) for cell in column], Text(header.rjust(width))


def status_text(status: str) -> Text:
    """An account's (or account number's) status in its colour."""
    return Text(status, style=ACCOUNT_STATUS_STYLES.get(status, ""))


def account_number_text(number: str | None, currency: str) -> tuple[str, str]:
    """(grouped number, bank) for the table; CLABEs grouped 3-3-11-1, bank from the prefix."""
    if not number:
        return "—", "—"
    from fintoc_tui import banking

    if currency.upper() == "MXN" and len(number) == 18 and number.isdigit():
        bank = banking.clabe_bank(number)
        return banking.format_clabe(number), bank.name if bank else "unknown bank"
    # Our own Chilean account number's bank: Fintoc, spelt as Fintoc names itself in Mexico.
    return number, "FINTOC" if currency.upper() == "CLP" else "—"


def signed_minor(transfer: Transfer) -> int:
    """The transfer's amount as our balance saw it: outbound negative."""
    amount = int(transfer.amount)
    return -amount if str(transfer.direction) == "outbound" else amount


def institution_name(counterparty: Counterparty) -> str:
    """The counterparty's bank, from the transfer or our own tables."""
    institution = counterparty.institution
    name = institution.name if institution is not None else None
    if name:
        return str(name)
    code = str(institution.id or "") if institution is not None else ""
    if code.startswith("cl_"):
        from fintoc_tui.banking import CL_INSTITUTIONS

        return CL_INSTITUTIONS.get(code, code)
    if code:
        from fintoc_tui.banking import mx_institution

        return mx_institution(code) or code
    number = str(counterparty.account_number or "")
    if len(number) == 18 and number.isdigit():
        from fintoc_tui.banking import clabe_bank

        bank = clabe_bank(number)
        if bank is not None:
            return str(bank.name)
    return ""
