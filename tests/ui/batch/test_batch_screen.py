"""The Batch screen against the real sandbox in process: validate, preview, confirm, send, resume.

Every test drives the app by keys and widgets as a person would (Pilot) and
checks the sandbox's own store: what was paid, and how many times.
"""

from __future__ import annotations

import asyncio
import csv
import json

import httpx
import pytest
from batch_files import cl_row, good_rows, mx_row, screen_lines, write_batch
from textual.widgets import Button, Checkbox, DataTable, Input, ProgressBar
from ui_helpers import open_mode, text_of

from fintoc_tui.environments import Environment
from fintoc_tui.ui.batch.batch_screen import BatchScreen
from fintoc_tui.ui.transfer.journal_recovery import JournalRecoveryScreen
from fintoc_tui.ui.widgets.state_message import StateMessage

SIZE = (120, 36)


def batch_transfers(store) -> list[dict]:
    """Every transfer the sandbox made for a batch row (they carry `metadata.row`)."""
    with store.reading() as db:
        rows = db.execute("SELECT data FROM transfers").fetchall()
    transfers = [json.loads(data) for (data,) in rows]
    return [t for t in transfers if t["direction"] == "outbound" and t["metadata"].get("row")]


async def open_batch(pilot, settle) -> BatchScreen:
    screen = await open_mode(pilot, settle, "b", BatchScreen)
    screen.follow_seconds = 0  # the sandbox's clock is pinned: nothing settles
    return screen


async def validate(pilot, settle, screen: BatchScreen, path) -> None:
    field = screen.query_one("#batch-path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


@pytest.fixture
def app(make_app):
    return make_app("sandbox", remember=False)


async def test_a_valid_file_is_previewed_sent_once_and_reported(
    app, settle, tmp_path, sandbox_store
):
    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=5, cl=2))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        assert screen.step == "batch-preview"
        text = screen_lines(app)
        assert "payouts.csv in SANDBOX: 7 rows valid, 7 to send" in text
        assert "$515.00 MXN" in text  # 101 + 102 + 103 + 104 + 105
        assert "$20.013 CLP" in text  # 10.006 + 10.007
        send = screen.query_one("#batch-send", Button)
        assert str(send.label) == "Send 7 transfers ($20.013 CLP + $515.00 MXN)"
        assert batch_transfers(sandbox_store) == []  # nothing before the confirmation

        await pilot.press("ctrl+s")
        await settle(pilot)
        made = batch_transfers(sandbox_store)
        assert sorted(int(t["metadata"]["row"]) for t in made) == list(range(1, 8))
        assert sorted(t["amount"] for t in made if t["currency"] == "MXN") == [
            10100,
            10200,
            10300,
            10400,
            10500,
        ]
        text = screen_lines(app)
        assert "Done: all 7 rows have a transfer." in text
        results = tmp_path / "payouts.results.csv"
        assert f"Results: {results}" in text.replace("\n", "")
        with results.open(encoding="utf-8") as handle:
            lines = list(csv.DictReader(handle))
        assert [line["status"] for line in lines] == ["pending"] * 7
        assert {line["transfer_id"] for line in lines} == {t["id"] for t in made}
        bar = screen.query_one("#batch-progress", ProgressBar)
        assert (bar.progress, bar.total) == (7, 7)


async def test_a_bad_row_is_named_by_row_and_column_and_nothing_can_be_sent(
    app, settle, tmp_path, sandbox_store
):
    rows = good_rows(mx=3, cl=0)
    rows[1][3] = "012180000000000016"  # wrong check digit
    rows.append(cl_row(9, "10.000,5"))  # CLP has no decimals
    path = write_batch(tmp_path / "payouts.csv", rows)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        assert screen.step == "batch-problems"
        table = screen.query_one("#batch-problems-table", DataTable)
        found = [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        assert ("3", "account_number") in [(row, column) for row, column, _ in found]
        assert ("5", "amount") in [(row, column) for row, column, _ in found]
        assert "nothing can be sent while any row is wrong" in screen_lines(app)
        assert not screen.check_action("send", ())
        await pilot.press("ctrl+s")
        screen.action_send()
        await settle(pilot)
        assert batch_transfers(sandbox_store) == []


async def test_a_missing_file_says_so_in_words(app, settle, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, tmp_path / "nope.csv")
        assert screen.step == "batch-intro"
        # The message as the box holds it (on screen a long temporary path wraps
        # inside the box's border, whose length depends on xdist's worker folder).
        said = str(screen.query_one("#batch-intro", StateMessage).render())
        assert f"There is no file at {tmp_path / 'nope.csv'}." in said
        assert "Traceback" not in screen_lines(app)


async def test_pause_lets_requests_in_flight_finish_and_the_same_file_resumes(
    app, settle, tmp_path, sandbox_store, network
):
    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=12, cl=0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        network.gate = asyncio.Event()  # every request is held on the wire
        await pilot.press("ctrl+s")
        for _ in range(50):
            await pilot.pause()
            if any(r == "POST /v2/transfers" for r in network.requests):
                break
        assert app.money_in_flight()
        await pilot.press("p")
        network.gate.set()  # the requests in flight answer; no new row starts
        network.gate = None
        await settle(pilot)
        paused = len(batch_transfers(sandbox_store))
        assert 0 < paused < 12
        assert f"Paused with {paused} of 12 rows made." in screen_lines(app)

        await validate(pilot, settle, screen, path)  # the same file, again
        text = screen_lines(app)
        assert f"{paused} already paid" in text and f"{12 - paused} to send" in text
        await pilot.press("ctrl+s")
        await settle(pilot)
        made = batch_transfers(sandbox_store)
        assert sorted(int(t["metadata"]["row"]) for t in made) == list(range(1, 13))


async def test_an_app_stopped_mid_batch_resumes_paying_each_row_once(
    make_app, settle, tmp_path, sandbox_store, network
):
    """The first app quits while requests hang (as a crash would); the next one finishes."""
    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=6, cl=2))
    first = make_app("sandbox", remember=False)
    async with first.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        network.gate = asyncio.Event()
        await pilot.press("ctrl+s")
        for _ in range(50):
            await pilot.pause()
            if any(r == "POST /v2/transfers" for r in network.requests):
                break
        assert first.money_in_flight()
    # The worker was cancelled with requests on the wire; let them through now.
    network.gate.set()
    network.gate = None
    await asyncio.sleep(0)
    before = len(batch_transfers(sandbox_store))
    assert before < 8

    second = make_app("sandbox", remember=False)
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The app offers the journaled rows at start, as it does any unresolved transfer.
        assert isinstance(second.screen, JournalRecoveryScreen)
        await pilot.press("escape")  # Later: the batch resumes them itself
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        assert "Resuming an earlier run of this file" in screen_lines(second)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Done: all 8 rows have a transfer." in screen_lines(second)
    made = batch_transfers(sandbox_store)
    assert sorted(int(t["metadata"]["row"]) for t in made) == list(range(1, 9))


async def test_live_asks_for_each_total_typed(make_app, settle, tmp_path, sandbox_store, memory):
    from fintoc_tui.credentials import CredentialStore
    from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY

    store = CredentialStore(keyring=memory, env={"FINTOC_LIVE_SECRET_KEY": "sk_live_" + "x" * 24})
    app = make_app(Environment("live", "http://sandbox.test"), credentials=store, remember=False)
    path = write_batch(tmp_path / "payouts.csv", [mx_row(1, "10.00"), mx_row(2, "20.50")])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The sandbox refuses live keys: swap in a client it accepts, still called live.
        app.client = app.client_factory(
            Environment("live", "http://sandbox.test"), SANDBOX_SECRET_KEY, None
        )
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        assert screen.step == "batch-preview"
        send = screen.query_one("#batch-send", Button)
        assert send.disabled
        text = screen_lines(app)
        assert "a live batch must be signed" in text
        assert "type each currency's total" in text
        field = screen.query_one("#live-total-mxn", Input)
        field.value = "30.00"
        await pilot.pause()
        assert "type each currency's total" in screen_lines(app)  # $30.50, not $30.00
        field.value = "30.50"
        await pilot.pause()
        assert "type each currency's total" not in screen_lines(app)
        assert send.disabled  # still no JWS key: live is never sent unsigned
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert batch_transfers(sandbox_store) == []


async def test_no_environment_switch_while_a_batch_is_sending(app, settle, tmp_path, network):
    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=3, cl=0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        network.gate = asyncio.Event()
        await pilot.press("ctrl+s")
        for _ in range(50):
            await pilot.pause()
            if app.money_in_flight():
                break
        assert app.money_in_flight()
        assert app.apply_environment("test") is None
        assert app.environment.name == "sandbox"
        network.gate.set()
        network.gate = None
        await settle(pilot)


async def test_balances_and_history_show_the_batch_without_pressing_r(app, settle, tmp_path):
    from fintoc_tui.money import format_amount

    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=2, cl=0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")  # the history is open (and loaded) before the batch
        await settle(pilot)
        before = {a.id: a.available_balance for a in app.accounts if a.currency == "MXN"}
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape", "1")
        await settle(pilot)
        after = {a.id: a.available_balance for a in app.accounts if a.currency == "MXN"}
        (account_id,) = before
        assert after[account_id] == before[account_id] - 10100 - 10200
        assert format_amount(after[account_id], "MXN") in screen_lines(app)
        await pilot.press("3")
        await settle(pilot)
        assert "Pago 2" in screen_lines(app)


async def test_the_palette_opens_the_batch_screen(app, settle):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Batch payouts")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BatchScreen)


async def test_allow_duplicates_and_a_default_source_are_the_commands_options(
    app, settle, tmp_path, sandbox_store
):
    row = mx_row(1, "10.00")
    row[0] = ""  # no from_account: the From field gives it
    path = write_batch(tmp_path / "payouts.csv", [row, list(row)])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        assert screen.step == "batch-problems"
        text = screen_lines(app)
        assert "from_account" in text and "no source account" in text
        screen.query_one("#batch-source", Input).value = "Cuenta MXN"
        await validate(pilot, settle, screen, path)
        assert screen.step == "batch-problems"  # now: the same row twice
        screen.query_one("#batch-duplicates", Checkbox).value = True
        await validate(pilot, settle, screen, path)
        assert screen.step == "batch-preview"
        assert "2 rows valid, 2 to send" in screen_lines(app)


class DropAfterCommit(httpx.AsyncBaseTransport):
    """The sandbox makes the transfer, then the connection breaks before the answer (once a row)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, rows: set[str]) -> None:
        self.inner = inner
        self.rows = set(rows)
        self.keys: dict[str, list[str]] = {}
        """Each row's Idempotency-Key, once per POST."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path == "/v2/transfers":
            row = json.loads(request.content)["metadata"].get("row")
            self.keys.setdefault(row, []).append(request.headers["Idempotency-Key"])
            if row in self.rows:
                self.rows.discard(row)
                await response.aread()
                raise httpx.ReadError("connection reset by peer", request=request)
        return response


async def test_a_transfer_whose_answer_was_lost_is_asked_again_never_paid_twice(
    app, settle, tmp_path, sandbox_store, network
):
    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=5, cl=0))
    drop = network.inner = DropAfterCommit(network.inner, {"2", "4"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Done: all 5 rows have a transfer." in screen_lines(app)
    made = batch_transfers(sandbox_store)
    assert sorted(int(t["metadata"]["row"]) for t in made) == [1, 2, 3, 4, 5]
    # Rows 2 and 4 were made but unheard of: asked again with the same key, made once.
    assert {row: len(set(keys)) for row, keys in drop.keys.items()} == dict.fromkeys("12345", 1)
    assert len(drop.keys["2"]) == len(drop.keys["4"]) == 2
    assert len(drop.keys["1"]) == 1


async def test_an_edited_file_is_a_new_batch_and_never_writes_over_the_old_results(
    app, settle, tmp_path, sandbox_store
):
    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=2, cl=0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        await validate(pilot, settle, screen, path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        write_batch(path, good_rows(mx=3, cl=0))  # one row added: another batch
        await validate(pilot, settle, screen, path)
        assert screen.step == "batch-intro"
        text = " ".join(text_of(app, "#batch-intro").split())
        assert "holds the results of another version of this file" in text
        assert "Type another path in the Results field" in text
        screen.query_one("#batch-results", Input).value = str(tmp_path / "second.csv")
        await validate(pilot, settle, screen, path)
        assert screen.step == "batch-preview"
        assert "3 rows valid, 3 to send" in screen_lines(app)


async def test_at_80x24_nothing_is_cut_a_long_problem_wraps_and_the_preview_scrolls(
    app, settle, tmp_path
):
    rows = good_rows(mx=3, cl=0)
    rows[1][0] = "Cuenta que no existe"  # its problem lists every account: longer than a line
    bad = write_batch(tmp_path / "bad.csv", rows)
    good = write_batch(tmp_path / "good.csv", good_rows(mx=30, cl=4))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_batch(pilot, settle)
        assert "Allow identical rows (Mexico)" in screen_lines(app)
        await validate(pilot, settle, screen, bad)
        table = screen.query_one("#batch-problems-table", DataTable)
        message = str(table.get_row_at(0)[2])
        assert message.startswith("no account matches 'Cuenta que no existe'")
        assert len(message) > 60
        text = " ".join(screen_lines(app).split())
        assert message.split()[-1] in text  # its last word is on screen, below its first

        await validate(pilot, settle, screen, good)
        preview = screen.query_one("#batch-preview")
        assert "Largest payments" not in screen_lines(app)
        assert preview.max_scroll_y > 0
        preview.scroll_end(animate=False)
        await settle(pilot)
        assert "Largest payments" in screen_lines(app)


async def test_test_mode_without_a_jws_key_sends_nothing_and_says_why(
    make_app, settle, tmp_path, sandbox_store, memory
):
    """Fintoc refuses unsigned transfers in test mode too: no row is started to be refused."""
    from fintoc_tui.credentials import CredentialStore
    from fintoc_tui.sandbox.auth import SANDBOX_SECRET_KEY

    store = CredentialStore(keyring=memory, env={"FINTOC_TEST_SECRET_KEY": SANDBOX_SECRET_KEY})
    app = make_app(Environment("test", "http://sandbox.test"), credentials=store, remember=False)
    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=2, cl=0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        assert app.client is not None and not app.client.has_signer
        await validate(pilot, settle, screen, path)
        assert screen.step == "batch-preview"
        assert screen.query_one("#batch-send", Button).disabled
        assert "every transfer must be signed: add your JWS private key" in " ".join(
            screen_lines(app).split()
        )
        await pilot.press("ctrl+s")
        screen.action_send()
        await settle(pilot)
        assert batch_transfers(sandbox_store) == []


async def test_a_stopped_run_is_headed_stopped_not_finished(app, settle):
    from fintoc_tui.batch.runner import BatchOutcome
    from fintoc_tui.ui import messages

    stopped = BatchOutcome(
        total=8, made=0, refused=8, unknown=0, queued=0, pending=0, paused=False,
        stopped="Fintoc refused the credentials", by_status={"refused": 8},
    )  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        screen.query_one("#batch-steps").current = "batch-sending"  # as a run shows it
        screen.post_message(messages.BatchFinished(stopped))
        await settle(pilot)
        lines = screen_lines(app)
        assert "Stopped: Fintoc refused the credentials" in lines
        assert "Finished" not in lines


async def test_money_moved_is_said_while_the_batch_runs_not_only_at_its_end(app, settle, tmp_path):
    """A screen shown during a long batch (the accounts, say) follows it row by row."""
    from fintoc_tui.ui.shell.money_moved import MoneyMoved

    path = write_batch(tmp_path / "payouts.csv", good_rows(mx=3, cl=0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot, settle)
        screen.MONEY_MOVED_EVERY_S = 0.0  # every progress that made a row says so
        heard: list[MoneyMoved] = []
        app.money_moved_signal.subscribe(screen, heard.append)
        await validate(pilot, settle, screen, path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        # One when the run ends; the others came while rows were being made.
        assert len(heard) >= 2, heard
