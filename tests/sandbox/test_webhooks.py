"""Webhooks in the sandbox (issue 14 §9): endpoints, the outbox, signed delivery with retries.

Deliveries go to a real HTTP receiver on a loopback port; the dispatcher is
driven by hand (`deliver_due`) on the sandbox's manual clock, so retries and
backoff are checked without waiting for anything.
"""

from __future__ import annotations

import json
import sqlite3
import threading

import httpx
import pytest
from sandbox_helpers import assert_error, mx_body

from fintoc_tui.sandbox import webhooks
from fintoc_tui.sandbox.events import SIGNATURE_HEADER, verify_signature
from fintoc_tui.sandbox.store import SandboxStore
from fintoc_tui.sandbox.webhook_delivery import WebhookDispatcher, describe_attempt
from fintoc_tui.testing.webhook_receiver import Receiver

SUCCEEDED = "transfer.outbound.succeeded"


async def create_endpoint(sandbox, url: str, events=(SUCCEEDED,), **extra) -> dict:
    body = {"url": url, "enabled_events": list(events), **extra}
    response = await sandbox.post("/v1/webhook_endpoints", body, sign=False)
    assert response.status_code == 201, response.text
    return response.json()


async def send_transfer(sandbox) -> str:
    accounts = await sandbox.accounts()
    response = await sandbox.post("/v2/transfers", mx_body(accounts["MXN"]["id"], 1_000))
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def settle(sandbox) -> None:
    """Move past the settle delay; the next request applies what is due."""
    sandbox.clock.advance(4)
    assert (await sandbox.get("/v2/accounts")).status_code == 200


@pytest.fixture
def dispatcher(sandbox):
    attempts = []
    with_log = WebhookDispatcher(sandbox.store, sandbox.clock, on_attempt=attempts.append)
    with_log.attempts = attempts  # type: ignore[attr-defined]
    yield with_log
    with_log.stop()


# -- endpoints ------------------------------------------------------------------------


async def test_the_secret_is_returned_once_and_never_again(sandbox):
    created = await create_endpoint(
        sandbox, "http://127.0.0.1:9/hook", description="Pagos", events=[SUCCEEDED, SUCCEEDED]
    )
    assert created["secret"].startswith("whsec_") and len(created["secret"]) == 28
    assert created["id"].startswith("we_")
    assert list(created) == [
        "id", "object", "created_at", "description", "enabled_events", "mode", "secret",
        "status", "url",
    ]  # fmt: skip
    assert created["enabled_events"] == [SUCCEEDED]  # repeats dropped
    assert created["status"] == "enabled" and created["mode"] == "test"
    listed = (await sandbox.get("/v1/webhook_endpoints")).json()
    fetched = (await sandbox.get(f"/v1/webhook_endpoints/{created['id']}")).json()
    updated = (
        await sandbox.client.patch(
            f"/v1/webhook_endpoints/{created['id']}", json={"description": "Otra"}
        )
    ).json()
    for shown in (listed[0], fetched, updated):
        assert shown["id"] == created["id"]
        assert shown["secret"] is None
    every_byte = json.dumps([listed, fetched, updated])
    assert created["secret"] not in every_byte


async def test_update_and_delete(sandbox):
    created = await create_endpoint(sandbox, "http://localhost:9/a")
    path = f"/v1/webhook_endpoints/{created['id']}"
    response = await sandbox.client.patch(
        path,
        json={
            "url": "https://[::1]:8443/b",
            "enabled_events": ["transfer.inbound.succeeded"],
            "status": "disabled",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["url"] == "https://[::1]:8443/b"
    assert response.json()["enabled_events"] == ["transfer.inbound.succeeded"]
    assert response.json()["status"] == "disabled"
    # The Ruby SDK's `disabled` flag means the same.
    again = await sandbox.client.patch(path, json={"disabled": False})
    assert again.json()["status"] == "enabled"
    deleted = await sandbox.client.delete(path)
    assert deleted.status_code == 200 and deleted.json()["id"] == created["id"]
    assert_error(await sandbox.get(path), 404, "missing_resource", param="id")
    assert (await sandbox.get("/v1/webhook_endpoints")).json() == []


@pytest.mark.parametrize(
    ("body", "status", "code", "param", "words"),
    [
        ({"url": "https://example.com/hook"}, 400, "invalid_url", "url", "only delivers"),
        ({"url": "http://10.0.0.1/hook"}, 400, "invalid_url", "url", "loopback host"),
        ({"url": "ftp://127.0.0.1/hook"}, 400, "invalid_url", "url", "http(s)"),
        ({"url": "http://127.0.0.1:99999/"}, 400, "invalid_url", "url", "not a valid URL"),
        ({"url": "http://127.0.0.1/" + "a" * 2100}, 400, "invalid_url", "url", "2048"),
        ({"url": None}, 400, "missing_parameter", "url", "Give url"),
        ({"enabled_events": None}, 400, "missing_parameter", "enabled_events", "Give"),
        ({"enabled_events": []}, 400, "invalid_enabled_events", "enabled_events", "non-empty"),
        (
            {"enabled_events": ["transfer.outbound.succeded"]},
            400,
            "invalid_enabled_events",
            "enabled_events.0",
            "transfer.outbound.succeeded",  # the message lists the real names
        ),
        ({"description": 5}, 400, "invalid_request", "description", "text"),
        ({"status": "paused"}, 400, "invalid_status", "status", "enabled or disabled"),
    ],
)
async def test_bad_endpoints_are_refused_with_fintocs_errors(
    sandbox, body, status, code, param, words
):
    full = {"url": "http://127.0.0.1:9/hook", "enabled_events": [SUCCEEDED], **body}
    full = {k: v for k, v in full.items() if v is not None}
    response = await sandbox.post("/v1/webhook_endpoints", full, sign=False)
    error = assert_error(response, status, code, param=param)
    assert words in error["message"]


async def test_endpoints_need_the_api_key(sandbox):
    response = await sandbox.client.get("/v1/webhook_endpoints", headers={"authorization": ""})
    assert_error(response, 401, "invalid_api_key")


# -- delivery -------------------------------------------------------------------------


async def test_a_transfer_that_succeeds_is_delivered_signed(sandbox, dispatcher):
    with Receiver() as receiver:
        endpoint = await create_endpoint(sandbox, receiver.url)
        transfer_id = await send_transfer(sandbox)
        assert dispatcher.deliver_due() == []  # pending: nothing to say yet
        await settle(sandbox)
        [attempt] = dispatcher.deliver_due()
        [got] = receiver.received
    assert (attempt.state, attempt.status, attempt.attempt) == ("delivered", 200, 1)
    assert got.path == "/webhooks/fintoc"
    assert got.headers["content-type"] == "application/json"
    verify_signature(
        got.body,
        got.headers[SIGNATURE_HEADER.lower()],
        endpoint["secret"],
        now=sandbox.clock.time(),
    )
    event = json.loads(got.body)
    assert event["type"] == SUCCEEDED and event["id"].startswith("evt_")
    assert event["object"] == "event" and event["mode"] == "test"
    assert event["data"] == await sandbox.transfer(transfer_id)  # the transfer as it is now
    assert event["data"]["status"] == "succeeded"
    assert dispatcher.deliver_due() == []  # delivered once, not again
    [entry] = webhooks.delivery_log(sandbox.store)
    assert (entry.state, entry.attempts, entry.last_status) == ("delivered", 1, 200)
    assert describe_attempt(attempt) == (
        f"webhook {SUCCEEDED} → {receiver.url}: HTTP 200 (attempt 1 of {webhooks.MAX_ATTEMPTS})"
    )


async def test_a_receiver_failing_twice_gets_it_on_the_third_attempt(sandbox, dispatcher):
    with Receiver(statuses=(500, 500, 200)) as receiver:
        await create_endpoint(sandbox, receiver.url)
        await send_transfer(sandbox)
        await settle(sandbox)
        first = dispatcher.deliver_due()
        assert [(a.status, a.state, a.retry_in) for a in first] == [(500, "pending", 5.0)]
        sandbox.clock.advance(4.9)
        assert dispatcher.deliver_due() == []  # not before its backoff
        sandbox.clock.advance(0.1)
        second = dispatcher.deliver_due()
        assert [(a.status, a.attempt, a.retry_in) for a in second] == [(500, 2, 15.0)]
        [entry] = webhooks.delivery_log(sandbox.store)
        assert (entry.state, entry.attempts, entry.last_error) == ("pending", 2, "HTTP 500")
        sandbox.clock.advance(15)
        third = dispatcher.deliver_due()
        bodies = [r.body for r in receiver.received]
    assert [(a.status, a.attempt, a.state) for a in third] == [(200, 3, "delivered")]
    assert len(bodies) == 3 and len(set(bodies)) == 1  # the same event each time
    [entry] = webhooks.delivery_log(sandbox.store)
    assert (entry.state, entry.attempts, entry.last_status, entry.last_error) == (
        "delivered",
        3,
        200,
        None,
    )
    assert "next try in 5 s" in describe_attempt(first[0])


async def test_retries_are_bounded_and_back_off_exponentially(sandbox, dispatcher):
    delays = [webhooks.retry_delay(n) for n in range(1, webhooks.MAX_ATTEMPTS)]
    assert delays == [5, 15, 45, 135, 405, 1215, 3600]
    with Receiver(statuses=(503,)) as receiver:
        await create_endpoint(sandbox, receiver.url)
        await send_transfer(sandbox)
        await settle(sandbox)
        seen = []
        for _ in range(webhooks.MAX_ATTEMPTS + 2):
            seen += dispatcher.deliver_due()
            sandbox.clock.advance(3600)
        count = len(receiver.received)
    assert count == webhooks.MAX_ATTEMPTS
    assert [a.state for a in seen] == ["pending"] * (webhooks.MAX_ATTEMPTS - 1) + ["failed"]
    assert "gave up" in describe_attempt(seen[-1])
    [entry] = webhooks.delivery_log(sandbox.store)
    assert (entry.state, entry.attempts, entry.next_attempt_at) == (
        "failed",
        webhooks.MAX_ATTEMPTS,
        None,
    )


async def test_a_receiver_that_is_not_listening_is_retried(sandbox, dispatcher):
    with Receiver() as receiver:
        url = receiver.url
    await create_endpoint(sandbox, url)  # nothing listens there any more
    await send_transfer(sandbox)
    await settle(sandbox)
    [attempt] = dispatcher.deliver_due()
    assert attempt.status is None and attempt.state == "pending"
    assert "could not connect" in describe_attempt(attempt)


async def test_a_disabled_endpoint_and_other_subscriptions_get_nothing(sandbox, dispatcher):
    with Receiver() as disabled, Receiver() as elsewhere, Receiver() as subscribed:
        await create_endpoint(sandbox, disabled.url, status="disabled")
        await create_endpoint(sandbox, elsewhere.url, events=["transfer.inbound.succeeded"])
        await create_endpoint(sandbox, subscribed.url)
        await send_transfer(sandbox)
        await settle(sandbox)
        attempts = dispatcher.deliver_due()
        assert [a.url for a in attempts] == [subscribed.url]
        assert disabled.received == [] and elsewhere.received == []
        assert len(subscribed.received) == 1


async def test_disabling_an_endpoint_cancels_what_it_had_not_received(sandbox, dispatcher):
    with Receiver(statuses=(500, 200)) as receiver:
        endpoint = await create_endpoint(sandbox, receiver.url)
        await send_transfer(sandbox)
        await settle(sandbox)
        dispatcher.deliver_due()  # 500: a retry is queued
        response = await sandbox.client.patch(
            f"/v1/webhook_endpoints/{endpoint['id']}", json={"status": "disabled"}
        )
        assert response.status_code == 200
        sandbox.clock.advance(60)
        assert dispatcher.deliver_due() == []
        count = len(receiver.received)
    assert count == 1
    [entry] = webhooks.delivery_log(sandbox.store)
    assert (entry.state, entry.last_error) == ("canceled", "the endpoint was disabled")


async def test_test_route_sends_one_event_to_that_endpoint_only(sandbox, dispatcher):
    with Receiver() as tested, Receiver() as other:
        endpoint = await create_endpoint(sandbox, tested.url, events=["transfer.inbound.succeeded"])
        await create_endpoint(sandbox, other.url, events=[SUCCEEDED])
        response = await sandbox.post(
            f"/v1/webhook_endpoints/{endpoint['id']}/test", {"type": SUCCEEDED}, sign=False
        )
        assert response.status_code == 200, response.text
        event = response.json()
        assert event["type"] == SUCCEEDED and event["data"]["direction"] == "outbound"
        dispatcher.deliver_due()
        assert other.received == []
        [got] = tested.received
    assert json.loads(got.body) == event
    verify_signature(
        got.body, got.headers["fintoc-signature"], endpoint["secret"], now=sandbox.clock.time()
    )


async def test_test_route_refuses_a_disabled_endpoint_and_unknown_types(sandbox):
    endpoint = await create_endpoint(sandbox, "http://127.0.0.1:9/", status="disabled")
    path = f"/v1/webhook_endpoints/{endpoint['id']}/test"
    assert_error(await sandbox.post(path, {}, sign=False), 409, "webhook_endpoint_disabled")
    bad = await sandbox.post(path, {"type": "payment_intent.succeeded"}, sign=False)
    assert_error(bad, 400, "invalid_enabled_events")
    missing = await sandbox.post("/v1/webhook_endpoints/we_nope/test", {}, sign=False)
    assert_error(missing, 404, "missing_resource")


async def test_every_transfer_transition_becomes_an_event_in_the_outbox(sandbox):
    """Inbound arrivals, returns and failed returns publish too (not only outbound)."""
    accounts = await sandbox.accounts()
    number = accounts["MXN"]["root_account_number_id"]
    arrived = await sandbox.post(
        "/v2/simulate/receive_transfer",
        {"account_number_id": number, "amount": 2_000, "currency": "MXN"},
        sign=False,
    )
    await settle(sandbox)
    returned = await sandbox.post("/v2/transfers/return", {"transfer_id": arrived.json()["id"]})
    assert returned.status_code == 200, returned.text
    await settle(sandbox)
    with sandbox.store.reading() as db:
        types = [t for (t,) in db.execute("SELECT type FROM webhook_events ORDER BY seq")]
    assert types == ["transfer.inbound.succeeded", "transfer.inbound.returned"]


def test_publish_event_is_the_one_door_for_other_event_kinds(store, clock):
    """Verification events (another feature) go through the same function and fan-out."""
    with store.transaction() as db:
        db.execute(
            "INSERT INTO webhook_endpoints (id, status, secret, data) VALUES (?, ?, ?, ?)",
            (
                "we_1",
                "enabled",
                "whsec_x",
                json.dumps({"enabled_events": ["account_verification.succeeded"], "url": "x"}),
            ),
        )
        event_id = webhooks.publish_event(
            db, "account_verification.succeeded", {"object": "account_verification"}, now=1.0
        )
    [entry] = webhooks.delivery_log(store)
    assert (entry.event_id, entry.endpoint_id, entry.state) == (event_id, "we_1", "pending")


def test_a_version_3_state_file_gains_the_webhook_tables(tmp_path, clock):
    from fintoc_tui.sandbox.seed import seed_store

    path = tmp_path / "sandbox.sqlite3"
    with SandboxStore(path) as store:
        seed_store(store, now=clock.now(), transfers=20)
    db = sqlite3.connect(path)  # as the version before webhooks left it
    for table in webhooks.WEBHOOK_TABLE_NAMES:
        db.execute(f"DROP TABLE {table}")
    db.commit()
    db.close()
    with SandboxStore(path) as store:
        assert store.get_meta("schema_version") == "3"
        assert store.count("transfers") == 20
        with store.reading() as conn:
            strict = dict(
                conn.execute("SELECT name, strict FROM pragma_table_list WHERE schema = 'main'")
            )
    assert {strict[t] for t in webhooks.WEBHOOK_TABLE_NAMES} == {1}


def test_reset_forgets_endpoints_and_events(store):
    with store.transaction() as db:
        webhooks.publish_event(db, SUCCEEDED, {"object": "transfer"}, now=1.0)
    store.reset()
    with store.transaction() as db:  # the event counter restarts; no id clash
        webhooks.publish_event(db, SUCCEEDED, {"object": "transfer"}, now=1.0)


def test_a_receiver_that_hangs_never_delays_an_api_request(store, clock):
    """The dispatcher thread is stuck inside a POST; the API still answers at once."""
    from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
    from fintoc_tui.sandbox.server import SandboxServer

    release = threading.Event()
    app = create_app(store, clock, settle_after=4.0)
    with (
        Receiver(hold=release) as receiver,
        SandboxServer(app) as server,
        WebhookDispatcher(store, clock, poll_interval=0.05, timeout=60),
        httpx.Client(
            base_url=server.base_url, headers={"Authorization": SANDBOX_SECRET_KEY}, timeout=30
        ) as api,
    ):
        try:
            endpoint = api.post(
                "/v1/webhook_endpoints", json={"url": receiver.url, "enabled_events": [SUCCEEDED]}
            ).json()
            test_path = f"/v1/webhook_endpoints/{endpoint['id']}/test"
            assert api.post(test_path, json={}).status_code == 200
            assert len(receiver.wait_for(1)) == 1  # now the delivery hangs
            assert api.get("/v1/webhook_endpoints").status_code == 200
            assert api.post(test_path, json={}).status_code == 200
            assert api.get("/v2/accounts").status_code == 200
            log = webhooks.delivery_log(store)
            assert [(e.state, e.attempts) for e in log] == [("pending", 0), ("pending", 0)]
        finally:
            release.set()


async def test_a_verification_outcome_is_delivered_signed(sandbox, dispatcher):
    """`account_verification.succeeded` goes out like a transfer event, with the holder."""
    clabe = "646180000000000054"
    with Receiver() as receiver:
        endpoint = await create_endpoint(
            sandbox, receiver.url, events=("account_verification.succeeded",)
        )
        response = await sandbox.post("/v2/account_verifications", {"account_number": clabe})
        assert response.status_code == 201, response.text
        assert dispatcher.deliver_due() == []  # pending: nothing to say yet
        await settle(sandbox)
        [attempt] = dispatcher.deliver_due()
        [got] = receiver.received
    assert attempt.state == "delivered"
    verify_signature(
        got.body,
        got.headers[SIGNATURE_HEADER.lower()],
        endpoint["secret"],
        now=sandbox.clock.time(),
    )
    event = json.loads(got.body)
    assert event["type"] == "account_verification.succeeded"
    assert event["data"]["id"] == response.json()["id"]
    assert event["data"]["status"] == "succeeded"
    assert event["data"]["counterparty"]["holder_name"]
