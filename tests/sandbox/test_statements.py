"""Monthly statements from the sandbox's own ledger, and their PDFs (additions §5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sandbox_helpers import assert_error


async def _movements(sandbox, account_id: str) -> list[dict]:
    found: list[dict] = []
    url = f"/v2/accounts/{account_id}/movements?limit=300"
    while url:
        response = await sandbox.get(url)
        found += response.json()
        url = response.links.get("next", {}).get("url")
    return found


async def test_statement_totals_equal_the_sum_of_the_movements_of_their_period(sandbox):
    for account in (await sandbox.accounts()).values():
        response = await sandbox.get(f"/v2/accounts/{account['id']}/account_statements")
        assert response.status_code == 200, response.text
        statements = response.json()
        assert len(statements) == 3  # 90 days of history before 2 Sep 2025: Jun, Jul, Aug
        movements = await _movements(sandbox, account["id"])
        previous_final = 0
        for statement in reversed(statements):  # oldest first
            assert statement["id"].startswith("acst_")
            assert statement["object"] == "account_statement"
            start, end = statement["start_date"], statement["end_date"]
            inside = [m for m in movements if start <= m["transaction_date"][:10] <= end]
            assert inside, "every seeded month has movements"
            credited = sum(m["amount"] for m in inside if m["direction"] == "inbound")
            debited = sum(m["amount"] for m in inside if m["direction"] == "outbound")
            assert statement["total_credited_cents"] == credited
            assert statement["total_debited_cents"] == debited
            assert statement["initial_balance_cents"] == previous_final
            last = inside[0]  # movements come newest first
            assert statement["final_balance_cents"] == last["balance"]
            previous_final = statement["final_balance_cents"]


async def test_since_and_until_choose_statements_by_period(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    path = f"/v2/accounts/{mx['id']}/account_statements"
    july = (await sandbox.get(path, params={"since": "2025-07-01", "until": "2025-07-31"})).json()
    assert [s["start_date"] for s in july] == ["2025-07-01"]
    later = (await sandbox.get(path, params={"since": "2025-07-15"})).json()
    assert [s["start_date"] for s in later] == ["2025-08-01", "2025-07-01"]
    assert_error(await sandbox.get(path, params={"since": "July"}), 400, "invalid_request", "since")
    assert_error(
        await sandbox.get("/v2/accounts/acc_nope/account_statements"), 404, "missing_resource"
    )


async def test_a_new_month_brings_a_new_statement(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    path = f"/v2/accounts/{mx['id']}/account_statements"
    assert len((await sandbox.get(path)).json()) == 3
    sandbox.clock.set(datetime(2025, 10, 1, 0, 0, 1, tzinfo=UTC))
    newest = (await sandbox.get(path)).json()[0]
    assert (newest["start_date"], newest["end_date"]) == ("2025-09-01", "2025-09-30")


async def test_download_url_serves_a_valid_pdf_without_an_api_key(sandbox):
    mx = (await sandbox.accounts())["MXN"]
    statement = (await sandbox.get(f"/v2/accounts/{mx['id']}/account_statements")).json()[0]
    response = await sandbox.client.get(statement["download_url"], headers={"Authorization": ""})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    # The cross-reference table points at each object exactly (what a reader checks).
    xref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    assert pdf[xref:].startswith(b"xref")
    offsets = re.findall(rb"(\d{10}) 00000 n ", pdf)
    for number, offset in enumerate(offsets, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj" % number)
    assert b"Closing balance" in pdf
    wrong = await sandbox.client.get(statement["download_url"].replace("acst_", "acst_x"))
    assert wrong.status_code == 404
