"""An account's detail, once closed, is gone: nothing the app keeps holds the screen.

A Textual signal forgets a removed subscriber only at its next publish, so a
closed detail stayed alive (widgets, tables, caches) until money next moved,
one more per detail opened; `MoneyFollower.forget()` on unmount prevents that.
"""

from __future__ import annotations

import gc
import weakref

from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen
from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen

SIZE = (120, 36)


async def test_a_closed_account_detail_is_freed(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, AccountDetailScreen)
        closed = weakref.ref(detail)
        del detail
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccountsScreen)
        gc.collect()
        assert closed() is None
