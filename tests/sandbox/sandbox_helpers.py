"""Request bodies and assertions shared by the sandbox tests."""

from __future__ import annotations


def mx_body(account_id: str, amount: int = 12_345, **extra) -> dict:
    body = {
        "amount": amount,
        "currency": "MXN",
        "account_id": account_id,
        "counterparty": {"account_number": "646180000000000054", "holder_name": "Ana"},
    }
    body.update(extra)
    return body


def cl_body(account_id: str, amount: int = 50_000, **extra) -> dict:
    body = {
        "amount": amount,
        "currency": "CLP",
        "account_id": account_id,
        "counterparty": {
            "account_number": "123456789",
            "holder_id": "12.345.678-5",
            "holder_name": "Camila Rojas",
            "institution_id": "cl_banco_estado",
            "account_type": "checking",
        },
        "comment": "Pago factura",
    }
    body.update(extra)
    return body


def assert_error(response, status, code, param=None, type_=None):
    """A Fintoc-shaped error (fintoc-api.md §8) with this status and code."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"type", "code", "message", "param", "doc_url"}
    assert error["code"] == code
    assert error["message"]
    if param is not None:
        assert error["param"] == param
    if type_ is not None:
        assert error["type"] == type_
    return error
