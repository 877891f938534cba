"""`api.prefetch`: the start-up accounts fetch, strict and all-or-nothing, against a real sandbox."""

from __future__ import annotations

import asyncio
import json
import socket
from types import SimpleNamespace

import pytest

from fintoc_tui.api.prefetch import (
    AccountSnapshot,
    AccountsPrefetch,
    PrefetchUnusable,
    fetch_accounts,
    has_next_page,
    parse_accounts,
    split_response,
)
from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY

ACCOUNT = {
    "id": "acc_1",
    "object": "account",
    "mode": "test",
    "description": "Cuenta MXN",
    "available_balance": 59013,
    "currency": "MXN",
    "is_root": True,
    "root_account_number": "738180000000000014",
    "status": "active",
    "entity": {"holder_name": "Tienda Demo SpA", "holder_id": "x"},
    "unknown_field": {"kept": "ignored here"},
}


def body(*accounts) -> bytes:
    return json.dumps(list(accounts)).encode()


def test_parse_keeps_the_balance_an_exact_int():
    (account,) = parse_accounts(body(ACCOUNT))
    assert account == AccountSnapshot(
        id="acc_1",
        description="Cuenta MXN",
        available_balance=59013,
        currency="MXN",
        status="active",
        is_root=True,
        root_account_number="738180000000000014",
        entity=account.entity,
    )
    assert type(account.available_balance) is int
    assert account.entity.holder_name == "Tienda Demo SpA"


def test_optional_fields_may_be_null_or_missing():
    bare = {k: ACCOUNT[k] for k in ("id", "available_balance", "currency", "status")}
    (account,) = parse_accounts(body({**bare, "description": None, "entity": None}))
    assert (account.description, account.is_root, account.root_account_number) == (
        None,
        False,
        None,
    )
    assert account.entity is None


@pytest.mark.parametrize(
    "raw",
    [
        b'[{"id": "acc_1", "available_balance": 590.13, "currency": "MXN", "status": "active"}]',
        b'[{"id": "acc_1", "available_balance": 5.9013e4, "currency": "MXN", "status": "active"}]',
        b'[{"id": "acc_1", "available_balance": NaN, "currency": "MXN", "status": "active"}]',
        b'[{"id": "acc_1", "available_balance": "59013", "currency": "MXN", "status": "active"}]',
        b'[{"id": "acc_1", "available_balance": true, "currency": "MXN", "status": "active"}]',
        b'[{"id": "acc_1", "currency": "MXN", "status": "active"}]',
        b'[{"id": 1, "available_balance": 1, "currency": "MXN", "status": "active"}]',
        b'[{"id": "a", "available_balance": 1, "currency": "MXN", "status": "active", "entity": []}]',
        b'{"accounts": []}',
        b"[1]",
        b"not json",
    ],
    ids=[
        "fraction",
        "exponent",
        "nan",
        "string-amount",
        "bool-amount",
        "missing-amount",
        "int-id",
        "entity-list",
        "object",
        "number-item",
        "garbage",
    ],
)
def test_anything_unexpected_makes_the_prefetch_unusable(raw):
    with pytest.raises(PrefetchUnusable):
        parse_accounts(raw)


@pytest.mark.parametrize(
    ("header", "more"),
    [
        (None, False),
        ("", False),
        ('<http://x/v2/accounts?starting_after=acc_2&limit=300>; rel="next"', True),
        ('<http://x/v2/accounts?limit=300>; rel = "next"', True),
        ('<http://x/v2/accounts?limit=300>; rel="prev"', False),
    ],
)
def test_next_page_is_read_off_the_link_header(header, more):
    assert has_next_page(header) is more


# -- against the real sandbox over a loopback socket ------------------------------------


@pytest.fixture
def served_sandbox(sandbox):
    from fintoc_tui.sandbox.server import SandboxServer

    with SandboxServer(sandbox.app) as server:
        yield server


async def test_fetch_matches_the_client_account_for_account(served_sandbox, client):
    snapshots = await asyncio.to_thread(fetch_accounts, served_sandbox.base_url, SANDBOX_SECRET_KEY)
    models = await client.list_accounts()
    assert snapshots, "the seeded sandbox has accounts"
    assert [
        (
            a.id,
            a.description,
            a.available_balance,
            a.currency,
            a.status,
            a.is_root,
            a.root_account_number,
            a.entity.holder_name if a.entity else None,
        )
        for a in models
    ] == [
        (
            s.id,
            s.description,
            s.available_balance,
            s.currency,
            s.status,
            s.is_root,
            s.root_account_number,
            s.entity.holder_name if s.entity else None,
        )
        for s in snapshots
    ]


def test_a_refused_key_is_unusable_not_an_error(served_sandbox):
    with pytest.raises(PrefetchUnusable, match="401"):
        fetch_accounts(served_sandbox.base_url, "sk_test_" + "wrong0000000000000000")


def test_nobody_listening_is_unusable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(PrefetchUnusable, match="no answer"):
        fetch_accounts(f"http://127.0.0.1:{port}", "sk_test_x", timeout=2)


def test_only_plain_http_is_prefetched():
    with pytest.raises(PrefetchUnusable, match="plain-HTTP"):
        fetch_accounts("https://api.fintoc.com", "sk_test_x")


def test_background_prefetch_reports_once_done(served_sandbox):
    address = SimpleNamespace(base_url=served_sandbox.base_url, secret_key=SANDBOX_SECRET_KEY)
    prefetch = AccountsPrefetch(lambda: address)
    accounts = prefetch.wait(timeout=10)
    assert prefetch.done and prefetch.problem is None
    assert accounts and all(type(a.available_balance) is int for a in accounts)
    seen = []
    prefetch.when_done(seen.append)  # already done: called at once
    assert seen == [accounts]


def test_a_sandbox_that_never_announced_leaves_the_prefetch_unused():
    def address():
        raise RuntimeError("the sandbox exited before it said where it listens")

    prefetch = AccountsPrefetch(address)
    assert prefetch.wait(timeout=10) is None
    assert prefetch.done
    assert "exited" in prefetch.problem


def test_a_complete_response_splits_into_status_headers_and_body():
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nLink: \r\nContent-Type: x\r\n\r\n[]"
    assert split_response(raw) == (
        200,
        {"content-length": "2", "link": "", "content-type": "x"},
        b"[]",
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n[]",  # cut short
        b"HTTP/1.1 200 OK\r\n\r\n[]",  # no length
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n",  # no end of headers
        b"SSH-2.0-OpenSSH\r\n\r\n",
        b"HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 0\r\n\r\n",
        b"",
    ],
    ids=[
        "short",
        "no-length",
        "chunked",
        "no-blank-line",
        "not-http",
        "no-status",
        "bad-header",
        "empty",
    ],
)
def test_anything_but_a_plain_complete_response_is_unusable(raw):
    with pytest.raises(PrefetchUnusable):
        split_response(raw)
