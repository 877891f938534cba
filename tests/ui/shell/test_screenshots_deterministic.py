"""The screenshot script gives byte-identical SVGs run after run.

(`shoot` itself checks every picture for the secrets its scene used.)
"""

from __future__ import annotations

import shutil

import pytest

from scripts.screenshots import all_scenes, shoot

# The scenes that used to differ: a fresh JWS key, idempotency keys, tmp paths.
SCENES = ["environment", "environment-jws-generated", "transfer-result"]


@pytest.mark.parametrize("name", SCENES)
async def test_scene_is_the_same_twice(name, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "fintoc_tui.keyring_memory.MemoryKeyring")
    scene = next(s for s in all_scenes() if s.name == name)
    home = tmp_path / "shots"
    home.mkdir()
    first = await shoot(scene, home)
    shutil.rmtree(home / name)  # the script empties its fixed home before each run
    second = await shoot(scene, home)
    assert first == second
