"""Every key binding in the UI has an id and is listed in bindings.SECTIONS (help, remapping)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import tomllib
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

import fintoc_tui.ui
from fintoc_tui.ui.shell import bindings, config


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
    from fintoc_tui.ui.history.export_dialog import HistoryExportDialog

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


# -- docs/keys-and-config.md tells the truth about the ids and its example ------------------

DOC = Path(__file__).resolve().parents[3] / "docs" / "keys-and-config.md"
#: How the doc's "default keys" column spells keys that Textual names differently.
DOC_KEY_NAMES = {"?": "question_mark", "/": "slash"}


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def doc_example() -> str:
    """The ```toml block under "## config.toml"."""
    match = re.search(r"```toml\n(.*?)```", doc_text(), re.S)
    assert match, "docs/keys-and-config.md has no toml example"
    return match.group(1)


def doc_key(key: str) -> str:
    """`?` -> question_mark, `F1` -> f1; `R` stays `R` (shift+r is a different key)."""
    return DOC_KEY_NAMES.get(key, key.lower() if re.fullmatch(r"F\d+", key) else key)


def doc_table() -> dict[str, list[str]]:
    """id -> default keys, from the "Binding ids" table."""
    section = doc_text().split("## Binding ids", 1)[1]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", section, re.M)
    return {
        binding_id: [doc_key(key) for key in re.findall(r"`([^`]+)`", keys)]
        for binding_id, keys in rows
    }


def collisions(keymap: dict[str, str]) -> set[tuple[str, str, frozenset[str]]]:
    """(section, key, ids) where one key means two actions on one screen.

    A global binding counts on every screen, so remapping one onto a key a screen
    already uses is a collision there (the screen's binding wins).
    """
    global_bindings = bindings.SECTIONS["Everywhere"]
    found = set()
    for section, section_bindings in bindings.SECTIONS.items():
        meaning: dict[str, dict[str, str]] = {}
        for binding in [*global_bindings, *section_bindings]:
            for key in bindings.effective_keys(binding, keymap):
                meaning.setdefault(key, {})[binding.action] = binding.id or ""
        for key, actions in meaning.items():
            if len(actions) > 1:
                found.add((section, key, frozenset(actions.values())))
    return found


def test_the_doc_lists_every_binding_id_and_no_other():
    table = doc_table()
    assert set(table) - bindings.binding_ids() == set()  # no id the app does not have
    assert bindings.binding_ids() - set(table) == set()  # no binding left undocumented


def test_the_doc_gives_the_real_default_keys():
    table = doc_table()
    wrong = {
        binding.id: (table[binding.id], bindings.effective_keys(binding, {}))
        for binding in bindings.all_bindings()
        if binding.id in table and table[binding.id] != bindings.effective_keys(binding, {})
    }
    assert wrong == {}


def test_the_doc_example_loads_cleanly_and_collides_with_nothing(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(doc_example(), encoding="utf-8")
    loaded = config.load_config(path, known_ids=bindings.binding_ids())
    assert loaded.warnings == []
    remapped = tomllib.loads(doc_example())["keys"]
    assert set(remapped) <= bindings.binding_ids()
    assert loaded.keys == remapped
    # Only collisions the defaults already have (help's own q/?/f1 closing it, ...).
    assert collisions(loaded.keys) - collisions({}) == set()


def test_the_collision_check_catches_the_old_example():
    """`environment = "e,f2"` (the doc's old example) lands on the screens' f2 (send)."""
    new = collisions({"environment": "e,f2"}) - collisions({})
    assert {section for section, key, _ in new if key == "f2"} == {
        "Transfer form",
        "Transfer confirm",
        "Batch",
    }
