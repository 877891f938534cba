"""An account's detail, once closed, is gone: nothing the app keeps holds the screen.

A Textual signal forgets a removed subscriber only at its next publish, so a
closed detail stayed alive (widgets, tables, caches) until money next moved,
one more per detail opened; `MoneyFollower.forget()` on unmount prevents that.
"""

from __future__ import annotations

import weakref

from ui_helpers import escape_frees, open_mode

from fintoc_tui.ui.accounts.account_detail_screen import AccountDetailScreen
from fintoc_tui.ui.accounts.accounts_screen import AccountsScreen

SIZE = (120, 36)


async def test_a_closed_account_detail_is_freed(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_mode(pilot, settle, "enter", AccountDetailScreen)
        closed = weakref.ref(detail)
        del detail
        await escape_frees(pilot, settle, closed, AccountsScreen)
