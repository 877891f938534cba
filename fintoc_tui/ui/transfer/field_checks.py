"""What the transfer form says under a field as it is typed, and where an API error lands.

The checkers are `TransferField(checker=...)` callbacks: `(note, problem)`
for the text so far. `field_key` maps an API error's `param` (or, failing
that, its `code`) to the form field it is about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from fintoc_tui.api.models import COMMENT_MAX_LENGTH
from fintoc_tui.banking import reference_id_problem
from fintoc_tui.money import format_amount

if TYPE_CHECKING:
    from fintoc_tui.api.models import Account

Check = tuple[Content | None, str | None]

_FIELD_OF_CODE = {
    "invalid_clabe": "account_number",
    "invalid_account_number": "account_number",
    "invalid_holder_id": "holder_id",
    "invalid_institution_id": "institution_id",
    "invalid_account_type": "account_type",
    "invalid_amount": "amount",
    "insufficient_balance": "amount",
    "invalid_comment_size": "comment",
    "invalid_reference_id_size": "reference_id",
    "currency_mismatch": "currency",
    "account_not_active": "account_id",
    "forbidden_account": "account_id",
}


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def account_label(account: Account) -> str:
    """One line per source account: description · balance · currency."""
    description = account.description or account.id
    balance = format_amount(account.available_balance, account.currency)
    return f"{description}  ·  {balance}  ·  {account.status}"


def field_key(param: str | None, code: str | None) -> str:
    """The field an API error points at: `counterparty[holder_id]` → `holder_id`."""
    key = (param or "").replace("[", ".").replace("]", "")
    key = key.removeprefix("counterparty.")
    if not key:
        key = _FIELD_OF_CODE.get(code or "", "")
    if key.startswith("metadata"):
        key = "metadata"
    return key


def check_comment(text: str) -> Check:
    count = len(text)
    note = f"{count}/{COMMENT_MAX_LENGTH} characters"
    style = "$text-warning" if count >= COMMENT_MAX_LENGTH - 5 else ""
    return Content.assemble((note, style)), None


def check_reference(text: str) -> Check:
    problem = reference_id_problem(text.strip())
    return None, upper_first(problem) if problem else None


def check_mx_holder_id(text: str) -> Check:
    """RFC or CURP, checked with python-stdnum (optional field)."""
    value = text.strip().upper()
    if not value:
        return None, None
    from stdnum.mx import curp, rfc

    if len(value) == 18:
        if curp.is_valid(value):
            return Content.assemble(("CURP OK", "$text-success")), None
        return None, "Not a valid CURP (18 characters)"
    if len(value) in (12, 13):
        if rfc.is_valid(value):
            return Content.assemble(("RFC OK", "$text-success")), None
        return None, "Not a valid RFC"
    if len(value) > 18:
        return None, "An RFC has 12 or 13 characters, a CURP 18"
    return Content(f"{len(value)} characters; an RFC has 12 or 13, a CURP 18"), None


def check_cl_account_number(text: str) -> Check:
    number = "".join(text.split()).replace("-", "")
    if number and not number.isdigit():
        return None, "An account number has only digits (hyphens are fine)"
    if len(number) > 20:
        return None, "An account number has at most 20 digits"
    return None, None
