"""An empty or error state: what happened, in bold, and what to do next."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StateMessage(Static):
    DEFAULT_CSS = """
    StateMessage {
        width: 1fr;
        height: auto;
        margin: 1 4;
        padding: 1 2;
        border: round $primary;
    }
    StateMessage.-auth, StateMessage.-bug, StateMessage.-api, StateMessage.-sandbox,
    StateMessage.-key, StateMessage.-keyring, StateMessage.-refused, StateMessage.-input,
    StateMessage.-file, StateMessage.-batch {
        border: round $error;
    }
    StateMessage.-network, StateMessage.-no_key, StateMessage.-unexpected,
    StateMessage.-rate_limit, StateMessage.-server, StateMessage.-unknown {
        border: round $warning;
    }
    """

    #: `problems.Problem.kind`, and "info".
    KINDS = (
        "info", "auth", "network", "api", "no_key", "no_environment", "sandbox", "bug",
        "key", "keyring", "refused", "input", "file", "batch",
        "unexpected", "rate_limit", "server", "unknown",
    )  # fmt: skip

    def show(self, title: str, advice: str, *, kind: str = "info") -> None:
        for name in self.KINDS:
            self.set_class(name == kind, f"-{name}")
        text = Text()
        text.append(title, style="bold")
        text.append("\n\n")
        text.append(advice)
        self.update(text)
