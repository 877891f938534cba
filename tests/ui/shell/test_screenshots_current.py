"""`screenshots/` shows the screens as they are now: each SVG equals a fresh shot of its scene.

A change to what a screen shows fails here until `python -m scripts.screenshots`
is run and its output committed (the README shows these files).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from scripts.screenshots import OUT, SCRIPT_HOME, Scene, all_scenes, shoot

SCENES = [scene.name for scene in all_scenes()]


def test_every_scene_has_a_committed_screenshot():
    assert sorted(path.stem for path in OUT.glob("*.svg")) == sorted(SCENES)


@contextmanager
def scene_home(scene: Scene, tmp_path: Path) -> Iterator[Path]:
    """Where to shoot `scene`: the test's own tmp dir, unless its picture shows the path.

    Such a scene is shot where the script shoots it (the committed picture
    shows that path), in a folder of its own, which is removed afterwards.
    """
    if not scene.shows_home:
        yield tmp_path
        return
    SCRIPT_HOME.mkdir(mode=0o700, exist_ok=True)
    shutil.rmtree(SCRIPT_HOME / scene.name, ignore_errors=True)
    try:
        yield SCRIPT_HOME
    finally:
        shutil.rmtree(SCRIPT_HOME / scene.name, ignore_errors=True)
        with suppress(OSError):
            SCRIPT_HOME.rmdir()  # only when nothing else is in it


@pytest.mark.parametrize("name", SCENES)
async def test_committed_screenshot_is_current(name, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "fintoc_tui.keyring_memory.MemoryKeyring")
    scene = next(s for s in all_scenes() if s.name == name)
    with scene_home(scene, tmp_path) as home:
        fresh = await shoot(scene, home)
    committed = (OUT / f"{name}.svg").read_text(encoding="utf-8")
    assert fresh == committed, f"screenshots/{name}.svg is stale: run python -m scripts.screenshots"


def test_only_a_scene_that_shows_its_home_is_shot_outside_tmp_path(tmp_path):
    """The fixed path is the exception: every other scene leaves nothing outside tmp_path."""
    showing = [s.name for s in all_scenes() if s.shows_home]
    assert sorted(showing) == [
        "batch-preview",
        "batch-problems",
        "batch-sent",
        "environment-jws-generated",
        "transfer-receipt",
    ]
    for svg in OUT.glob("*.svg"):
        shows_path = SCRIPT_HOME.name in svg.read_text(encoding="utf-8")
        assert shows_path == (svg.stem in showing), svg.name
