"""The person's settings (config.toml, hand-written) and the app's memory (state.json).

`config.toml` lives in `paths.config_file()` and is only ever read:
`theme = "nord"` pins a theme, `[keys]` remaps bindings by id
(`accounts = "1,a"`). `state.json` in `paths.state_file()` is written by the
app: the last environment and the last theme picked in the app. A broken
file never stops the app; it becomes a warning shown once at start-up.
No Textual import here, so `run.py` can read the state before Textual loads.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from fintoc_tui import paths
from fintoc_tui.environments import ENVIRONMENT_NAMES, EnvironmentName


@dataclass
class UserConfig:
    """What config.toml says, already checked."""

    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    warnings: list[str] = field(default_factory=list)


class RememberedEnvironment(str):
    """An environment name read back from state.json, not chosen on this command line.

    A plain `str` everywhere, so callers that pass it on unchanged (run.py)
    need no change; the app checks the type and asks before reopening live.
    """

    __slots__ = ()


@dataclass
class AppState:
    """What the app remembers between runs."""

    environment: EnvironmentName | None = None
    theme: str | None = None


def load_config(path: Path | None = None, known_ids: set[str] | None = None) -> UserConfig:
    """Read config.toml; unknown ids and bad values become warnings, not errors."""
    path = path or paths.config_file()
    config = UserConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError) as exc:
        config.warnings.append(f"{path} was not read: {exc}")
        return config
    import tomllib  # only when there is a file: most people have none, and start-up counts

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        config.warnings.append(f"{path} was not read: {exc}")
        return config
    theme = raw.get("theme")
    if isinstance(theme, str) and theme.strip():
        config.theme = theme.strip()
    elif theme is not None:
        config.warnings.append(f"{path}: theme must be a theme name in quotes")
    keys = raw.get("keys", {})
    if not isinstance(keys, dict):
        config.warnings.append(f'{path}: [keys] must be a table of id = "keys"')
        keys = {}
    for binding_id, value in keys.items():
        if isinstance(value, list):
            value = ",".join(str(item) for item in value)
        if not isinstance(value, str) or not value.strip():
            config.warnings.append(f'{path}: keys.{binding_id} must be a string like "1,a"')
            continue
        if known_ids is not None and binding_id not in known_ids:
            config.warnings.append(f"{path}: keys.{binding_id} is not a known binding id")
            continue
        config.keys[binding_id] = ",".join(part.strip() for part in value.split(","))
    return config


def load_state(path: Path | None = None) -> AppState:
    path = path or paths.state_file()
    if path.exists():
        paths.private_file(path)  # 0600, even when an older version made it 0644
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return AppState()
    if not isinstance(raw, dict):
        return AppState()
    environment = raw.get("environment")
    theme = raw.get("theme")
    return AppState(
        environment=RememberedEnvironment(environment)  # type: ignore[arg-type]
        if environment in ENVIRONMENT_NAMES
        else None,
        theme=theme if isinstance(theme, str) else None,
    )


def save_state(state: AppState, path: Path | None = None) -> None:
    """Write atomically so a crash mid-write leaves the previous state."""
    path = path or paths.state_file()
    tmp = paths.private_file(path.with_suffix(".tmp"))  # 0600 before anything is written
    environment = str(state.environment) if state.environment else None
    tmp.write_text(
        json.dumps({"environment": environment, "theme": state.theme}, indent=2) + "\n",
        encoding="utf-8",
    )
    os.replace(tmp, path)


def remember(**changes: str | None) -> AppState:
    """Update some fields of state.json and return the new state."""
    state = load_state()
    for name, value in changes.items():
        setattr(state, name, value)
    save_state(state)
    return state
