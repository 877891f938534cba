"""The new money paths (commands, batch, transfer/) pass the no-float scan as money modules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import fintoc_tui

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_no_float import find_float_money

PACKAGE = Path(fintoc_tui.__file__).parent
MODULES = sorted(
    [*PACKAGE.glob("batch/*.py"), *PACKAGE.glob("commands/*.py"), *PACKAGE.glob("transfer/*.py")]
)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_float_near_money(path):
    assert find_float_money(path.read_text(encoding="utf-8"), money_module=True) == []


def test_the_scan_would_catch_one():
    assert find_float_money("fee = amount * 0.01\n", money_module=True)
