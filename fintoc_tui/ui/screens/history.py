"""Placeholder so the mode resolves; the history engineer owns and replaces this file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from fintoc_tui.ui.widgets.header import FintocHeader


class HistoryScreen(Screen):
    def compose(self) -> ComposeResult:
        yield FintocHeader()
        yield Static("History — not built yet.", id="placeholder")
        yield Footer()
