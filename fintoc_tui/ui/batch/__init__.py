"""Batch payouts from a CSV file: the TUI's face of `fintoc_tui.batch` (as `fintoc-tui batch` is)."""
