"""The help screen: every id readable at any width, and a footer that says where config.toml is."""

from __future__ import annotations

import sys

import pytest
from textual.widgets import DataTable

from fintoc_tui.ui.shell.help import HelpScreen, config_path_hint


async def open_help(app, pilot, settle) -> HelpScreen:
    await settle(pilot)
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    return app.screen


def assert_every_id_fits(help_screen: HelpScreen) -> None:
    """No id is cut and the table never needs scrolling sideways to show one."""
    table = help_screen.query_one(DataTable)
    id_column = table.ordered_columns[3]
    ids = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
    assert "transfer_detail.copy_tracking_key" in ids  # the longest one today
    assert id_column.width >= max(len(i) for i in ids)
    assert table.max_scroll_x == 0, (table.virtual_size, table.scrollable_content_region)


@pytest.mark.parametrize("size", [(120, 36), (100, 30), (80, 24)])
async def test_every_id_is_readable(make_app, settle, size):
    app = make_app("sandbox")
    async with app.run_test(size=size) as pilot:
        assert_every_id_fits(await open_help(app, pilot, settle))


async def test_narrowing_the_terminal_wraps_descriptions_not_ids(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=(120, 36)) as pilot:
        help_screen = await open_help(app, pilot, settle)
        table = help_screen.query_one(DataTable)
        wide = [column.width for column in table.ordered_columns]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = [column.width for column in table.ordered_columns]
        assert narrow[3] == wide[3]  # the Id column keeps its width
        assert narrow[2] < wide[2]  # "Does" wraps instead
        assert_every_id_fits(help_screen)


async def test_footer_keeps_the_brackets_and_names_the_file(make_app, settle):
    app = make_app("sandbox")
    async with app.run_test(size=(120, 36)) as pilot:
        help_screen = await open_help(app, pilot, settle)
        footer = " ".join(str(help_screen.query_one("#help-config").render()).split())
        assert "under [keys] in $FINTOC_TUI_HOME/config/config.toml, e.g." in footer
        assert 'accounts = "1,a"' in footer


@pytest.mark.skipif(sys.platform != "linux", reason="platformdirs' Linux layout")
def test_without_fintoc_tui_home_the_real_path_is_shown(monkeypatch, tmp_path):
    monkeypatch.delenv("FINTOC_TUI_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config_path_hint() == "~/.config/fintoc-tui/config.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path.parent / "elsewhere"))
    assert config_path_hint() == str(tmp_path.parent / "elsewhere/fintoc-tui/config.toml")


@pytest.mark.skipif(sys.platform != "linux", reason="platformdirs' Linux layout")
def test_a_path_that_looks_like_a_key_is_masked(monkeypatch, tmp_path):
    key = "sk_live_" + "N0tInAPath0000000000"
    monkeypatch.delenv("FINTOC_TUI_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / key))
    hint = config_path_hint()
    assert key not in hint and "sk_live_…" in hint
