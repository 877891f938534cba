"""What counts as a narrow terminal, for every screen that lays out by width.

Below `NARROW_BELOW` cells (an 80x24 terminal, say) screens drop what shows
elsewhere — a currency column beside amounts that name it, a direction column
beside signed amounts, the mode keys in the footer — rather than cut what
matters.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

NARROW_BELOW = 100
"""Terminal widths under this many cells count as narrow."""


def is_narrow(app: App[Any]) -> bool:
    return app.size.width < NARROW_BELOW
