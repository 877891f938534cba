"""Helpers for running the installed `fintoc-tui` against sandboxes (see conftest.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

FINTOC_TUI = str(Path(sys.executable).with_name("fintoc-tui"))
LIVE_KEY = "sk_live_cli0test0live0key0000000000"


@dataclass
class Sandbox:
    base_url: str
    secret_key: str
    jws_key_file: str
    process: subprocess.Popen[bytes] | None = None

    def get(self, path: str, **params: object) -> httpx.Response:
        with httpx.Client(base_url=self.base_url, headers={"Authorization": self.secret_key}) as c:
            return c.get(path, params=params or None)

    def all_transfers(self) -> list[dict]:
        found: list[dict] = []
        url: str | None = "/v2/transfers?limit=300"
        with httpx.Client(base_url=self.base_url, headers={"Authorization": self.secret_key}) as c:
            while url:
                response = c.get(url)
                response.raise_for_status()
                found += response.json()
                link = response.links.get("next", {}).get("url")
                url = link or None
        return found


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINTOC")}
    env["FINTOC_TUI_HOME"] = str(home)
    env["PYTHON_KEYRING_BACKEND"] = "fintoc_tui.keyring_memory.MemoryKeyring"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def start_sandbox(home: Path, *extra: str) -> Sandbox:
    env = clean_env(home)
    process = subprocess.Popen(
        [
            FINTOC_TUI,
            "sandbox",
            "--port",
            "0",
            "--announce-json",
            "--ephemeral",
            "--seed-transfers",
            "120",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.kill()
        raise RuntimeError("the sandbox did not announce itself")
    info = json.loads(line)
    return Sandbox(
        info["base_url"], info["secret_key"], info["jws_private_key_path"], process=process
    )


def stop(sandbox: Sandbox) -> None:
    if sandbox.process is not None and sandbox.process.poll() is None:
        sandbox.process.terminate()
        sandbox.process.wait(timeout=10)


def run_cli(
    args: list[str], env: dict[str, str], *, input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FINTOC_TUI, *args],
        env=env,
        capture_output=True,
        text=True,
        input=input if input is not None else "",
        timeout=timeout,
    )
