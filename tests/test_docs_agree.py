"""What the user docs promise about the credential store is what the code does."""

from __future__ import annotations

from pathlib import Path

import pytest

from fintoc_tui.credentials import DEFAULT_TIMEOUT

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("doc", ["README.md", "docs/keys.md"])
def test_the_documented_keyring_timeout_is_the_default(doc):
    text = " ".join((ROOT / doc).read_text(encoding="utf-8").split())
    assert f"gives up after {DEFAULT_TIMEOUT:g} seconds" in text
