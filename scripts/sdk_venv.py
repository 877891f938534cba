"""The official `fintoc` SDK in its own venv, for tests/sandbox/test_official_sdk.py.

    .venv/bin/python -m scripts.sdk_venv     # build it once (needs PyPI); then cached

The SDK pins an old `cryptography`, so it cannot share the project's venv. It
is built here, by `scripts/test` and `.ci/run` before any test runs, so the
test suite itself never installs anything or needs the network; the test
fails with this command in its message when the venv is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SDK_VERSION = "2.26.0"
# fintoc 2.26.0 allows httpx<1.0, but its paginator follows `Link` with
# `httpx.Request(url, params={})`, and from httpx 0.28 an empty `params` wipes
# the URL's query: page 2 onwards would drop the cursor and loop forever (the
# same against the real API). httpx 0.27 is what the SDK was written against.
SDK_HTTPX = "0.27.2"
CACHE = (
    Path(__file__).resolve().parents[1] / ".cache" / f"fintoc-sdk-{SDK_VERSION}-httpx{SDK_HTTPX}"
)
PYTHON = CACHE / "bin" / "python"
_READY = CACHE / ".ready"


def ready() -> bool:
    """True once the venv was built completely (a half-built one is rebuilt)."""
    return _READY.exists() and PYTHON.exists()


def build() -> Path:
    """Make the venv if it is not ready; returns its interpreter."""
    if ready():
        return PYTHON
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(CACHE)], check=True, timeout=300)
    subprocess.run(
        [
            str(PYTHON),
            "-m",
            "pip",
            "install",
            "-q",
            f"fintoc=={SDK_VERSION}",
            f"httpx=={SDK_HTTPX}",
        ],
        check=True,
        timeout=600,
    )
    _READY.write_text(f"{SDK_VERSION} {SDK_HTTPX}")
    return PYTHON


if __name__ == "__main__":
    print(build())
