"""Errors: Fintoc's envelope and codes (fintoc-api.md §5, §8). Nothing here creates anything."""

from __future__ import annotations

import uuid

import pytest

from fintoc_tui.api.errors import ConflictError, NotFoundError

#: Fintoc's JWS error codes (the official SDKs' list); which one a given fault gets is UNKNOWN.
JWS_CODES = {
    "missing_jws_signature_header",
    "invalid_jws_signature_header",
    "invalid_jws_signature_algorithm",
    "invalid_jws_signature_nonce",
    "invalid_jws_signature_timestamp_format",
    "invalid_jws_signature_timestamp_value",
    "jws_nonce_already_used",
    "missing_active_jws_public_key",
}


def envelope(response, status: int) -> dict:
    """The `{"error": {type, code, message, param, doc_url}}` body, checked."""
    assert response.status_code == status, response.text[:300]
    error = response.json()["error"]
    assert {"type", "code", "message"} <= set(error), error
    assert error["type"] in {"api_error", "authentication_error", "invalid_request_error"}
    assert error["message"]
    return error


async def test_a_missing_transfer_is_404_missing_resource(target):
    error = envelope(await target.raw.get("/v2/transfers/tr_doesnotexist0000000000000"), 404)
    assert error["code"] == "missing_resource" and error["type"] == "invalid_request_error"
    with pytest.raises(NotFoundError):
        await target.client.get_transfer("tr_doesnotexist0000000000000")


async def test_a_wrong_key_is_401_invalid_api_key(target):
    response = await target.raw.get(
        "/v2/accounts", headers={"Authorization": "sk_test_0000000000000000000000000000"}
    )
    error = envelope(response, 401)
    assert error["code"] == "invalid_api_key" and error["type"] == "authentication_error"


async def test_a_transfer_without_a_signature_is_refused(target):
    account = await target.account("MXN")
    body = {
        "amount": 100,
        "currency": "MXN",
        "account_id": account["id"],
        "counterparty": {"account_number": account["root_account_number"]},
    }
    error = envelope(await target.post("/v2/transfers", body, sign=False), 401)
    assert error["code"] == "missing_jws_signature_header"


async def test_a_bad_clabe_is_400_naming_the_account_number(target):
    account = await target.account("MXN")
    body = {
        "amount": 100,
        "currency": "MXN",
        "account_id": account["id"],
        "counterparty": {"account_number": "012180000000000016"},  # wrong check digit
    }
    error = envelope(await target.post("/v2/transfers", body), 400)
    assert error["code"] in {"invalid_clabe", "invalid_account_number"}, error
    assert error.get("param") is None or error["param"].endswith("account_number"), error


async def test_more_than_the_balance_is_409_insufficient_balance_and_makes_nothing(target):
    account = await target.account("MXN")
    before = await target.get_json("/v2/transfers", limit=1)
    body = {
        "amount": account["available_balance"] + 1,
        "currency": "MXN",
        "account_id": account["id"],
        "counterparty": {"account_number": account["root_account_number"]},
    }
    error = envelope(await target.post("/v2/transfers", body), 409)
    assert error["code"] == "insufficient_balance"
    assert await target.get_json("/v2/transfers", limit=1) == before
    # The app's client reads it as such.
    from fintoc_tui.api.models import TransferRequest

    request = TransferRequest.model_validate(body)
    with pytest.raises(ConflictError) as caught:
        await target.client.create_transfer(request, idempotency_key=f"contract-{uuid.uuid4()}")
    assert caught.value.is_insufficient_balance


async def test_jws_faults_are_401_with_a_jws_code(target):
    """A stale timestamp and a key Fintoc does not know (a replayed nonce: test_fidelity_money)."""
    from datetime import timedelta

    from fintoc_tui.api.jws import JWSSigner, generate_keypair
    from fintoc_tui.clock import ManualClock

    account = await target.account("MXN")
    body = {
        "amount": 100,
        "currency": "MXN",
        "account_id": account["id"],
        "counterparty": {"account_number": "012180000000000015", "holder_name": "Contrato"},
    }
    stale = ManualClock(target.clock.now() - timedelta(minutes=10))
    stranger = JWSSigner.from_pem(generate_keypair()[0])
    faults = {
        "stale": await target.post("/v2/transfers", body, clock=stale),
        "stranger": await target.post("/v2/transfers", body, signer=stranger),
    }
    for fault, response in faults.items():
        error = envelope(response, 401)
        assert error["code"] in JWS_CODES, (fault, error)
        assert error["type"] == "authentication_error"
