"""`screenshots/` shows the screens as they are now: each SVG equals a fresh shot of its scene.

A change to what a screen shows fails here until `python -m scripts.screenshots`
is run and its output committed (the README shows these files).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from scripts.screenshots import OUT, all_scenes, shoot

SCENES = [scene.name for scene in all_scenes()]
# The script's own fixed home, so paths on screen match; one folder per scene,
# emptied first, so parallel workers never share one.
HOME = Path(tempfile.gettempdir()) / "fintoc-tui-screenshots"


def test_every_scene_has_a_committed_screenshot():
    assert sorted(path.stem for path in OUT.glob("*.svg")) == sorted(SCENES)


@pytest.mark.parametrize("name", SCENES)
async def test_committed_screenshot_is_current(name, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "fintoc_tui.keyring_memory.MemoryKeyring")
    scene = next(s for s in all_scenes() if s.name == name)
    HOME.mkdir(mode=0o700, exist_ok=True)
    shutil.rmtree(HOME / name, ignore_errors=True)
    fresh = await shoot(scene, HOME)
    committed = (OUT / f"{name}.svg").read_text(encoding="utf-8")
    assert fresh == committed, f"screenshots/{name}.svg is stale: run python -m scripts.screenshots"
