"""JWS on money-moving endpoints (§5) and Idempotency-Key (§6)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from sandbox_helpers import assert_error, mx_body

from fintoc_tui.api.jws import JWSSigner
from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def _post_with_header(sandbox, path, body: bytes, header: str | None, **headers):
    if header is not None:
        headers["Fintoc-JWS-Signature"] = header
    return await sandbox.client.post(path, content=body, headers=headers)


@pytest.fixture
async def mx(sandbox):
    return (await sandbox.accounts())["MXN"]


@pytest.mark.parametrize("path", ["/v2/transfers", "/v2/transfers/return"])
async def test_missing_signature(sandbox, mx, path):
    body = json.dumps(mx_body(mx["id"])).encode()
    response = await _post_with_header(sandbox, path, body, None)
    assert_error(response, 401, "missing_jws_signature_header", type_="authentication_error")


async def test_signature_from_an_unregistered_key(sandbox, mx, other_keypair):
    other = JWSSigner.from_pem(other_keypair[0])
    response = await sandbox.post("/v2/transfers", mx_body(mx["id"]), signer=other)
    assert_error(response, 401, "invalid_jws_signature_header")


async def test_tampered_body(sandbox, mx):
    body = json.dumps(mx_body(mx["id"], 100)).encode()
    header = sandbox.signer.sign(body, sandbox.clock)
    tampered = body.replace(b"100", b"900")
    response = await _post_with_header(sandbox, "/v2/transfers", tampered, header)
    assert_error(response, 401, "invalid_jws_signature_header")
    assert sandbox.store.count("transfers") == 300


async def test_signature_over_reformatted_json_fails(sandbox, mx):
    """The signature covers the exact bytes: the same JSON spaced differently is not it."""
    obj = mx_body(mx["id"])
    header = sandbox.signer.sign(json.dumps(obj, separators=(",", ":")).encode(), sandbox.clock)
    response = await _post_with_header(sandbox, "/v2/transfers", json.dumps(obj).encode(), header)
    assert_error(response, 401, "invalid_jws_signature_header")


@pytest.mark.parametrize(("offset", "ok"), [(-121, False), (-119, True), (29, True), (31, False)])
async def test_timestamp_window(sandbox, mx, offset, ok):
    body = json.dumps(mx_body(mx["id"])).encode()
    header = sandbox.signer.sign(body, sandbox.clock)
    sandbox.clock.advance(-offset)  # the server's now moves; the signature's ts stays
    response = await _post_with_header(sandbox, "/v2/transfers", body, header)
    if ok:
        assert response.status_code == 201, response.text
    else:
        assert_error(response, 401, "invalid_jws_signature_timestamp_value")


async def test_reused_nonce(sandbox, mx):
    body = json.dumps(mx_body(mx["id"])).encode()
    header = sandbox.signer.sign(body, sandbox.clock)
    assert (await _post_with_header(sandbox, "/v2/transfers", body, header)).status_code == 201
    again = await _post_with_header(sandbox, "/v2/transfers", body, header)
    assert_error(again, 401, "jws_nonce_already_used")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("garbage", "invalid_jws_signature_header"),
        ("a.b.c", "invalid_jws_signature_header"),
        (
            b64(b'{"alg":"HS256","nonce":"' + b"a" * 32 + b'","ts":1,"crit":["ts","nonce"]}')
            + ".AA",
            "invalid_jws_signature_algorithm",
        ),
        (
            b64(b'{"alg":"RS256","nonce":"xyz","ts":1,"crit":["ts","nonce"]}') + ".AA",
            "invalid_jws_signature_nonce",
        ),
        (
            b64(b'{"alg":"RS256","nonce":"' + b"a" * 32 + b'","ts":"now","crit":["ts","nonce"]}')
            + ".AA",
            "invalid_jws_signature_timestamp_format",
        ),
    ],
)
async def test_malformed_headers(sandbox, mx, header, code):
    body = json.dumps(mx_body(mx["id"])).encode()
    assert_error(await _post_with_header(sandbox, "/v2/transfers", body, header), 401, code)


async def test_no_key_registered(store, clock, signer):
    app = create_app(store, clock)  # no public keys
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://sandbox.test",
        headers={"Authorization": SANDBOX_SECRET_KEY},
    ) as client:
        mx = next(a for a in (await client.get("/v2/accounts")).json() if a["currency"] == "MXN")
        body = json.dumps(mx_body(mx["id"])).encode()
        response = await client.post(
            "/v2/transfers",
            content=body,
            headers={"Fintoc-JWS-Signature": signer.sign(body, clock)},
        )
        assert_error(response, 401, "missing_active_jws_public_key")
        # Registering one at run time (as uploading it to the dashboard) fixes it.
        app.state.jws.add_public_key(signer.public_pem)
        response = await client.post(
            "/v2/transfers",
            content=body,
            headers={"Fintoc-JWS-Signature": signer.sign(body, clock)},
        )
        assert response.status_code == 201


async def test_a_signature_where_none_is_needed_is_accepted(sandbox, mx):
    response = await sandbox.post(
        "/v2/simulate/receive_transfer",
        {"account_number_id": mx["root_account_number_id"], "amount": 10, "currency": "MXN"},
        sign=True,
    )
    assert response.status_code == 201


async def test_auth_comes_before_jws(sandbox, mx):
    body = json.dumps(mx_body(mx["id"])).encode()
    response = await sandbox.client.post(
        "/v2/transfers", content=body, headers={"Authorization": "sk_test_wrong"}
    )
    assert_error(response, 401, "invalid_api_key")


# -- idempotency ---------------------------------------------------------------------


async def test_same_key_same_body_replays_byte_for_byte_and_creates_once(sandbox, mx):
    body = json.dumps(mx_body(mx["id"])).encode()
    first = await sandbox.post("/v2/transfers", body=body, headers={"Idempotency-Key": "key-1"})
    assert first.status_code == 201
    sandbox.clock.advance(10)  # the transfer settles meanwhile; the replay does not change
    second = await sandbox.post("/v2/transfers", body=body, headers={"Idempotency-Key": "key-1"})
    assert second.status_code == 201
    assert second.content == first.content
    assert second.headers["idempotent-replayed"] == "true"
    assert sandbox.store.count("transfers") == 301
    after = (await sandbox.accounts())["MXN"]["available_balance"]
    assert after == mx["available_balance"] - 12_345  # charged once


async def test_same_key_same_parameters_in_another_key_order_is_the_same_request(sandbox, mx):
    obj = mx_body(mx["id"])
    a = json.dumps(obj).encode()
    b = json.dumps(dict(reversed(list(obj.items())))).encode()
    first = await sandbox.post("/v2/transfers", body=a, headers={"Idempotency-Key": "k"})
    second = await sandbox.post("/v2/transfers", body=b, headers={"Idempotency-Key": "k"})
    assert second.content == first.content


async def test_same_key_different_body_is_409(sandbox, mx):
    headers = {"Idempotency-Key": "key-2"}
    assert (
        await sandbox.post("/v2/transfers", mx_body(mx["id"]), headers=headers)
    ).status_code == 201
    other = await sandbox.post("/v2/transfers", mx_body(mx["id"], 999), headers=headers)
    assert_error(other, 409, "idempotency_key_mismatch", type_="invalid_request_error")
    # Another endpoint with the same key is different parameters too.
    response = await sandbox.post(
        "/v2/simulate/receive_transfer",
        {"account_number_id": mx["root_account_number_id"], "amount": 10, "currency": "MXN"},
        headers=headers,
    )
    assert_error(response, 409, "idempotency_key_mismatch")
    assert sandbox.store.count("transfers") == 301


async def test_errors_are_stored_and_replayed_too(sandbox, mx):
    headers = {"Idempotency-Key": "key-3"}
    too_much = mx_body(mx["id"], mx["available_balance"] + 1)
    first = await sandbox.post("/v2/transfers", too_much, headers=headers)
    assert_error(first, 409, "insufficient_balance")
    # Money arrives, but the key's first answer stands.
    await sandbox.post(
        "/v2/simulate/receive_transfer",
        {"account_number_id": mx["root_account_number_id"], "amount": 10**9, "currency": "MXN"},
    )
    second = await sandbox.post("/v2/transfers", too_much, headers=headers)
    assert second.status_code == 409 and second.content == first.content


async def test_replays_still_need_a_fresh_signature(sandbox, mx):
    body = json.dumps(mx_body(mx["id"])).encode()
    header = sandbox.signer.sign(body, sandbox.clock)
    headers = {"Idempotency-Key": "key-4", "Fintoc-JWS-Signature": header}
    assert (
        await sandbox.client.post("/v2/transfers", content=body, headers=headers)
    ).status_code == 201
    replay = await sandbox.client.post("/v2/transfers", content=body, headers=headers)
    assert_error(replay, 401, "jws_nonce_already_used")


async def test_nothing_is_stored_when_authentication_fails(sandbox, mx):
    body = json.dumps(mx_body(mx["id"])).encode()
    headers = {"Idempotency-Key": "key-5", "Authorization": "sk_test_wrong"}
    rejected = await sandbox.client.post("/v2/transfers", content=body, headers=headers)
    assert rejected.status_code == 401
    unsigned = await sandbox.client.post(
        "/v2/transfers", content=body, headers={"Idempotency-Key": "key-5"}
    )
    assert unsigned.status_code == 401  # JWS failures are not stored either
    ok = await sandbox.post("/v2/transfers", body=body, headers={"Idempotency-Key": "key-5"})
    assert ok.status_code == 201


async def test_key_too_long(sandbox, mx):
    response = await sandbox.post(
        "/v2/transfers", mx_body(mx["id"]), headers={"Idempotency-Key": "k" * 256}
    )
    assert_error(response, 400, "invalid_request", "Idempotency-Key")


async def test_keys_are_forgotten_after_a_day(sandbox, mx):
    headers = {"Idempotency-Key": "key-6"}
    assert (
        await sandbox.post("/v2/transfers", mx_body(mx["id"]), headers=headers)
    ).status_code == 201
    sandbox.clock.advance(24 * 3600 + 1)
    again = await sandbox.post("/v2/transfers", mx_body(mx["id"], 77), headers=headers)
    assert again.status_code == 201
