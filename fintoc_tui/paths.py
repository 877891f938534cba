"""Where fintoc-tui keeps its files, via platformdirs.

`FINTOC_TUI_HOME`, when set, replaces every location with folders under it:
tests point it at a temporary directory, and a person can use it to keep
several independent setups.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "fintoc-tui"


def _home() -> Path | None:
    home = os.environ.get("FINTOC_TUI_HOME")
    return Path(home) if home else None


def data_dir() -> Path:
    home = _home()
    if home is not None:
        path = home / "data"
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


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
    path = data_dir() / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path
