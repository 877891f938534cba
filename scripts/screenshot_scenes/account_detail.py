"""Screenshots of an account's detail (issue 14): filtered movements, account numbers, statements.

The plain detail (movements, paged as you scroll) is `account-detail` in shell.py."""

from __future__ import annotations

from scripts.screenshots import Scene, settle


async def _detail(pilot, stage) -> None:
    await settle(pilot)
    app = pilot.app
    mxn = next(i for i, a in enumerate(app.accounts) if a.currency == "MXN")
    for _ in range(mxn):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def _filtered(pilot, stage) -> None:
    from datetime import date

    from fintoc_tui.ui.accounts.movements_table import MovementFilters

    await _detail(pilot, stage)
    screen = pilot.app.screen
    screen.filters = MovementFilters(direction="inbound", since=date(2025, 8, 1))
    screen.action_refresh()
    await settle(pilot)


async def _numbers(pilot, stage) -> None:
    await _detail(pilot, stage)
    await pilot.press("v")
    await settle(pilot)


async def _new_number(pilot, stage) -> None:
    from textual.widgets import Input

    await _numbers(pilot, stage)
    await pilot.press("c")
    await settle(pilot)
    dialog = pilot.app.screen
    dialog.query_one("#number-description", Input).value = "Pedidos web"
    dialog.query_one("#number-min", Input).value = "100"
    dialog.query_one("#number-max", Input).value = "25,000"
    dialog.query_one("#number-metadata", Input).value = "canal=web"
    await pilot.click("#number-continue")
    await settle(pilot)


async def _statements(pilot, stage) -> None:
    await _detail(pilot, stage)
    await pilot.press("v", "v")
    await settle(pilot)


SCENES = [
    Scene(
        "account-detail-filtered",
        _filtered,
        description="f: movements filtered (inbound, since 1 Aug)",
    ),
    Scene("account-numbers", _numbers, description="v: the account's CLABEs and what they accept"),
    Scene(
        "account-number-create-confirm",
        _new_number,
        description="c: a new CLABE, confirmed in words before it is made",
    ),
    Scene("account-statements", _statements, description="v v: monthly statements; s downloads"),
]
