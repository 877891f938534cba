"""No command imports Textual: each runs in one fresh interpreter that then looks at sys.modules."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cli_helpers import clean_env

pytestmark = pytest.mark.e2e


def test_commands_never_import_textual(sandbox, home, tmp_path):
    where = ["--env", "sandbox", "--base-url", sandbox.base_url]
    runs = [
        ["accounts", "--json", *where],
        ["transfers", "list", "--limit", "3", *where],
        ["transfers", "export", str(tmp_path / "x.json"), *where],
        ["transfers", "create", "--from", "Cuenta MXN", "--to", "012180000000000015",
         "--amount", "1", "--yes", *where],
        ["doctor", "--json", *where],
        ["journal"],
        ["journal", "resolve", *where],
    ]  # fmt: skip
    code = (
        "import json, sys\n"
        "from fintoc_tui.cli import main\n"
        f"codes = [main(argv) for argv in {runs!r}]\n"
        "print(json.dumps({'codes': codes, 'textual': sorted(m for m in sys.modules"
        " if m == 'textual' or m.startswith(('textual.', 'fintoc_tui.ui')))}))\n"
    )
    env = clean_env(home, FINTOC_TEST_JWS_PRIVATE_KEY_FILE=sandbox.jws_key_file)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["codes"] == [0] * len(runs), out.stderr
    assert report["textual"] == []


@pytest.mark.parametrize(
    "module",
    [
        "fintoc_tui.transfer.draft",
        "fintoc_tui.transfer.restate",
        "fintoc_tui.sandbox_process",
        "fintoc_tui.commands.runner",
        "fintoc_tui.commands.create",
        "fintoc_tui.commands.doctor",
        "fintoc_tui.commands.journal",
        "fintoc_tui.commands.transfers",
        "fintoc_tui.commands.accounts",
    ],
)
def test_new_core_modules_do_not_import_textual(module):
    code = f"import sys, {module}; print([m for m in sys.modules if m.startswith(('textual', 'fintoc_tui.ui'))])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
