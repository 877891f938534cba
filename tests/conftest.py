"""Isolation for every test: a private FINTOC_TUI_HOME and no inherited keys; no hypothesis deadline."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# No per-example deadline: it is a timed assertion, and on two shared cores
# an oracle call (Babel) can take 0.5 s. Speed is measured in bench/.
settings.register_profile("fintoc", deadline=None)
settings.load_profile("fintoc")

_FINTOC_VARS = [name for name in os.environ if name.startswith("FINTOC")]

# No test may reach a real keyring: with keyrings.alt in the test extra, keyring's
# own default here would be an unencrypted file in the real home folder.
os.environ["PYTHON_KEYRING_BACKEND"] = "fintoc_tui.keyring_memory.MemoryKeyring"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    for name in _FINTOC_VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "fintoc-home"
    monkeypatch.setenv("FINTOC_TUI_HOME", str(home))
    return home
