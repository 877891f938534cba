"""Money moved: how every screen that shows balances or history stays true without `r`.

The app turns each report of a movement its workers make — a transfer sent
(or maybe sent), a return, a simulated inbound transfer, a journal entry
resolved, a status change seen while following a transfer — into one
`app.money_moved_signal` (`FintocApp.money_moved`; reports in the same turn
of the event loop are published once). A screen that shows balances or
transfers makes a `MoneyFollower` with the reload it wants:

- shown (on top, or under a dialog): it reloads at once, in its own
  exclusive worker, so a burst of movements costs one answer;
- hidden (another mode, or under a pushed screen): it only remembers, and
  reloads once when it is shown again — no request for what nobody sees,
  and no screen ever shows figures from before a movement it was told of.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget

    from fintoc_tui.ui.shell.app import FintocApp

MoneyCause = Literal[
    "sent", "maybe sent", "returned", "maybe returned", "simulated", "resolved", "status changed"
]
"""Why the app thinks money moved; "maybe …" is an outcome not known yet (it may have)."""


@dataclass(frozen=True)
class MoneyMoved:
    """What `app.money_moved_signal` carries: every cause since the last publish, and
    the transfers concerned (their ids, when known)."""

    causes: tuple[MoneyCause, ...]
    transfer_ids: tuple[str, ...]


class MoneyFollower:
    """Runs `reload` for `node` after money moves: now if its screen is shown, else when it is.

    Made once, in the screen's (or widget's) `on_mount`. A signal forgets a
    removed node only at its next publish, and until then its subscription
    holds the node (and its whole screen) alive; a screen that is pushed and
    popped calls `forget()` when it unmounts, so closing it frees it.
    """

    def __init__(self, node: Widget, reload: Callable[[], object]) -> None:
        self._node = node
        self._screen: Screen[Any] = node.screen
        self._reload = reload
        self.stale = False
        """Money moved while the screen was hidden: reload when it is shown."""
        self.reloads = 0
        """How many reloads money movements caused (tests count them)."""
        app: FintocApp = node.app  # type: ignore[assignment]
        app.money_moved_signal.subscribe(node, self._moved)
        app.screen_change_signal.subscribe(node, self._shown)

    def forget(self) -> None:
        """Leave both signals now, not at their next publish (see the class docstring)."""
        app: FintocApp = self._node.app  # type: ignore[assignment]
        app.money_moved_signal.unsubscribe(self._node)
        app.screen_change_signal.unsubscribe(self._node)

    def _moved(self, moved: MoneyMoved) -> None:
        if self._screen.is_current:
            self._run()
        else:
            self.stale = True

    def _shown(self, _screen: Screen[Any]) -> None:
        if self.stale and self._screen.is_current:
            self._run()

    def _run(self) -> None:
        self.stale = False
        self.reloads += 1
        self._reload()
