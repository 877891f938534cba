"""The transfer form loads only what it shows: no module for another screen or a later step.

Checked in a fresh interpreter (this test process has imported everything
already). What each module costs in memory is measured by
`bench/bench_memory.py`, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

CODE = """
import json, sys
import fintoc_tui.ui.transfer.form_screen
print(json.dumps(sorted(
    m for m in sys.modules
    if m.split(".")[0] in ("keyring", "clabe", "stdnum", "cryptography")
    or m in ("textual.widgets._text_area", "textual.document")
)))
"""


def test_the_form_imports_no_text_area_keyring_or_check_digit_libraries():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
