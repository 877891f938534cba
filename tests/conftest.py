"""Isolation for every test: a private FINTOC_TUI_HOME and no inherited keys."""

from __future__ import annotations

import os

import pytest

_FINTOC_VARS = [name for name in os.environ if name.startswith("FINTOC")]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    for name in _FINTOC_VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "fintoc-home"
    monkeypatch.setenv("FINTOC_TUI_HOME", str(home))
    return home
