"""fintoc-tui: a terminal app for Fintoc's Transfers API (v2).

Kept import-free on purpose: `fintoc-tui --version` reads `__version__`
without pulling in Textual, httpx or pydantic.
"""

__version__ = "0.1.0"
USER_AGENT = f"fintoc-tui/{__version__}"
"""Sent on every request to Fintoc or the sandbox."""
