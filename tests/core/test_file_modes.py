"""The data folder is 0700 and every file the app keeps there 0600, also when it already existed.

Files made by an older version (or by hand) as 0644/0755 are tightened when
they are next opened, not only new ones created private. The process umask
is set to the common 022 so nothing passes merely because this machine's
umask is strict.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from fintoc_tui import paths
from fintoc_tui.journal import Journal
from fintoc_tui.sandbox.store import SandboxStore
from fintoc_tui.ui.shell.config import AppState, load_state, save_state


@pytest.fixture(autouse=True)
def common_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _loose(path: Path, *, folder: bool = False) -> Path:
    """`path` as an older version left it: world-readable."""
    if folder:
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o755)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        path.chmod(0o644)
    return path


def test_the_data_folder_is_made_private_and_tightened(isolated_home):
    made = paths.data_dir()
    assert _mode(made) == 0o700
    assert _mode(paths.exports_dir()) == 0o700
    # Only the folder that is ours: its parents keep their usual mode.
    assert _mode(isolated_home) == 0o755

    made.chmod(0o755)
    paths.exports_dir().chmod(0o775)
    assert _mode(paths.data_dir()) == 0o700
    assert _mode(paths.exports_dir()) == 0o700


def test_private_file_creates_0600_and_tightens_without_touching_the_content(tmp_path):
    new = paths.private_file(tmp_path / "new.txt")
    assert _mode(new) == 0o600 and new.read_bytes() == b""

    old = _loose(tmp_path / "old.txt")
    old.write_text("kept")
    assert paths.private_file(old) == old
    assert _mode(old) == 0o600 and old.read_text() == "kept"

    group_only = _loose(tmp_path / "group.txt")
    group_only.chmod(0o620)
    paths.private_file(group_only)
    assert _mode(group_only) == 0o600

    # Already private (even stricter): left as it is.
    strict = tmp_path / "strict.txt"
    strict.touch()
    strict.chmod(0o400)
    paths.private_file(strict)
    assert _mode(strict) == 0o400


def test_private_database_tightens_sqlites_side_files(tmp_path):
    db = _loose(tmp_path / "x.sqlite3")
    for suffix in ("-wal", "-shm", "-journal"):
        _loose(tmp_path / f"x.sqlite3{suffix}")
    paths.private_database(db)
    assert {p.name: _mode(p) for p in tmp_path.iterdir()} == {
        "x.sqlite3": 0o600,
        "x.sqlite3-wal": 0o600,
        "x.sqlite3-shm": 0o600,
        "x.sqlite3-journal": 0o600,
    }
    # Side files that do not exist are not created.
    paths.private_database(tmp_path / "y.sqlite3")
    assert sorted(p.name for p in tmp_path.glob("y.*")) == ["y.sqlite3"]


def test_the_journal_is_0600_new_and_tightened_when_it_existed_0644(isolated_home):
    Journal().close()
    journal = paths.journal_file()
    assert _mode(journal) == 0o600

    # As an older version (or a crash with the WAL still there) left it.
    journal.chmod(0o644)
    wal = _loose(journal.with_name(journal.name + "-wal"))
    paths.data_dir().chmod(0o755)
    reopened = Journal()
    try:
        assert _mode(paths.data_dir()) == 0o700
        assert _mode(journal) == 0o600
        assert _mode(wal) == 0o600
    finally:
        reopened.close()


def test_the_sandbox_state_is_0600_new_and_tightened(tmp_path):
    fresh = SandboxStore(tmp_path / "new.sqlite3")
    assert _mode(tmp_path / "new.sqlite3") == 0o600
    fresh.close()

    old = _loose(tmp_path / "old.sqlite3")
    _loose(tmp_path / "old.sqlite3-wal")
    store = SandboxStore(old)
    assert _mode(old) == 0o600
    assert _mode(tmp_path / "old.sqlite3-wal") == 0o600
    store.close()


def test_state_json_is_written_0600_and_tightened_when_read(isolated_home):
    save_state(AppState(environment="sandbox"))
    state = paths.state_file()
    assert _mode(state) == 0o600

    state.chmod(0o644)
    assert load_state().environment == "sandbox"
    assert _mode(state) == 0o600

    # A leftover temporary file from a crash mid-write is tightened before reuse.
    leftover = _loose(state.with_suffix(".tmp"))
    state.chmod(0o644)
    save_state(AppState(environment="test"))
    assert _mode(state) == 0o600
    assert not leftover.exists()


def test_reading_a_missing_state_file_creates_nothing(isolated_home):
    assert load_state().environment is None
    assert not paths.state_file().exists()
