"""Yes or no before an account number changes; the body restates what will happen."""

from __future__ import annotations

from fintoc_tui.ui.shell import bindings
from fintoc_tui.ui.widgets.confirm_dialog import ConfirmDialog


class ConfirmChangeDialog(ConfirmDialog):
    """The shared yes/no dialog, with the account detail's dialog keys (listed in help)."""

    BINDINGS = bindings.ACCOUNT_DETAIL_DIALOGS  # type: ignore[assignment]
