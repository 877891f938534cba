"""Builders for the API objects the sandbox stores and serves (fintoc-api.md §3).

One place decides each object's shape, so the seed and the live endpoints can
never drift apart. Values are plain JSON types; money is always `int`. Keys
come in the order Fintoc's real responses have them (recorded test-mode
traffic, fintoc-api-additions.md §1.2), and Chile's fields that Fintoc leaves
null (`reference_id`, `tracking_key`, `receipt_url`) are null here too.
"""

from __future__ import annotations

from typing import Any

from fintoc_tui import banking

MODE = "test"


def entity_object(entity_id: str, holder_name: str, holder_id: str) -> dict[str, Any]:
    return {
        "id": entity_id,
        "mode": MODE,
        "holder_name": holder_name,
        "holder_id": holder_id,
        "is_root": True,
        "object": "entity",
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
        "root_account_number": root_number,
        "is_root": True,
        "root_account_number_id": root_number_id,
        "available_balance": available_balance,
        "currency": currency,
        "entity": {
            "id": entity["id"],
            "holder_name": entity["holder_name"],
            "holder_id": entity["holder_id"],
            "is_root": True,
        },
        "description": description,
        "status": "active",
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
        "account_id": account_id,
        "number": number,
        "created_at": created_at,
        "updated_at": created_at,
        "mode": MODE,
        "description": description,
        "metadata": {},
        "status": "enabled",
        "is_root": is_root,
        "object": "account_number",
    }


def cl_institution_name(institution_id: str) -> str:
    """A Chilean institution's `name` as Fintoc writes it: the words of its id, title-cased.

    The one CL response on record names `cl_banco_de_chile` "Banco De Chile"
    (additions §1.3); the rule is INFERRED from it. The app's own friendly
    names (`banking.CL_INSTITUTIONS`) are for people choosing a bank.
    """
    return institution_id.removeprefix("cl_").replace("_", " ").title()


def institution_for(
    currency: str, account_number: str, institution_id: str | None
) -> dict[str, Any]:
    """The counterparty institution as the API answers it.

    MX: the 5-digit Banxico code and Fintoc's name, from the CLABE's bank
    prefix (any `institution_id` sent is ignored, as Fintoc does for CLABEs).
    CL: the `cl_*` id that was sent.
    """
    if currency == "MXN":
        bank = banking.clabe_bank(account_number)
        if bank is None:
            return {"id": None, "name": None, "country": "mx"}
        return {"id": bank.banxico_code, "name": bank.name, "country": "mx"}
    name = cl_institution_name(institution_id) if institution_id else None
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
    """Chile's `account_type` stays null when none was sent (Fintoc's test mode does so)."""
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
    """A Transfer. No `created_at`: real transfers carry none (additions §1.2)."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("amount must be int minor units")
    if currency == "CLP":  # no SPEI in Chile: these stay null even once succeeded
        reference_id = tracking_key = receipt_url = None
    return {
        "object": "transfer",
        "id": transfer_id,
        "amount": amount,
        "currency": currency,
        "direction": direction,
        "status": status,
        "transaction_date": transaction_date,
        "post_date": post_date,
        "comment": comment,
        "reference_id": reference_id,
        "tracking_key": tracking_key,
        "receipt_url": receipt_url,
        "mode": MODE,
        "counterparty": counterparty,
        "account_number": account_number,
        "metadata": metadata or {},
        "return_reason": return_reason,
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
    return_pair_id: str | None,
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
        "return_pair_id": return_pair_id,
        "transaction_date": transaction_date,
        "type": type,
    }


#: Receipts are not served; the `.invalid` host (RFC 2606) says so plainly, and a
#: fixed origin keeps stored objects independent of the port a server ran on.
#: (Fintoc's are Banxico CEP links; a sandbox one pointing there would lead
#: a person to a real site that has never heard of the transfer.)
RECEIPT_ORIGIN = "https://receipts.sandbox.invalid"


def receipt_url(transfer_id: str) -> str:
    return f"{RECEIPT_ORIGIN}/{transfer_id}.pdf"
