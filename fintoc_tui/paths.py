"""Where fintoc-tui keeps its files, via platformdirs.

`FINTOC_TUI_HOME`, when set, replaces every location with folders under it:
tests point it at a temporary directory, and a person can use it to keep
several independent setups.

The data folder holds the journal (counterparty names and account numbers),
the sandbox's state and log, the demo JWS key and exports, so it is private:
`private_dir` makes it 0700 and `private_file` / `private_database` make each
file 0600. Both tighten what already exists (a folder made 0755 or a journal
made 0644 by an older version), not only what they create.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

APP_NAME = "fintoc-tui"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
"""What SQLite writes beside a database; it copies the database's mode, so an
old 0644 database keeps making 0644 side files until those are tightened too."""

log = logging.getLogger(__name__)


def _tighten(path: Path, mode: int) -> None:
    """chmod `path` to `mode` if others can reach it. A folder we do not own
    (say, made by root) cannot be changed: that is logged, not fatal."""
    try:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(mode)
    except FileNotFoundError:
        return
    except OSError as exc:
        log.warning("could not make %s private (%s)", path, exc.strerror)


def private_dir(path: Path) -> Path:
    """Make `path` (and any missing parents) and leave `path` itself 0700.

    Parents keep their usual mode: only the folder we own is tightened.
    """
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600 if it is missing, else tighten it to 0600.

    Created with the mode (never a moment readable by others); its folder
    must exist.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        _tighten(path, PRIVATE_FILE_MODE)
    else:
        os.close(fd)
    return path


def private_database(path: Path) -> Path:
    """`private_file` for an SQLite database and its existing -wal/-shm/-journal files."""
    private_file(path)
    for suffix in SQLITE_SIDE_FILES:
        _tighten(path.with_name(path.name + suffix), PRIVATE_FILE_MODE)
    return path


def _home() -> Path | None:
    home = os.environ.get("FINTOC_TUI_HOME")
    return Path(home) if home else None


def data_dir() -> Path:
    """The app's private folder (0700)."""
    home = _home()
    if home is not None:
        path = home / "data"
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    return private_dir(path)


def config_dir() -> Path:
    home = _home()
    if home is not None:
        path = home / "config"
    else:
        from platformdirs import user_config_path

        path = user_config_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_file() -> Path:
    """User settings: key remapping, theme, last environment (TOML)."""
    return config_dir() / "config.toml"


def state_file() -> Path:
    """Small app state the person did not write by hand (last environment, theme)."""
    return data_dir() / "state.json"


def journal_file() -> Path:
    """SQLite journal of transfers in flight."""
    return data_dir() / "journal.sqlite3"


def sandbox_state_file() -> Path:
    """SQLite state of the local sandbox."""
    return data_dir() / "sandbox.sqlite3"


def sandbox_jws_key_file() -> Path:
    """The sandbox's demo JWS private key (mode 0600), made on first run."""
    return data_dir() / "sandbox_jws_private_key.pem"


def exports_dir() -> Path:
    """Default folder for history exports."""
    return private_dir(data_dir() / "exports")
