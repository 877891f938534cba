"""Receipts in the sandbox: JSON with a signed, expiring link to a real PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sandbox_helpers import assert_error, cl_body, mx_body

from fintoc_tui.sandbox.pdf import text_pdf
from fintoc_tui.sandbox.routes_receipts import LINK_SECONDS


async def _settled_transfer(sandbox, body) -> dict:
    created = await sandbox.post("/v2/transfers", body)
    assert created.status_code == 201, created.text
    sandbox.clock.advance(5)
    return await sandbox.transfer(created.json()["id"])


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


async def test_receipt_is_json_with_a_link_to_a_pdf_of_the_transfer(sandbox):
    mxn = (await sandbox.accounts())["MXN"]
    transfer = await _settled_transfer(sandbox, mx_body(mxn["id"], comment="Factura (12)"))
    response = await sandbox.get(f"/v2/transfers/{transfer['id']}/receipt")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    receipt = response.json()
    assert receipt["object"] == "transfer_receipt"
    assert receipt["transfer_id"] == transfer["id"]
    assert receipt["url"].startswith(f"http://sandbox.test/sandbox/receipts/{transfer['id']}.pdf?")
    assert receipt["expires_at"] == "2025-09-02T16:08:56Z"  # ten minutes after it was asked for
    pdf = await sandbox.client.get(receipt["url"], headers={"Authorization": ""})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.4")
    text = _text(pdf.content)
    assert transfer["id"] in text
    assert "$123.45" in text
    assert transfer["tracking_key"] in text
    assert "Ana" in text


async def test_the_link_expires_and_cannot_be_edited(sandbox):
    mxn = (await sandbox.accounts())["MXN"]
    transfer = await _settled_transfer(sandbox, mx_body(mxn["id"]))
    url = (await sandbox.get(f"/v2/transfers/{transfer['id']}/receipt")).json()["url"]
    other = (await sandbox.get("/v2/transfers", params={"limit": 5})).json()[-1]["id"]
    assert_error(await sandbox.get(url.replace(transfer["id"], other)), 403, "invalid_receipt_link")
    assert_error(
        await sandbox.get(url.replace("expires=", "expires=9")), 403, "invalid_receipt_link"
    )
    assert_error(await sandbox.get(url.split("?")[0]), 403, "invalid_receipt_link")
    huge = url.split("?")[0] + "?expires=" + "9" * 5000 + "&signature=00"
    assert_error(await sandbox.get(huge), 403, "invalid_receipt_link")
    assert_error(await sandbox.get(url + "é"), 403, "invalid_receipt_link")
    sandbox.clock.advance(LINK_SECONDS + 1)
    assert_error(await sandbox.get(url), 403, "expired_receipt_link")


async def test_no_receipt_before_the_transfer_settles(sandbox):
    mxn = (await sandbox.accounts())["MXN"]
    created = (await sandbox.post("/v2/transfers", mx_body(mxn["id"]))).json()
    response = await sandbox.get(f"/v2/transfers/{created['id']}/receipt")
    error = assert_error(response, 409, "invalid_transfer_status")
    assert "pending" in error["message"]
    assert_error(await sandbox.get("/v2/transfers/tr_nope/receipt"), 404, "missing_resource")


async def test_a_chilean_transfer_gets_a_receipt_too(sandbox):
    clp = (await sandbox.accounts())["CLP"]
    transfer = await _settled_transfer(sandbox, cl_body(clp["id"]))
    assert transfer["receipt_url"] is None  # no CEP in Chile
    receipt = (await sandbox.get(f"/v2/transfers/{transfer['id']}/receipt")).json()
    pdf = await sandbox.get(receipt["url"])
    assert "Camila Rojas" in _text(pdf.content)


def test_the_pdf_escapes_what_would_break_it_and_keeps_spanish_letters():
    pdf = text_pdf("Título (uno)", ["a\\b) (c", "Peña Núñez", "emoji 🙂"])
    text = _text(pdf)
    assert "Título (uno)" in text
    assert "a\\b) (c" in text
    assert "Peña Núñez" in text
    assert "emoji ?" in text
