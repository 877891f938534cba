"""The arrows point one way: nothing below ui/ imports Textual, the sandbox never imports the UI."""

import subprocess
import sys

import pytest

CORE_MODULES = [
    "fintoc_tui.money",
    "fintoc_tui.banking",
    "fintoc_tui.clock",
    "fintoc_tui.paths",
    "fintoc_tui.environments",
    "fintoc_tui.masking",
    "fintoc_tui.credentials",
    "fintoc_tui.journal",
    "fintoc_tui.api.models",
    "fintoc_tui.api.jws",
    "fintoc_tui.api.errors",
    "fintoc_tui.api.client",
    "fintoc_tui.api.submit",
    "fintoc_tui.api.prefetch",
    "fintoc_tui.testing.pty_run",
    "fintoc_tui.sandbox.app",
    "fintoc_tui.sandbox.magic",
]


def _imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    loaded = _imported_after(module)
    assert "textual" not in loaded
    assert not any(name.startswith("fintoc_tui.ui") for name in loaded)


def test_sandbox_does_not_import_the_client():
    loaded = _imported_after("fintoc_tui.sandbox.app")
    assert "fintoc_tui.api.client" not in loaded


def test_magic_table_is_cheap_to_import():
    """The app reads the magic counterparties at start-up: no web framework behind it."""
    loaded = _imported_after("fintoc_tui.sandbox.magic")
    assert "starlette" not in loaded and "pydantic" not in loaded
