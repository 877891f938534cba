"""The transfer detail's receipt: download it to the exports folder, copy the CEP link."""

from __future__ import annotations

import io
import stat

from pypdf import PdfReader

from fintoc_tui import paths
from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen

SIZE = (120, 36)


def _seeded(store, sql: str) -> str:
    with store.reading() as db:
        (found,) = db.execute(sql).fetchone()
    return str(found)


async def _open(app, pilot, settle, transfer_id: str) -> TransferDetailScreen:
    await settle(pilot)
    app.push_screen(TransferDetailScreen(transfer_id))
    await settle(pilot)
    detail = app.screen
    assert isinstance(detail, TransferDetailScreen)
    return detail


def _receipt_line(detail: TransferDetailScreen) -> str:
    return str(detail.query_one("#detail-receipt").render())


async def test_d_saves_the_receipt_pdf_and_says_where(make_app, settle, sandbox_store):
    transfer_id = _seeded(
        sandbox_store,
        "SELECT id FROM transfers WHERE currency = 'MXN' AND status = 'succeeded' "
        "AND direction = 'outbound' ORDER BY seq DESC LIMIT 1",
    )
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        detail = await _open(app, pilot, settle, transfer_id)
        await pilot.press("d")
        await settle(pilot)
        saved = paths.exports_dir() / f"receipt-{transfer_id}.pdf"
        assert _receipt_line(detail) == f"Receipt saved: {saved}"
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        text = PdfReader(io.BytesIO(saved.read_bytes())).pages[0].extract_text()
        assert transfer_id in text
        await pilot.press("d")  # again: a second file, the first untouched
        await settle(pilot)
        assert _receipt_line(detail).endswith(f"receipt-{transfer_id}-2.pdf")

        await pilot.press("u")
        assert detail.transfer.receipt_url
        assert app.clipboard == detail.transfer.receipt_url


async def test_a_pending_transfer_says_when_there_will_be_a_receipt(
    make_app, settle, sandbox_store
):
    transfer_id = _seeded(
        sandbox_store, "SELECT id FROM transfers WHERE status = 'pending' LIMIT 1"
    )
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        detail = await _open(app, pilot, settle, transfer_id)
        assert not detail.check_action("copy_receipt_url", ())
        await pilot.press("d")
        await settle(pilot)
        line = _receipt_line(detail)
        assert line.startswith("No receipt yet") and "(it is pending)" in line
        assert not list(paths.exports_dir().glob("receipt-*"))


async def test_a_failed_download_says_why_and_saves_nothing(make_app, settle, sandbox_store):
    transfer_id = _seeded(
        sandbox_store,
        "SELECT id FROM transfers WHERE currency = 'MXN' AND status = 'succeeded' LIMIT 1",
    )
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        detail = await _open(app, pilot, settle, transfer_id)
        # The transfer changes under the screen: the sandbox now says it has no receipt.
        with sandbox_store.transaction() as db:
            db.execute(
                "UPDATE transfers SET status = 'pending', data = json_set(data, "
                "'$.status', 'pending') WHERE id = ?",
                (transfer_id,),
            )
        await pilot.press("d")
        await settle(pilot)
        assert _receipt_line(detail).startswith("No receipt: ")
        assert "pending" in _receipt_line(detail)
        assert not list(paths.exports_dir().glob("receipt-*"))


def test_snapshot_no_receipt_yet(snap_compare, make_app, settle, sandbox_store):
    transfer_id = _seeded(
        sandbox_store, "SELECT id FROM transfers WHERE status = 'pending' ORDER BY seq LIMIT 1"
    )

    async def pressed(pilot):
        await _open(pilot.app, pilot, settle, transfer_id)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make_app("sandbox"), terminal_size=SIZE, run_before=pressed)
