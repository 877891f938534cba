"""Event names for every transition the sandbox makes, the envelope and `Fintoc-Signature` (§9)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re

import pytest
from sandbox_helpers import mx_body

from fintoc_tui.sandbox.events import (
    OUTBOUND_RETURNED_ALIASES,
    TRANSFER_EVENT_TYPES,
    SignatureError,
    event_body,
    event_object,
    signature_header,
    transfer_event_type,
    verify_signature,
)
from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES
from fintoc_tui.sandbox.returns import RETURN_FAILS_AMOUNTS

SECRET = "whsec_test_sandbox"
NAME_RE = re.compile(r"^transfer\.(inbound|outbound)\.[a-z_]+$")


async def test_every_transition_the_sandbox_makes_has_its_event_and_no_name_is_unused(sandbox):
    """Drive each outcome through the lifecycle and name what each step did."""
    accounts = await sandbox.accounts()
    watched: list[str] = []
    for magic in MAGIC_COUNTERPARTIES:
        if magic.currency != "MXN":
            continue
        body = mx_body(accounts["MXN"]["id"], 1_000)
        body["counterparty"] = magic.counterparty()
        watched.append((await sandbox.post("/v2/transfers", body)).json()["id"])
    number = accounts["MXN"]["root_account_number_id"]
    inbound = []
    for amount in (2_000, *RETURN_FAILS_AMOUNTS["MXN"]):
        response = await sandbox.post(
            "/v2/simulate/receive_transfer",
            {"account_number_id": number, "amount": amount, "currency": "MXN"},
            sign=False,
        )
        inbound.append(response.json()["id"])
    watched += inbound

    last = {t: (await sandbox.transfer(t)) for t in watched}
    named: list[str | None] = []

    async def step() -> None:
        sandbox.clock.advance(4)
        for transfer_id in watched:
            now = await sandbox.transfer(transfer_id)
            before = last[transfer_id]
            if now["status"] != before["status"]:
                named.append(transfer_event_type(now["direction"], before["status"], now["status"]))
            last[transfer_id] = now

    await step()  # outbound outcomes, inbound arrivals
    await step()  # the `returned` magic transfer is returned
    for transfer_id in inbound:  # ask for both returns (one will fail)
        response = await sandbox.post("/v2/transfers/return", {"transfer_id": transfer_id})
        last[transfer_id] = response.json()
    await step()
    assert None not in named  # every transition has a name
    assert set(named) == set(TRANSFER_EVENT_TYPES.values())  # and each name occurs


def test_names_follow_fintocs_pattern():
    for name in TRANSFER_EVENT_TYPES.values():
        assert NAME_RE.match(name), name
    assert transfer_event_type("inbound", "succeeded", "return_pending") is None  # none documented
    assert "transfer.outbound.returned" in OUTBOUND_RETURNED_ALIASES


def test_envelope_carries_the_resource_itself():
    transfer = {"object": "transfer", "id": "tr_1", "status": "succeeded"}
    event = event_object(
        "evt_1", "transfer.outbound.succeeded", transfer, created_at="2025-09-02T15:59:10Z"
    )
    assert event == {
        "id": "evt_1",
        "object": "event",
        "type": "transfer.outbound.succeeded",
        "mode": "test",
        "created_at": "2025-09-02T15:59:10Z",
        "data": transfer,
    }
    assert json.loads(event_body(event)) == event
    assert b" " not in event_body(event)


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = event_body(event_object("evt_1", "x", {"a": "é"}, created_at="t"))
    header = signature_header(body, SECRET, 1620870928)
    expected = hmac.new(SECRET.encode(), b"1620870928." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1620870928,v1={expected}"
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", header)
    verify_signature(body, header, SECRET, now=1620870928 + 299)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"body": b"{}"}, "does not match"),
        ({"secret": "whsec_other"}, "does not match"),
        ({"now": 1620870928 + 301}, "300 seconds"),
        ({"now": 1620870928 - 301}, "300 seconds"),  # future timestamps too, as the Node SDK
        ({"header": "v1=abc"}, "no timestamp"),
        ({"header": "t=1620870928"}, "no v1"),
        ({"header": "garbage"}, "key=value"),
        ({"header": "t=9" * 40 + ",v1=ab"}, "no timestamp"),
    ],
)
def test_signature_refusals(change, words):
    body = b'{"id":"evt_1"}'
    args = {
        "body": body,
        "header": signature_header(body, SECRET, 1620870928),
        "secret": SECRET,
        "now": 1620870928,
    }
    args.update(change)
    with pytest.raises(SignatureError, match=words):
        verify_signature(args["body"], args["header"], args["secret"], now=args["now"])
