"""The header on every screen: app name · environment chip · organisation · server · masked key.

Live mode is loud: a red chip and a red rule above the header, so nobody
mistakes live for test. Test or live at a server other than Fintoc's
(`--base-url`, `FINTOC_BASE_URL`) shows that server, so nobody takes a local
sandbox or a proxy for Fintoc. It follows the app's reactives, so screens
only need to compose it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from fintoc_tui.environments import FINTOC_BASE_URL, Environment
from fintoc_tui.ui.widgets.textual_leaks import drop_watchers

if TYPE_CHECKING:
    from fintoc_tui.ui.shell.app import FintocApp


def other_server(environment: Environment | None) -> str | None:
    """The base URL of test or live when it is not Fintoc's (the sandbox is never Fintoc)."""
    if environment is None or environment.name == "sandbox":
        return None
    url = environment.base_url
    return url if url and url != FINTOC_BASE_URL else None


class FintocHeader(Horizontal):
    """Composed by every mode screen; follows the app's reactives by itself."""

    app: FintocApp

    DEFAULT_CSS = """
    FintocHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    FintocHeader.-live {
        height: 2;
        border-top: outer $error;
        background: $error 15%;
    }
    FintocHeader > #app-name {
        width: auto;
        padding: 0 1;
        text-style: bold;
        color: $accent;
    }
    FintocHeader > #chip {
        width: auto;
        padding: 0 1;
        text-style: bold;
        background: $surface;
        color: $text-muted;
    }
    FintocHeader > #chip.-sandbox { background: #0f766e; color: #ffffff; }
    FintocHeader > #chip.-test { background: #d97706; color: #000000; }
    FintocHeader > #chip.-live { background: #dc2626; color: #ffffff; }
    FintocHeader > #organisation {
        width: 1fr;
        padding: 0 1;
        text-overflow: ellipsis;
        text-wrap: nowrap;
    }
    FintocHeader > #server {
        width: auto;
        padding: 0 1;
        text-style: bold;
        color: $text-warning;
    }
    FintocHeader > #key {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("fintoc-tui", id="app-name")
        yield Static("NO ENVIRONMENT", id="chip")
        yield Static("", id="organisation")
        yield Static("", id="server")
        yield Static("", id="key")

    def on_mount(self) -> None:
        self.watch(self.app, "environment", self._show, init=False)
        self.watch(self.app, "organisation", self._show, init=False)
        self.watch(self.app, "masked_key", self._show, init=False)
        self.watch(self.app, "connecting", self._show, init=False)
        self._show()

    def on_unmount(self) -> None:
        """Closed with its screen: leave the app's watcher lists, or they keep it alive."""
        drop_watchers(self.app, of=self)

    def _show(self, _: object = None) -> None:
        app = self.app
        environment = app.environment
        chip = self.query_one("#chip", Static)
        name = environment.name if environment is not None else ""
        for mode in ("sandbox", "test", "live"):
            chip.set_class(mode == name, f"-{mode}")
        self.set_class(name == "live", "-live")
        chip.update(environment.label if environment is not None else "NO ENVIRONMENT")
        organisation = app.organisation or ("connecting…" if app.connecting else "")
        self.query_one("#organisation", Static).update(Text(organisation))
        server = self.query_one("#server", Static)
        url = other_server(environment)
        server.display = url is not None
        server.update(Text(f"server {url}" if url else ""))
        key = app.masked_key
        self.query_one("#key", Static).update(Text(f"key {key}" if key else ""))
