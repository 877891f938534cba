"""Account detail's movements (paged, filtered), account numbers and statements (issue 14),
driven through Pilot against the in-process sandbox, with snapshots."""

from __future__ import annotations

import stat

from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from fintoc_tui import paths
from fintoc_tui.ui.accounts.account_detail_screen import PAGE_SIZE, AccountDetailScreen
from fintoc_tui.ui.accounts.movements_table import MovementsTable

SIZE = (120, 36)


async def open_mxn(app, pilot, settle) -> AccountDetailScreen:
    await settle(pilot)
    mxn = next(i for i, a in enumerate(app.accounts) if a.currency == "MXN")
    for _ in range(mxn):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, AccountDetailScreen)
    return screen


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_scrolling_past_the_first_page_loads_every_movement(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_mxn(app, pilot, settle)
        table = screen.query_one(MovementsTable)
        everything = await app.client.list_movements(screen.account.id, limit=300)
        assert len(everything) > 2 * PAGE_SIZE
        assert table.row_count == PAGE_SIZE and table.next_url is not None
        assert "more load as you scroll" in text_of(screen, "#detail-movements-title")
        for _ in range(len(everything) // PAGE_SIZE + 2):
            await pilot.press("ctrl+end")  # the table's "last row" key
            await settle(pilot)
        assert table.next_url is None
        assert [m.id for m in table.movements] == [m.id for m in everything]
        assert table.row_count == len(everything)
        assert "(all of them)" in text_of(screen, "#detail-movements-title")


async def test_scrolling_with_the_wheel_loads_the_next_page_too(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_mxn(app, pilot, settle)
        table = screen.query_one(MovementsTable)
        table.scroll_end(animate=False, immediate=True)
        await settle(pilot)
        assert table.row_count > PAGE_SIZE


async def test_filters_go_to_the_api_and_a_bad_date_is_said_in_the_dialog(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_mxn(app, pilot, settle)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#movement-since", Input).value = "August"
        await pilot.click("#movement-filter-apply")
        await pilot.pause()
        assert "YYYY-MM-DD" in str(dialog.query_one("#movement-filter-problem", Static).render())
        dialog.query_one("#movement-since", Input).value = "2025-08-01"
        dialog.query_one("#movement-until", Input).value = "2025-08-31"
        dialog.query_one("#movement-direction", Select).value = "inbound"
        dialog.query_one("#movement-until", Input).focus()
        await pilot.press("enter")  # (the button is still "pressed" from the click above)
        await settle(pilot)
        assert app.screen is screen
        table = screen.query_one(MovementsTable)
        expected = await app.client.list_movements(
            screen.account.id,
            direction="inbound",
            since="2025-08-01T00:00:00Z",
            until="2025-08-31T23:59:59Z",
        )
        assert expected and len(expected) <= PAGE_SIZE
        assert [m.id for m in table.movements] == [m.id for m in expected]
        assert all(m.direction == "inbound" for m in table.movements)
        title = text_of(screen, "#detail-movements-title")
        assert "inbound only, since 2025-08-01, until 2025-08-31" in title


async def test_create_edit_disable_enable_delete_an_account_number(make_app, settle, sandbox_store):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_mxn(app, pilot, settle)
        panel = screen.query_one("#detail-numbers", DataTable)
        before = panel.row_count
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#number-description", Input).value = "Pedidos web"
        dialog.query_one("#number-min", Input).value = "10"
        dialog.query_one("#number-max", Input).value = "5,000.50"
        dialog.query_one("#number-metadata", Input).value = "canal=web"
        await pilot.click("#number-continue")
        await pilot.pause()
        body = str(app.screen.query_one("#confirm-body", Static).render())
        assert "new CLABE" in body and "“Pedidos web”" in body
        assert "from $10.00 MXN to $5,000.50 MXN" in body and "canal=web" in body
        await pilot.click("#confirm")
        await settle(pilot)
        assert panel.row_count == before + 1
        created = screen.query_one("#detail-numbers").numbers[0]
        stored = sandbox_store.get("account_numbers", created.id)
        assert stored["options"] == {"max_amount": 500_050, "min_amount": 1_000}
        assert stored["metadata"] == {"canal": "web"}
        assert "created" in text_of(screen, "#numbers-note")

        panel.move_cursor(row=0)
        await pilot.press("u")
        await pilot.pause()
        edit = app.screen
        assert edit.query_one("#number-max", Input).value == "$5,000.50"  # prefilled
        edit.query_one("#number-description", Input).value = "Tienda"
        edit.query_one("#number-max", Input).value = ""
        await pilot.click("#number-continue")
        await pilot.pause()
        assert "“Tienda”" in str(app.screen.query_one("#confirm-body", Static).render())
        await pilot.click("#confirm")
        await settle(pilot)
        stored = sandbox_store.get("account_numbers", created.id)
        assert stored["description"] == "Tienda" and stored["options"]["max_amount"] is None

        await pilot.press("d")
        await pilot.pause()
        assert "refuse every inbound transfer" in str(
            app.screen.query_one("#confirm-body", Static).render()
        )
        await pilot.click("#confirm")
        await settle(pilot)
        assert sandbox_store.get("account_numbers", created.id)["status"] == "disabled"
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert sandbox_store.get("account_numbers", created.id)["status"] == "enabled"

        await pilot.press("x")
        await pilot.pause()
        assert "cannot be undone" in str(app.screen.query_one("#confirm-body", Static).render())
        await pilot.click("#cancel")
        await settle(pilot)
        assert sandbox_store.get("account_numbers", created.id)["status"] == "enabled"
        assert text_of(screen, "#numbers-note") == "Nothing was changed."
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert sandbox_store.get("account_numbers", created.id)["status"] == "deleted"
        assert panel.row_count == before


async def test_the_root_number_is_never_deleted(make_app, settle, sandbox_store):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_mxn(app, pilot, settle)
        panel = screen.query_one("#detail-numbers")
        root_row = next(i for i, n in enumerate(panel.numbers) if n.is_root)
        await pilot.press("v")
        panel.move_cursor(row=root_row)
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is screen  # no confirmation offered
        assert "root account number cannot be deleted" in text_of(screen, "#numbers-note")
        root = panel.numbers[root_row]
        assert sandbox_store.get("account_numbers", root.id)["status"] == "enabled"


async def test_a_refusal_is_shown_in_words_and_nothing_changes(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        clp = next(i for i, a in enumerate(app.accounts) if a.currency == "CLP")
        for _ in range(clp):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        await pilot.press("c")
        await pilot.pause()
        await pilot.click("#number-continue")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        note = text_of(screen, "#numbers-note")
        assert note.startswith("Nothing was changed.") and "one account number" in note


async def test_statements_list_and_download_to_a_private_file(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_mxn(app, pilot, settle)
        await pilot.press("v", "v")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tab-statements"
        table = screen.query_one("#detail-statements", DataTable)
        assert table.row_count == 3
        assert str(table.get_row_at(0)[0]) == "2025-08"
        await pilot.press("s")
        await settle(pilot)
        note = text_of(screen, "#statements-note")
        assert note.startswith("Saved the 2025-08 statement to ")
        path = paths.exports_dir() / note.rsplit(" ", 1)[1].rsplit("/", 1)[1]
        assert str(path) in note
        assert path.read_bytes().startswith(b"%PDF-")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        await pilot.press("s")
        await settle(pilot)
        assert "-2.pdf" in text_of(screen, "#statements-note")  # never overwritten


# -- snapshots (120x36 and 80x24, seeded sandbox, fixed clock) ---------------------------------


def _open(settle, keys=()):
    async def run(pilot):
        await open_mxn(pilot.app, pilot, settle)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def test_snapshot_account_numbers_tab(snap_compare, make_app, settle):
    assert snap_compare(make_app("sandbox"), terminal_size=SIZE, run_before=_open(settle, ["v"]))


def test_snapshot_statements_tab(snap_compare, make_app, settle):
    assert snap_compare(
        make_app("sandbox"), terminal_size=SIZE, run_before=_open(settle, ["v", "v"])
    )


def test_snapshot_movement_filters_dialog(snap_compare, make_app, settle):
    assert snap_compare(make_app("sandbox"), terminal_size=SIZE, run_before=_open(settle, ["f"]))


def test_snapshot_delete_confirmation(snap_compare, make_app, settle):
    assert snap_compare(
        make_app("sandbox"), terminal_size=SIZE, run_before=_open(settle, ["v", "down", "x"])
    )


def test_snapshot_account_detail_80x24(snap_compare, make_app, settle):
    assert snap_compare(make_app("sandbox"), terminal_size=(80, 24), run_before=_open(settle))
