"""Command palette entries (ctrl+p) for every screen and action, plus one per account."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class FintocCommands(Provider):
    """Screens, environment switches, refresh, help, and "open account …"."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app: Any = self.app
        yield (
            "Accounts",
            "Show the accounts and balances",
            partial(app.action_show_mode, "accounts"),
        )
        yield "New transfer", "Open the transfer form", partial(app.action_show_mode, "transfer")
        yield "History", "Show the transfer history", partial(app.action_show_mode, "history")
        yield (
            "Environment",
            "Choose sandbox, test or live and manage keys",
            partial(app.action_show_mode, "environment"),
        )
        for name in ("sandbox", "test", "live"):
            yield (
                f"Switch to {name.upper()}",
                f"Point the app at the {name} environment",
                partial(app.action_switch_environment, name),
            )
        yield "Refresh", "Reload what this screen shows", app.action_refresh_current
        yield "Help: keys", "List every key binding and its id", app.action_help
        for account in app.accounts:
            yield (
                f"Open account: {account.description}",
                f"{account.currency} account {account.id}",
                partial(self._open_account, account.id),
            )

    def _open_account(self, account_id: str) -> None:
        app: Any = self.app
        app.open_account(account_id)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
