"""Keystroke cost of the amount field vs a plain Input that echoes its value.

Both apps run headless under Pilot in the same process, interleaved in
rounds so machine noise hits both alike. Keys are sent with `pilot.press`;
a key's time runs from just before `press` to the moment the preview Static
has been updated (stamped right after `Static.update` in both apps: in the
echo app's `Input.Changed` handler, in the amount field's preview refresh). Pilot's own idle wait after each key is left out: it is
a fixed ~80 ms poll that would swamp both figures. CPU time per key (process
time, which includes rendering) is reported too. Goal: ratio <= 1.2x.

    .venv/bin/python bench/bench_keystroke.py [--rounds 3] [--keys 150]   (about 80 s)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from fintoc_tui.ui.transfer.amount_input import AmountInput

# Type an amount and erase it again, so every key changes the value.
TYPED = list("1234567.89")
SEQUENCE = TYPED + ["backspace"] * len(TYPED)


class EchoApp(App):
    """Baseline: a plain Input whose value is echoed into a Static on every change."""

    def __init__(self) -> None:
        super().__init__()
        self.changes = 0

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield Static("", id="echo", markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#echo", Static).update(event.value)
        self.changes += 1
        self.stamp = time.perf_counter()


class StampedAmountInput(AmountInput):
    """The real widget, stamping the moment its preview has been updated."""

    def _refresh_preview(self, text: str) -> None:
        super()._refresh_preview(text)
        app = self.app
        app.changes += 1  # type: ignore[attr-defined]
        app.stamp = time.perf_counter()  # type: ignore[attr-defined]


class AmountApp(App):
    """The real widget: Input, live preview, limit checks against a balance."""

    def __init__(self) -> None:
        super().__init__()
        self.changes = 0

    def compose(self) -> ComposeResult:
        yield StampedAmountInput("MXN", balance=10_000_000_00, id="amount")


async def time_keys(
    app_cls: type[App], keys: int, selector: str
) -> tuple[list[float], list[float]]:
    """(latency per key, CPU seconds per key) for one app."""
    app = app_cls()
    samples: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        app.query_one(selector, Input).focus()
        await pilot.pause()
        for index in range(keys):
            key = SEQUENCE[index % len(SEQUENCE)]
            before = app.changes  # type: ignore[attr-defined]
            cpu_start = time.process_time()
            start = time.perf_counter()
            await pilot.press(key)
            while app.changes == before:  # type: ignore[attr-defined]
                await pilot.pause()
            samples.append(app.stamp - start)  # type: ignore[attr-defined]
            cpu.append(time.process_time() - cpu_start)
    return samples, cpu


async def main(rounds: int, keys: int) -> None:
    echo: list[float] = []
    amount: list[float] = []
    echo_cpu: list[float] = []
    amount_cpu: list[float] = []
    await time_keys(EchoApp, 20, "#field")  # warm imports and caches
    await time_keys(AmountApp, 20, "#amount-text")
    for _ in range(rounds):
        latency, cpu = await time_keys(EchoApp, keys, "#field")
        echo += latency
        echo_cpu += cpu
        latency, cpu = await time_keys(AmountApp, keys, "#amount-text")
        amount += latency
        amount_cpu += cpu
    e, a = statistics.median(echo), statistics.median(amount)
    ec, ac = statistics.median(echo_cpu), statistics.median(amount_cpu)
    print(f"keys per app: {len(echo)}")
    print(f"plain Input echo : median {e * 1e3:.3f} ms/key latency, {ec * 1e3:.3f} ms CPU/key")
    print(f"amount field     : median {a * 1e3:.3f} ms/key latency, {ac * 1e3:.3f} ms CPU/key")
    print(f"ratio latency    : {a / e:.2f}x (goal <= 1.2x)")
    print(f"ratio CPU        : {ac / ec:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keys", type=int, default=150)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.keys))
