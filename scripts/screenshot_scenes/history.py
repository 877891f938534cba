"""Screenshots of the transfer history: the list, filters, search, detail, dialogs, states.

No export scene: its dialog shows a path under a temporary home and the
current time, which would change the picture on every run.
"""

from __future__ import annotations

from scripts.screenshots import Scene, settle


async def _history(pilot, stage) -> None:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)


async def _filtered(pilot, stage) -> None:
    from fintoc_tui.ui.history.filters import HistoryFilters

    await _history(pilot, stage)
    pilot.app.screen.set_filters(HistoryFilters(status="succeeded", direction="outbound"))
    await settle(pilot)


async def _filter_dialog(pilot, stage) -> None:
    from textual.widgets import Select

    await _history(pilot, stage)
    await pilot.press("f")
    await settle(pilot)
    pilot.app.screen.query_one("#filter-status", Select).value = "pending"


async def _search(pilot, stage) -> None:
    await _history(pilot, stage)
    await pilot.press("slash", *"pago")
    await pilot.pause()


async def _detail(pilot, stage) -> None:
    await _history(pilot, stage)
    await pilot.press("down", "enter")
    await settle(pilot)


def _seeded(stage, sql: str) -> str:
    with stage.store.reading() as db:
        (found,) = db.execute(sql).fetchone()
    return str(found)


async def _detail_of(pilot, stage, sql: str) -> None:
    """Over the history, the detail of the seeded transfer `sql` selects (its id)."""
    from fintoc_tui.ui.history.transfer_detail_screen import TransferDetailScreen

    await _history(pilot, stage)
    pilot.app.push_screen(TransferDetailScreen(_seeded(stage, sql)))
    await settle(pilot)


async def _detail_chile(pilot, stage) -> None:
    await _detail_of(
        pilot,
        stage,
        "SELECT id FROM transfers WHERE currency = 'CLP' AND status = 'succeeded' "
        "ORDER BY seq DESC LIMIT 1",
    )


async def _detail_return_failed(pilot, stage) -> None:
    await _detail_of(
        pilot,
        stage,
        "SELECT resource_id FROM movements WHERE direction = 'inbound' "
        "AND json_extract(data, '$.type') = 'transfer_return' AND resource_id IN "
        "(SELECT id FROM transfers WHERE direction = 'inbound') ORDER BY seq LIMIT 1",
    )


async def _receipt(pilot, stage) -> None:
    await _detail_of(
        pilot,
        stage,
        "SELECT id FROM transfers WHERE currency = 'MXN' AND status = 'succeeded' "
        "AND direction = 'outbound' ORDER BY seq DESC LIMIT 1",
    )
    await pilot.press("d")
    await settle(pilot)


async def _simulate(pilot, stage) -> None:
    from textual.widgets import Input

    await _history(pilot, stage)
    await pilot.press("i")
    await settle(pilot)
    pilot.app.screen.query_one("#simulate-amount", Input).value = "1,250.00"
    pilot.app.screen.query_one("#simulate-comment", Input).value = "Pago pedido 4471"


async def _empty(pilot, stage) -> None:
    from fintoc_tui.ui.history.filters import HistoryFilters

    await _history(pilot, stage)
    pilot.app.screen.set_filters(HistoryFilters(direction="inbound", status="rejected"))
    await settle(pilot)


async def _offline(pilot, stage) -> None:
    await settle(pilot)
    stage.transport.offline = True
    await pilot.press("3")
    await settle(pilot)


SCENES = [
    Scene("history", _history, description="every transfer, newest first, paged as you scroll"),
    Scene("history-filtered", _filtered, description="API filters: outbound, succeeded"),
    Scene("history-filter-dialog", _filter_dialog, description="f: the filter dialog"),
    Scene("history-search", _search, description="/: local search over what is loaded"),
    Scene("transfer-detail", _detail, description="enter: every field of a transfer"),
    Scene(
        "transfer-detail-chile",
        _detail_chile,
        description="a Chilean transfer: no reference, tracking key or receipt, said so",
    ),
    Scene(
        "transfer-detail-return-failed",
        _detail_return_failed,
        description="an inbound transfer whose return failed: succeeded again, and why",
    ),
    Scene(
        "transfer-receipt",
        _receipt,
        description="d: the receipt PDF saved in the exports folder, and where",
        shows_home=True,
    ),
    Scene("history-simulate", _simulate, description="i: simulate an incoming transfer"),
    Scene("history-empty", _empty, description="no transfer matches the filters"),
    Scene("history-offline", _offline, description="the history could not load"),
]
