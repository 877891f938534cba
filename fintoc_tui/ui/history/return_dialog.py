"""Confirm sending an inbound transfer back to whoever sent it (test mode)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from fintoc_tui.ui.shell import bindings

if TYPE_CHECKING:
    from fintoc_tui.api.models import Transfer


class ReturnConfirmDialog(ModalScreen[bool]):
    """Says exactly what goes back and to whom; dismisses True only on "Return it"."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.HISTORY_RETURN_DIALOG  # type: ignore[assignment]

    DEFAULT_CSS = """
    ReturnConfirmDialog { align: center middle; }
    ReturnConfirmDialog > Vertical {
        width: 70; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    ReturnConfirmDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ReturnConfirmDialog Button { margin-left: 1; }
    """

    def __init__(self, transfer: Transfer, *, sandbox: bool = False) -> None:
        super().__init__()
        self.transfer = transfer
        self.sandbox = sandbox
        """Say which amounts make a return fail there (the sandbox's table)."""

    def compose(self) -> ComposeResult:
        from fintoc_tui.money import format_amount

        transfer = self.transfer
        holder = transfer.counterparty.holder_name or "the sender"
        text = Text("Return this transfer?\n\n", style="bold")
        text.append(format_amount(transfer.amount, transfer.currency), style="bold")
        text.append(f" goes back to {holder}.\n")
        text.append(f"{transfer.id}\n", style="dim")
        text.append(
            "\nThe request is signed with your JWS key. The transfer becomes "
            "return_pending, then returned (or succeeded again if the return fails)."
        )
        if self.sandbox:
            from fintoc_tui.sandbox.returns import RETURN_FAILS_AMOUNTS

            failing = sorted(RETURN_FAILS_AMOUNTS.get(str(transfer.currency).upper(), ()))
            if failing:
                amounts = " or ".join(format_amount(a, transfer.currency) for a in failing)
                text.append(f"\nIn the sandbox, a return of {amounts} fails.", style="dim")
        with Vertical():
            yield Static(text)
            with Horizontal():
                yield Button("Cancel", id="return-cancel")
                yield Button("Return it", variant="warning", id="return-confirm")

    def on_mount(self) -> None:
        self.query_one("#return-cancel", Button).focus()

    @on(Button.Pressed, "#return-confirm")
    def confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#return-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
