"""Helpers shared by the UI tests: reading the screen, opening and leaving screens, the confirm step."""

from __future__ import annotations

import gc
import weakref
from typing import Any, TypeVar

from textual.widgets import Select

from fintoc_tui.testing.secret_scan import svg_text


def screen_text(app: Any) -> str:
    """Everything on the terminal, toasts included, as plain text (from the SVG)."""
    return svg_text(app.export_screenshot())


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


ScreenT = TypeVar("ScreenT")


async def open_mode(pilot: Any, settle: Any, key: str, screen: type[ScreenT]) -> ScreenT:
    """From a connected app: press `key` (a mode's, or enter), settle, return the `screen` it opened."""
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    opened = pilot.app.screen
    assert isinstance(opened, screen)
    return opened


async def escape_frees(pilot: Any, settle: Any, closed: weakref.ref[Any], back_to: type) -> None:
    """Esc leaves the screen `closed` refers to, lands on `back_to`, and the screen is freed.

    The caller keeps only the weak reference, so nothing of its own holds the screen.
    """
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, back_to)
    gc.collect()
    assert closed() is None


async def open_confirm(
    pilot: Any, settle: Any, *, clabe: str = "012180000000000015", amount: str = "61.23"
) -> Any:
    """From a connected app: transfer mode, the MXN account, a CLABE and an amount, review."""
    from fintoc_tui.ui.transfer.amount_input import AmountInput
    from fintoc_tui.ui.transfer.clabe_input import ClabeInput
    from fintoc_tui.ui.transfer.confirm_screen import TransferConfirmScreen
    from fintoc_tui.ui.transfer.form_screen import TransferFormScreen

    app = pilot.app
    form = await open_mode(pilot, settle, "t", TransferFormScreen)
    account = next(a for a in form.accounts if a.currency == "MXN")
    form.query_one("#source-account", Select).value = account.id
    form.query_one(ClabeInput).value = clabe
    form.query_one(AmountInput).value = amount
    await pilot.pause()
    form.action_review()
    await settle(pilot)
    assert isinstance(app.screen, TransferConfirmScreen)
    return app.screen
