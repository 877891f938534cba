"""The arrows point one way.

Nothing below ui/ imports Textual, and the sandbox never imports the UI (both
checked by importing in a subprocess). Inside `fintoc_tui/` there is no
import cycle, function-level imports included; a UI feature (a folder under
`ui/` other than `shell/` and `widgets/`) never imports another feature's
screens; only the navigator imports a full screen; what the features share
(`ui/widgets/`, `ui/messages.py`) imports no feature. Those are read from the
source (`ast`), so an import hidden inside a function counts; imports under
`if TYPE_CHECKING:` never run and do not count. A module over 400 lines says
why at its top.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import fintoc_tui

PACKAGE = Path(fintoc_tui.__file__).parent
UI = "fintoc_tui.ui"
SHARED_FOLDERS = {"shell", "widgets"}
NAVIGATOR = "fintoc_tui.ui.shell.navigator"
LONG = 400
LONG_REASON = "Long module:"

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


# --- reading the imports from the source ----------------------------------------------------


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module under `root` by dotted name (a package by its `__init__`)."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_time_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: anywhere, except under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _with_parents(name: str, known: dict[str, Path]) -> set[str]:
    """`a.b.c` imports `a` and `a.b` first: every known package on the way counts."""
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)} & known.keys()


def imports_of(module: str, known: dict[str, Path]) -> set[str]:
    """The modules of `known` that `module` imports when it runs (any depth in the code)."""
    path = known[module]
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    targets: set[str] = set()
    for node in _run_time_imports(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                targets |= _with_parents(alias.name, known)
            continue
        base = node.module or ""
        if node.level:
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        targets |= _with_parents(base, known)
        for alias in node.names:
            if f"{base}.{alias.name}" in known:
                targets.add(f"{base}.{alias.name}")
    targets.discard(module)
    return targets


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    known = module_files(root, package)
    return {module: imports_of(module, known) for module in known}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return list(error.args[1])
    return None


GRAPH = import_graph(PACKAGE, "fintoc_tui")


def feature_of(module: str) -> str | None:
    """`accounts` for `fintoc_tui.ui.accounts.x`; None outside the feature folders."""
    parts = module.split(".")
    if module.startswith(UI + ".") and len(parts) > 3 and parts[2] not in SHARED_FOLDERS:
        return parts[2]
    return None


def screens_in(module: str) -> list[type]:
    """The Screen classes `module` defines (ModalScreen, a dialog, included)."""
    from textual.screen import Screen

    loaded = importlib.import_module(module)
    return [
        cls
        for _, cls in inspect.getmembers(loaded, inspect.isclass)
        if issubclass(cls, Screen) and cls.__module__ == module
    ]


UI_MODULES = sorted(m for m in GRAPH if m.startswith(UI + "."))
SCREEN_MODULES = {m for m in UI_MODULES if screens_in(m)}


def full_screens(module: str) -> list[type]:
    from textual.screen import ModalScreen

    return [cls for cls in screens_in(module) if not issubclass(cls, ModalScreen)]


FULL_SCREEN_MODULES = {m for m in SCREEN_MODULES if full_screens(m)}


# --- the finder itself sees what it should -------------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def test_the_cycle_finder_sees_a_cycle_hidden_in_a_function(tmp_path):
    root = _package(
        tmp_path,
        {
            "a.py": "def later():\n    from pkg import b\n",
            "b.py": "from pkg.a import later\n",
        },
    )
    cycle = find_cycle(import_graph(root, "pkg"))
    assert cycle is not None and {"pkg.a", "pkg.b"} <= set(cycle)


def test_the_cycle_finder_ignores_type_checking_imports(tmp_path):
    root = _package(
        tmp_path,
        {
            "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import b\n",
            "b.py": "from . import a\n",
        },
    )
    graph = import_graph(root, "pkg")
    assert graph["pkg.b"] == {"pkg", "pkg.a"}
    assert find_cycle(graph) is None


def test_the_walk_finds_every_feature_and_its_screens():
    features = {feature_of(m) for m in UI_MODULES} - {None}
    assert {"accounts", "transfer", "history", "environment"} <= features
    assert "fintoc_tui.ui.transfer.form_screen" in FULL_SCREEN_MODULES
    assert "fintoc_tui.ui.history.filter_dialog" in SCREEN_MODULES - FULL_SCREEN_MODULES
    assert "fintoc_tui.ui.transfer.draft" not in SCREEN_MODULES
    # A function-level import is an edge (the form's journal dialog, through the navigator).
    assert "fintoc_tui.ui.transfer.journal_recovery" in GRAPH[NAVIGATOR]


# --- the rules -------------------------------------------------------------------------------


def test_no_import_cycle_in_the_package():
    cycle = find_cycle(GRAPH)
    assert cycle is None, f"import cycle: {' -> '.join(cycle or [])}"


def test_a_feature_never_imports_another_features_screens():
    crossings = [
        f"{module} imports {target}"
        for module in UI_MODULES
        if feature_of(module)
        for target in GRAPH[module]
        if target in SCREEN_MODULES and feature_of(target) not in (None, feature_of(module))
    ]
    assert crossings == []


def test_only_the_navigator_imports_a_full_screen():
    """Screens never import sibling screens: they ask `app.navigator`, which loads them lazily."""
    importers = [
        f"{module} imports {target}"
        for module in GRAPH
        if module != NAVIGATOR
        for target in GRAPH[module]
        if target in FULL_SCREEN_MODULES
    ]
    assert importers == []


def test_a_dialog_is_imported_only_by_its_own_feature_or_the_navigator():
    # A feature's dialogs; the ones in ui/widgets (the yes/no question) are shared by design.
    dialogs = {m for m in SCREEN_MODULES - FULL_SCREEN_MODULES if not m.startswith(f"{UI}.widgets")}
    assert f"{UI}.accounts.account_number_dialog" in dialogs
    strangers = [
        f"{module} imports {target}"
        for module in GRAPH
        if module != NAVIGATOR
        for target in GRAPH[module]
        if target in dialogs and module.rsplit(".", 1)[0] != target.rsplit(".", 1)[0]
    ]
    assert strangers == []


def test_what_the_features_share_imports_no_feature():
    shared = [m for m in UI_MODULES if m.startswith(f"{UI}.widgets") or m == f"{UI}.messages"]
    assert f"{UI}.widgets.cells" in shared
    leaks = [f"{m} imports {t}" for m in shared for t in GRAPH[m] if feature_of(t)]
    assert leaks == []


def test_a_long_module_says_why_at_its_top():
    silent = []
    for module, path in module_files(PACKAGE, "fintoc_tui").items():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > LONG and LONG_REASON not in "\n".join(lines[:30]):
            silent.append(f"{module}: {len(lines)} lines")
    assert silent == [], f"over {LONG} lines without a {LONG_REASON!r} line at the top"


# --- Textual stays in ui/ --------------------------------------------------------------------


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
