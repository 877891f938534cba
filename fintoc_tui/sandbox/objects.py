"""Builders for the API objects the sandbox stores and serves (fintoc-api.md §3).

One place decides each object's shape, so the seed and the live endpoints can
never drift apart. Values are plain JSON types; money is always `int`.
"""

from __future__ import annotations

from typing import Any

from fintoc_tui import banking

MODE = "test"


def entity_object(entity_id: str, holder_name: str, holder_id: str) -> dict[str, Any]:
    return {
        "id": entity_id,
        "object": "entity",
        "holder_name": holder_name,
        "holder_id": holder_id,
        "is_root": True,
        "mode": MODE,
    }


def account_object(
    account_id: str,
    *,
    description: str,
    currency: str,
    available_balance: int,
    entity: dict[str, Any],
    root_number: str,
    root_number_id: str,
) -> dict[str, Any]:
    return {
        "id": account_id,
        "object": "account",
        "mode": MODE,
        "description": description,
        "available_balance": available_balance,
        "currency": currency,
        "is_root": True,
        "root_account_number": root_number,
        "root_account_number_id": root_number_id,
        "status": "active",
        "entity": {
            "id": entity["id"],
            "holder_name": entity["holder_name"],
            "holder_id": entity["holder_id"],
            "is_root": True,
        },
    }


def account_number_object(
    number_id: str,
    *,
    account_id: str,
    number: str,
    description: str,
    is_root: bool,
    created_at: str,
) -> dict[str, Any]:
    return {
        "id": number_id,
        "object": "account_number",
        "account_id": account_id,
        "number": number,
        "description": description,
        "metadata": {},
        "mode": MODE,
        "status": "enabled",
        "is_root": is_root,
        "created_at": created_at,
        "updated_at": created_at,
    }


def institution_for(
    currency: str, account_number: str, institution_id: str | None
) -> dict[str, Any]:
    """The counterparty institution as the API answers it (MX: from the CLABE's bank code)."""
    if currency == "MXN":
        bank = banking.clabe_bank(account_number)
        if bank is None:
            return {"id": None, "name": None, "country": "mx"}
        return {"id": bank.banxico_code, "name": bank.name, "country": "mx"}
    name = banking.CL_INSTITUTIONS.get(institution_id or "")
    return {"id": institution_id, "name": name, "country": "cl"}


def counterparty_object(
    currency: str,
    *,
    account_number: str,
    holder_name: str | None,
    holder_id: str | None,
    account_type: str | None,
    institution_id: str | None = None,
) -> dict[str, Any]:
    return {
        "holder_id": holder_id,
        "holder_name": holder_name,
        "account_number": account_number,
        "account_type": account_type or ("clabe" if currency == "MXN" else None),
        "institution": institution_for(currency, account_number, institution_id),
    }


def transfer_object(
    transfer_id: str,
    *,
    amount: int,
    currency: str,
    direction: str,
    status: str,
    transaction_date: str,
    post_date: str | None,
    comment: str | None,
    reference_id: str | None,
    tracking_key: str | None,
    receipt_url: str | None,
    return_reason: str | None,
    counterparty: dict[str, Any],
    account_number: dict[str, Any],
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("amount must be int minor units")
    return {
        "id": transfer_id,
        "object": "transfer",
        "amount": amount,
        "currency": currency,
        "direction": direction,
        "status": status,
        "mode": MODE,
        "transaction_date": transaction_date,
        "post_date": post_date,
        "comment": comment,
        "reference_id": reference_id,
        "tracking_key": tracking_key,
        "receipt_url": receipt_url,
        "return_reason": return_reason,
        "counterparty": counterparty,
        "account_number": account_number,
        "metadata": metadata or {},
    }


def movement_object(
    movement_id: str,
    *,
    account_id: str,
    amount: int,
    balance: int,
    currency: str,
    direction: str,
    resource_id: str | None,
    transaction_date: str,
    type: str,
) -> dict[str, Any]:
    return {
        "id": movement_id,
        "object": "movement",
        "account_id": account_id,
        "amount": amount,
        "balance": balance,
        "currency": currency,
        "direction": direction,
        "mode": MODE,
        "resource_id": resource_id,
        "transaction_date": transaction_date,
        "type": type,
    }


#: Receipts are not served; the `.invalid` host (RFC 2606) says so plainly, and a
#: fixed origin keeps stored objects independent of the port a server ran on.
RECEIPT_ORIGIN = "https://receipts.sandbox.invalid"


def receipt_url(transfer_id: str) -> str:
    return f"{RECEIPT_ORIGIN}/{transfer_id}.pdf"
