"""What the export dialog says when the file cannot be written where the person asked.

The words come from `fintoc_tui.export.ExportError`; these tests check they
reach the dialog whole, readable in its 84 columns, and that nothing is left
behind.
"""

from __future__ import annotations

from textual.widgets import Input
from ui_helpers import screen_text, text_of

SIZE = (120, 36)


async def _open_export(app, pilot, settle) -> None:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("x")
    await pilot.pause()


def _status(app) -> str:
    return " ".join(text_of(app, "#export-status").split())


async def test_a_parent_that_is_a_file_is_named_on_the_dialog(make_app, settle, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    blocker = folder / "reports"
    blocker.write_text("not a folder")
    target = blocker / "transfers.csv"
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await _open_export(app, pilot, settle)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-start")
        await settle(pilot)
        assert _status(app) == (
            f"Could not write the file: {blocker} is a file, not a folder. Choose another folder."
        )
        # Wrapped on the dialog, every word is there; no errno, no "File exists".
        shown = " ".join(screen_text(app).split())
        assert "Choose another folder." in shown and "File exists" not in shown
    assert [p.name for p in folder.iterdir()] == ["reports"]


async def test_a_file_that_appears_while_exporting_is_kept_and_said(
    make_app, settle, tmp_path, monkeypatch
):
    """Someone else's file takes the name between the start and the end of the export."""
    from fintoc_tui import export

    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "transfers.csv"
    real_write = export.ExportWriter.write

    def write_then_collide(self: export.ExportWriter, transfers):
        count = real_write(self, transfers)
        if not target.exists():
            target.write_text("someone else's file")
        return count

    monkeypatch.setattr(export.ExportWriter, "write", write_then_collide)
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await _open_export(app, pilot, settle)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-start")
        await settle(pilot)
        assert _status(app) == (
            f"Could not write the file: {target} appeared while the export was running "
            "and was left as it was. Export again under another name."
        )
    assert target.read_text() == "someone else's file"
    assert [p.name for p in folder.iterdir()] == ["transfers.csv"]  # no temporary file
