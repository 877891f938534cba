"""Placeholder so the mode resolves; the environment engineer owns and replaces this file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from fintoc_tui.ui.widgets.header import FintocHeader


class EnvironmentScreen(Screen):
    def compose(self) -> ComposeResult:
        yield FintocHeader()
        yield Static("Environment — not built yet.", id="placeholder")
        yield Footer()
