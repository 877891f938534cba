"""Cursor pagination edges (fintoc-api.md §7)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from sandbox_helpers import assert_error

from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY, create_app
from fintoc_tui.sandbox.store import SandboxStore

LINK_RE = re.compile(r'^<(?P<url>[^>]*)>; rel="next"$')  # the SDK's own pattern, anchored


def next_url(response: httpx.Response) -> str | None:
    link = response.headers["link"]  # present on every page, empty on the last
    if link == "":
        return None
    match = LINK_RE.match(link)
    assert match, link
    return match["url"]


async def walk(sandbox, path, params):
    """Follow `Link` as the SDKs do; returns (ids, pages)."""
    response = await sandbox.get(path, params=params)
    ids, pages = [t["id"] for t in response.json()], 1
    while (url := next_url(response)) is not None:
        assert url.startswith("http://sandbox.test/")
        response = await sandbox.client.get(url)
        assert response.status_code == 200
        ids += [t["id"] for t in response.json()]
        pages += 1
    return ids, pages


async def test_default_limit_is_30_and_link_is_absolute_with_every_filter(sandbox):
    params = {"status": "succeeded", "direction": "outbound", "lazy": "x"}
    response = await sandbox.get("/v2/transfers", params=params)
    assert len(response.json()) == 30
    url = next_url(response)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "sandbox.test", "/v2/transfers")
    query = dict(parse_qsl(parts.query))
    assert query == {**params, "limit": "30", "starting_after": response.json()[-1]["id"]}
    assert list(parse_qsl(parts.query))[:2] == [
        ("limit", "30"),
        ("starting_after", response.json()[-1]["id"]),
    ]


async def test_filters_are_kept_across_pages(sandbox):
    everything, _ = await walk(sandbox, "/v2/transfers", {"limit": 300})
    assert len(everything) == 300 and len(set(everything)) == 300
    expected = [
        t["id"]
        for t in (await sandbox.get("/v2/transfers", params={"limit": 300})).json()
        if t["direction"] == "inbound" and t["currency"] == "MXN"
    ]
    mx = (await sandbox.accounts())["MXN"]["id"]
    ids, pages = await walk(
        sandbox, "/v2/transfers", {"direction": "inbound", "account_id": mx, "limit": 7}
    )
    assert ids == expected  # same set, same order, no duplicates across pages
    assert pages == -(-len(expected) // 7)


async def test_limit_300_and_bounds(sandbox):
    response = await sandbox.get("/v2/transfers", params={"limit": 300})
    assert len(response.json()) == 300
    assert next_url(response) is None  # exactly 300 transfers: one full page, no next
    for bad in ("0", "301", "-1", "abc", "1.5"):
        assert_error(
            await sandbox.get("/v2/transfers", params={"limit": bad}),
            400,
            "invalid_request",
            "limit",
        )
    assert len((await sandbox.get("/v2/transfers", params={"limit": 1})).json()) == 1


async def test_exactly_one_page(sandbox):
    count = len(
        (await sandbox.get("/v2/transfers", params={"status": "failed", "limit": 300})).json()
    )
    response = await sandbox.get("/v2/transfers", params={"status": "failed", "limit": count})
    assert len(response.json()) == count
    assert next_url(response) is None
    smaller = await sandbox.get("/v2/transfers", params={"status": "failed", "limit": count - 1})
    assert next_url(smaller) is not None
    last = await sandbox.client.get(next_url(smaller))
    assert len(last.json()) == 1 and next_url(last) is None


async def test_empty_results(sandbox, clock):
    response = await sandbox.get("/v2/transfers", params={"since": "2030-01-01"})
    assert response.status_code == 200 and response.json() == []
    assert response.headers["link"] == ""
    app = create_app(SandboxStore(None), clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://sandbox.test",
        headers={"Authorization": SANDBOX_SECRET_KEY},
    ) as client:
        for path in ("/v2/accounts", "/v2/transfers", "/v2/entities", "/v2/account_numbers"):
            empty = await client.get(path)
            assert empty.status_code == 200 and empty.json() == [] and empty.headers["link"] == ""


async def test_ending_before_pages_towards_newer(sandbox):
    page = (await sandbox.get("/v2/transfers", params={"limit": 10})).json()
    pivot = page[5]["id"]
    response = await sandbox.get("/v2/transfers", params={"limit": 3, "ending_before": pivot})
    assert [t["id"] for t in response.json()] == [t["id"] for t in page[2:5]]
    url = next_url(response)
    assert "ending_before=" + page[2]["id"] in url
    newest = await sandbox.client.get(url)
    assert [t["id"] for t in newest.json()] == [t["id"] for t in page[:2]]
    assert next_url(newest) is None


@pytest.mark.parametrize("param", ["starting_after", "ending_before"])
async def test_unknown_cursor(sandbox, param):
    response = await sandbox.get("/v2/transfers", params={param: "tr_unknown"})
    assert_error(response, 400, "invalid_request", param)


async def test_new_transfers_do_not_shift_a_walk_in_progress(sandbox):
    from sandbox_helpers import mx_body

    first = await sandbox.get("/v2/transfers", params={"limit": 100})
    mx = (await sandbox.accounts())["MXN"]
    assert (await sandbox.post("/v2/transfers", mx_body(mx["id"]))).status_code == 201
    second = await sandbox.client.get(next_url(first))
    ids = [t["id"] for t in first.json()] + [t["id"] for t in second.json()]
    assert len(ids) == len(set(ids)) == 200


async def test_base_url_option_fixes_link_origin(store, clock):
    app = create_app(store, clock, base_url="https://sandbox.example:9999/")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://other.test",
        headers={"Authorization": SANDBOX_SECRET_KEY},
    ) as client:
        response = await client.get("/v2/transfers", params={"limit": 2})
        assert next_url(response).startswith("https://sandbox.example:9999/v2/transfers?limit=2&")
