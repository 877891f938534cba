"""Snapshots of the Batch screen at 120x36: seeded sandbox, fixed clock, a relative file path.

The file is typed relative to the test's own folder (the working directory
here), so the pictures hold no temporary path.
"""

from __future__ import annotations

import uuid

import pytest
from batch_files import good_rows, write_batch
from textual.widgets import Input

SIZE = (120, 36)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def app(make_app):
    counter = iter(range(0xBA7C, 0xBA7C + 1000))
    return make_app(
        "sandbox", remember=False, idempotency_keys=lambda: str(uuid.UUID(int=next(counter)))
    )


async def to_batch(pilot, settle, path: str):
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    screen = pilot.app.screen
    screen.follow_seconds = 0
    field = screen.query_one("#batch-path", Input)
    field.value = path
    field.focus()
    await pilot.press("enter")
    await settle(pilot)
    for widget in screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()
    return screen


def test_snapshot_nothing_chosen_yet(snap_compare, app, settle):
    async def run(pilot):
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_snapshot_preview_before_the_one_confirmation(snap_compare, app, settle, tmp_path):
    write_batch(tmp_path / "payouts.csv", good_rows(mx=5, cl=2))

    async def run(pilot):
        await to_batch(pilot, settle, "payouts.csv")

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_snapshot_problems_by_row_and_column(snap_compare, app, settle, tmp_path):
    rows = good_rows(mx=4, cl=1)
    rows[0][3] = "012180000000000016"
    rows[2][2] = "12.345"
    rows[4][5] = "11.111.111-2"
    write_batch(tmp_path / "payouts.csv", rows)

    async def run(pilot):
        await to_batch(pilot, settle, "payouts.csv")

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_snapshot_sent_with_the_results_file(snap_compare, app, settle, tmp_path):
    write_batch(tmp_path / "payouts.csv", good_rows(mx=5, cl=2))

    async def run(pilot):
        await to_batch(pilot, settle, "payouts.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)
