"""The fields of a transfer by name: their order, their review phrase, an API error's field.

`FieldProblem.field`, the form's widgets and Fintoc's error `param` all
name a field the same way (`account_number`, `holder_id`, `amount`, …);
this is where those names are turned into each other.
"""

from __future__ import annotations

__all__ = ["FIELD_ORDER", "field_key", "fix_reason"]

#: The fields in the form's reading order (`FieldProblem.field` names).
FIELD_ORDER = (
    "account_id",
    "account_number",
    "holder_id",
    "holder_name",
    "institution_id",
    "account_type",
    "amount",
    "comment",
    "reference_id",
    "metadata",
)

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


_FIX = {
    "account_id": "choose the source account",
    "holder_name": "fix the holder name",
    "institution_id": "choose the institution",
    "account_type": "choose the account type",
    "amount": "fix the amount",
    "comment": "fix the comment",
    "reference_id": "fix the reference id",
    "metadata": "fix the metadata",
}
_FIX_MX = {"account_number": "fix the CLABE", "holder_id": "fix the holder RFC/CURP"}
_FIX_CL = {"account_number": "fix the account number", "holder_id": "fix the RUT"}


def fix_reason(field: str, currency: str) -> str:
    """The "To review" phrase for a field that is wrong (`fix the CLABE`, `fix the RUT`)."""
    local = _FIX_MX if currency.upper() == "MXN" else _FIX_CL
    return local.get(field) or _FIX.get(field) or f"fix the {field.replace('_', ' ')}"


def field_key(param: str | None, code: str | None) -> str:
    """The field an API error (or a model error) is about: `counterparty[holder_id]` → `holder_id`.

    Fintoc names the field in `param`; failing that, its `code` says which.
    """
    key = (param or "").replace("[", ".").replace("]", "")
    key = key.removeprefix("counterparty.")
    if not key:
        key = _FIELD_OF_CODE.get(code or "", "")
    if key.startswith("metadata"):
        key = "metadata"
    return key
