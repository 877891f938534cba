"""Issue 11 §5, fits the terminal: the footer fits at 120x36 and 80x24 on every
main screen, nothing named important is cut at 80x24, and 80x24 snapshots sit
beside the 120x36 ones in each feature's tests."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from rich.cells import cell_len
from textual.widgets import Button, Input
from ui_helpers import open_confirm, screen_text

from fintoc_tui.api.jws import public_pem_from_private
from fintoc_tui.testing.deterministic_keys import deterministic_private_pem
from fintoc_tui.ui.history.history_table import HistoryTable
from fintoc_tui.ui.widgets.footer import KeysFooter

WIDE = (120, 36)
NARROW = (80, 24)

Scene = Callable[[Any, Any], Awaitable[None]]


FIXED_JWS_PEM = deterministic_private_pem(7).decode()


@pytest.fixture
def sandbox_jws_keys(tmp_path):
    """The sandbox's JWS key fixed, so the environment snapshot shows the same fingerprint."""
    path = tmp_path / "sandbox_jws.pem"
    path.write_text(FIXED_JWS_PEM)
    return path, public_pem_from_private(FIXED_JWS_PEM)


@pytest.fixture(autouse=True)
def fixed_idempotency_keys(monkeypatch):
    """The result screen shows the key; make it the same every run."""
    keys = (uuid.UUID(int=n) for n in range(0xF1A7, 0xF1A7 + 1000))
    monkeypatch.setattr("fintoc_tui.api.submit.uuid.uuid4", lambda: next(keys))


async def accounts(pilot, settle) -> None:
    await settle(pilot)


async def account_detail(pilot, settle) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def transfer_form(pilot, settle) -> None:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)


async def confirm(pilot, settle) -> None:
    await open_confirm(pilot, settle)


async def result(pilot, settle) -> None:
    await open_confirm(pilot, settle)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def history(pilot, settle) -> None:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)


async def transfer_detail(pilot, settle) -> None:
    await history(pilot, settle)
    await pilot.press("enter")
    await settle(pilot)


async def environment(pilot, settle) -> None:
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)


async def help_screen(pilot, settle) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def palette(pilot, settle) -> None:
    await settle(pilot)
    await pilot.press("ctrl+p")
    await settle(pilot)


FOOTER_SCENES: dict[str, Scene] = {
    "accounts": accounts,
    "account_detail": account_detail,
    "transfer_form": transfer_form,
    "confirm": confirm,
    "result": result,
    "history": history,
    "transfer_detail": transfer_detail,
    "environment": environment,
}


async def no_blink(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def footer_overflow(app) -> list[str]:
    """The footer keys shown on screen that run past the palette key or the edge."""
    footer = app.screen.query_one(KeysFooter)
    line = footer.line()
    palette = footer.keys.palette
    return [
        f"{span.key.display} {span.description} ends at {span.end} > {line.edge}"
        for span in line.spans
        if span.key is not palette and span.end > line.edge
    ]


def footer_words(app) -> set[str]:
    footer = app.screen.query_one(KeysFooter)
    return {span.description for span in footer.line().spans}


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x36", "80x24"])
@pytest.mark.parametrize("scene", list(FOOTER_SCENES), ids=list(FOOTER_SCENES))
async def test_footer_fits(make_app, settle, scene, size):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=size) as pilot:
        await FOOTER_SCENES[scene](pilot, settle)
        await pilot.pause()
        assert footer_overflow(app) == []
        shown = footer_words(app)
        assert {"Help", "Quit"} <= shown, shown
        # The mode keys stay in the footer where they fit; below 100 cells help lists them.
        assert ("History" in shown) == (size == WIDE), shown


async def test_mode_keys_still_work_when_not_in_the_footer(make_app, settle):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=NARROW) as pilot:
        await history(pilot, settle)
        assert "History" not in footer_words(app)
        assert app.screen.query(HistoryTable)


# -- nothing important cut at 80x24 -----------------------------------------------------------


async def _narrow_text(make_app, settle, scene: Scene) -> tuple[Any, str]:
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=NARROW) as pilot:
        await scene(pilot, settle)
        await pilot.pause()
        return app, screen_text(app)


async def test_accounts_status_column_shows_at_80x24(make_app, settle):
    _, text = await _narrow_text(make_app, settle, accounts)
    assert "Status" in text and text.count("active") >= 2
    assert "$2,834,396.39 MXN" in text


async def test_account_detail_balance_after_shows_at_80x24(make_app, settle):
    _, text = await _narrow_text(make_app, settle, account_detail)
    assert "Balance after" in text
    assert "-$11,473.16 MXN  $2,834,396.39 MXN" in text


async def test_history_comment_and_name_show_at_80x24(make_app, settle):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=NARROW) as pilot:
        await history(pilot, settle)
        text = screen_text(app)
        assert "Comment" in text and "Devolución" in text
        table = app.screen.query_one(HistoryTable)
        labels = [c.label for c in table.columns]
        widths = dict(zip(labels, table._widths, strict=True))
        assert widths["Counterparty"] >= 14 and widths["Comment / reference"] >= 10
        shown = sum(w + 1 for w in widths.values() if w) - 1
        assert shown <= table.scrollable_content_region.width
        # Amounts are never cut: the column is as wide as the widest amount loaded.
        assert all(cell_len(table.row(i)[3]) <= widths["Amount"] for i in range(table.row_count))


async def test_environment_buttons_show_whole_at_80x24(make_app, settle):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=NARROW) as pilot:
        await environment(pilot, settle)
        card = app.screen.query_one("#card-test")
        inside = card.content_region
        buttons = list(card.query(Button))
        assert len(buttons) == 7
        for button in buttons:
            label = str(button.label)
            assert button.region.right <= inside.right, label
            assert button.content_region.width >= cell_len(label), label


async def test_reference_id_label_shows_whole_at_80x24(make_app, settle):
    _, text = await _narrow_text(make_app, settle, transfer_form)
    assert "Reference id (optional: up to 7" in text and "no leading 0)" in text


async def test_confirm_and_result_show_the_money_at_80x24(make_app, settle):
    _, text = await _narrow_text(make_app, settle, confirm)
    assert "amount=6123 (minor units sent)" in text and "012 180 00000000001 5" in text
    assert "Send transfer" in text and "Back to edit" in text
    _, text = await _narrow_text(make_app, settle, result)
    assert "Tracking key" in text and "Idempotency key" in text and "New transfer" in text


async def test_transfer_detail_shows_whole_ids_at_80x24(make_app, settle):
    app = make_app("sandbox", remember=False)
    async with app.run_test(size=NARROW) as pilot:
        await transfer_detail(pilot, settle)
        text = screen_text(app)
        transfer = app.screen.transfer
        assert transfer is not None and transfer.tracking_key
        assert transfer.id in text and transfer.tracking_key in text


async def test_help_and_palette_fit_at_80x24(make_app, settle):
    _, text = await _narrow_text(make_app, settle, help_screen)
    assert "command_palette" in text and "Remap a key" in text
    _, text = await _narrow_text(make_app, settle, palette)
    assert "Search for commands" in text


# -- 80x24 snapshots of the main screens (the 120x36 ones live in each feature's tests) ------

SNAPSHOT_SCENES: dict[str, Scene] = {
    "accounts": accounts,
    "account_detail": account_detail,
    "transfer_form": transfer_form,
    "confirm": confirm,
    "history": history,
    "transfer_detail": transfer_detail,
    "environment": environment,
    "help": help_screen,
}


@pytest.mark.parametrize("scene", list(SNAPSHOT_SCENES), ids=list(SNAPSHOT_SCENES))
def test_snapshot_80x24(snap_compare, make_app, settle, scene):
    async def run(pilot):
        await SNAPSHOT_SCENES[scene](pilot, settle)
        await no_blink(pilot)

    assert snap_compare(make_app("sandbox", remember=False), terminal_size=NARROW, run_before=run)
