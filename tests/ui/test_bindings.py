"""Every key binding in the UI has an id and is listed in bindings.SECTIONS (help, remapping)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import fintoc_tui.ui
from fintoc_tui.ui import bindings, config


def ui_classes() -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    for module_info in pkgutil.walk_packages(fintoc_tui.ui.__path__, "fintoc_tui.ui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def declared(cls: type[DOMNode]) -> list[Binding]:
    return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


def test_the_walk_finds_the_screens():
    names = {cls.__name__ for cls in ui_classes()}
    assert {"FintocApp", "HistoryScreen", "TransferFormScreen", "JournalRecoveryScreen"} <= names


def test_every_binding_has_an_id_and_a_section():
    listed = {id(binding) for section in bindings.SECTIONS.values() for binding in section}
    problems = []
    for cls in ui_classes():
        for binding in declared(cls):
            if not binding.id:
                problems.append(f"{cls.__name__}: {binding.key} -> {binding.action} has no id")
            elif id(binding) not in listed:
                problems.append(f"{cls.__name__}: {binding.id} is not in bindings.SECTIONS")
    assert problems == []


def test_one_id_one_meaning():
    """Two bindings may share an id only when they do the same thing (same keys, action)."""
    seen: dict[str, Binding] = {}
    for section in bindings.SECTIONS.values():
        for binding in section:
            first = seen.setdefault(binding.id or "", binding)
            assert (first.key, first.action) == (binding.key, binding.action), binding.id


def test_screen_bindings_can_be_remapped_from_the_config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[keys]\n"history.export" = "X"\ntransfer_review = "f5"\njournal_recovery_discard = "D"\n'
    )
    loaded = config.load_config(path, known_ids=bindings.binding_ids())
    assert loaded.warnings == []
    assert loaded.keys == {
        "history.export": "X",
        "transfer_review": "f5",
        "journal_recovery_discard": "D",
    }


async def test_remapped_history_key_works(make_app, settle, tmp_path):
    from fintoc_tui.ui.screens.history_export import HistoryExportDialog

    user = config.UserConfig(keys={"history.export": "X"})
    app = make_app("sandbox", user_config=user)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, HistoryExportDialog)
        await pilot.press("X")
        await settle(pilot)
        assert isinstance(app.screen, HistoryExportDialog)
