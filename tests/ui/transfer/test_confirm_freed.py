"""A confirm screen left with Esc is gone: its balance line leaves the app's signals.

The "From" line follows money moved (`MoneyFollower`); a Textual signal drops
a removed subscriber only at its next publish, so each confirm screen opened
and left stayed alive, form draft and all, until money next moved.
"""

from __future__ import annotations

import weakref

from ui_helpers import escape_frees, open_confirm

from fintoc_tui.ui.transfer.form_screen import TransferFormScreen

SIZE = (120, 36)


async def test_a_confirm_screen_left_unsent_is_freed(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        confirm = await open_confirm(pilot, settle)
        closed = weakref.ref(confirm)
        del confirm
        await escape_frees(pilot, settle, closed, TransferFormScreen)
