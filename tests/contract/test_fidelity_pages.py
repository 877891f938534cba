"""Pagination and list filters (fintoc-api.md §7, additions §1.4). Read-only."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from fintoc_tui.api.models import Transfer


async def test_limit_defaults_to_30_and_link_walks_every_page_once(target):
    first = await target.raw.get("/v2/transfers")
    assert first.status_code == 200
    page = first.json()
    following = first.links.get("next", {}).get("url")
    assert len(page) <= 30
    if following:
        assert len(page) == 30  # the default, confirmed on the wire
    # Two at a time, with a filter the Link must carry.
    seen: list[str] = []
    url: str | None = "/v2/transfers?limit=2&direction=outbound"
    pages = 0
    while url and pages < 6:
        response = await target.raw.get(url)
        assert response.status_code == 200
        items = response.json()
        assert len(items) <= 2 and all(t["direction"] == "outbound" for t in items)
        seen += [t["id"] for t in items]
        link = response.headers.get("link")
        assert link is not None  # present, empty on the last page
        url = response.links.get("next", {}).get("url")
        if url:
            parts = urlsplit(url)
            query = parse_qs(parts.query)
            assert parts.scheme in ("http", "https") and parts.netloc  # absolute
            assert query["limit"] == ["2"] and query["direction"] == ["outbound"]
            assert query["starting_after"] == [items[-1]["id"]]
        pages += 1
    assert len(seen) == len(set(seen))  # no transfer twice
    every = await target.get_json("/v2/transfers", direction="outbound", limit=300)
    assert seen == [t["id"] for t in every][: len(seen)]  # newest first, in order


async def test_the_client_follows_pages_like_the_raw_api(target):
    listed = await target.get_json("/v2/transfers", limit=12)
    walked = []
    async for transfer in target.client.iter_transfers(limit=5):
        walked.append(transfer.id)
        if len(walked) == len(listed):
            break
    assert walked == [t["id"] for t in listed]


def _two_statuses(transfers: list[dict]) -> tuple[str, str]:
    counts = Counter(t["status"] for t in transfers)
    if len(counts) < 2:
        pytest.skip("needs transfers in two statuses")
    (a, _), (b, _) = counts.most_common(2)
    return a, b


@pytest.mark.parametrize(
    "spelling",
    ["{a},{b}", "status[]={a}&status[]={b}", "status={a}&status={b}"],
    ids=["comma", "brackets", "repeated"],
)
async def test_several_statuses_in_each_spelling(target, spelling):
    """How Fintoc reads a list of statuses is not documented: this says which spellings it honours."""
    everything = await target.get_json("/v2/transfers", limit=300)
    a, b = _two_statuses(everything)
    query = spelling.format(a=a, b=b)
    if not query.startswith("status"):
        query = f"status={query}"
    response = await target.raw.get(f"/v2/transfers?{query}&limit=300")
    assert response.status_code == 200, f"{target.name} refused {query}: {response.text[:200]}"
    statuses = {t["status"] for t in response.json()}
    assert statuses == {a, b}, f"{target.name} answered {query} with {sorted(statuses)}"


async def test_the_clients_own_status_list_works(target):
    everything = await target.get_json("/v2/transfers", limit=300)
    a, b = _two_statuses(everything)
    page = await target.client.list_transfers_page(status=[a, b], limit=300)
    assert {t.status for t in page.items} == {a, b}
    one = await target.client.list_transfers_page(status=a, limit=300)
    assert one.items and {t.status for t in one.items} == {a}
    assert all(isinstance(t, Transfer) for t in one.items)


async def test_since_and_until_bound_the_transaction_date(target):
    everything = await target.get_json("/v2/transfers", limit=300)
    if len(everything) < 3:
        pytest.skip("needs three transfers")
    middle = everything[len(everything) // 2]["transaction_date"]
    newer = await target.get_json("/v2/transfers", since=middle, limit=300)
    older = await target.get_json("/v2/transfers", until=middle, limit=300)
    assert newer and all(t["transaction_date"] >= middle for t in newer)
    assert older and all(t["transaction_date"] <= middle for t in older)
    # Each bound keeps every transfer of the first page on its side of it.
    assert {t["id"] for t in everything if t["transaction_date"] >= middle} <= {
        t["id"] for t in newer
    }
    assert {t["id"] for t in everything if t["transaction_date"] <= middle} <= {
        t["id"] for t in older
    }


async def test_a_batch_filter_names_only_that_batchs_transfers(target):
    """No batch was made here, so an unknown batch id finds nothing."""
    found = await target.get_json("/v2/transfers", transfer_batch_id="tb_contract0000000000000000")
    assert found == []
