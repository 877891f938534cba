"""Rendered lines make their caches on first use (`ui/widgets/lazy_strip_caches.py`).

The first test fails the day Textual's `Strip` changes, so that someone looks
at it again; the rest show that lines behave as Textual's own and cost less.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import Monochrome
from textual.strip import Strip

from fintoc_tui.ui.widgets import lazy_strip_caches
from fintoc_tui.ui.widgets.lazy_strip_caches import CACHE_SIZES, install, textual_init

SEGMENTS = [Segment("MXN ", Style(bold=True)), Segment("$590.13", Style(color="green"))]


@pytest.fixture
def plain_strip() -> Iterator[None]:
    """Textual's own `Strip` for one test, and afterwards whatever was there before."""
    saved = {name: vars(Strip).get(name) for name in ("__init__", "__getattr__")}
    setattr(Strip, "__init__", textual_init)  # noqa: B010
    if "__getattr__" in vars(Strip):
        delattr(Strip, "__getattr__")
    yield
    for name, value in saved.items():
        if value is not None:
            setattr(Strip, name, value)
        elif name in vars(Strip):
            delattr(Strip, name)


def _slot_value(strip: Strip, name: str) -> object | None:
    """The slot's value read past `__getattr__` (None when empty)."""
    try:
        return vars(Strip)[name].__get__(strip, Strip)
    except AttributeError:
        return None


def _textual_strip(segments: list[Segment]) -> Strip:
    strip = Strip.__new__(Strip)
    textual_init(strip, segments)
    return strip


def test_it_knows_the_installed_textual(plain_strip):
    assert lazy_strip_caches.matches_textual(), "Strip changed: see ui/widgets/lazy_strip_caches.py"


def test_the_app_installs_it_before_it_renders(plain_strip, make_app):
    make_app()
    assert Strip.__init__ is lazy_strip_caches._lazy_init


def test_another_strip_is_left_alone(plain_strip, monkeypatch):
    monkeypatch.setattr(Strip, "__slots__", [*Strip.__slots__, "_new_cache"])
    assert not install()
    assert Strip.__init__ is textual_init


def test_a_new_line_holds_no_cache_until_one_is_used():
    install()
    strip = Strip(SEGMENTS)
    assert all(_slot_value(strip, name) is None for name in CACHE_SIZES)
    strip.crop(0, 3)
    assert _slot_value(strip, "_crop_cache") is not None
    assert _slot_value(strip, "_divide_cache") is None


def test_each_cache_is_made_with_textuals_size():
    install()
    lazy, textual = Strip(SEGMENTS), _textual_strip(SEGMENTS)
    for name in CACHE_SIZES:
        made = getattr(lazy, name)
        assert made._maxsize == getattr(textual, name)._maxsize, name
        assert getattr(lazy, name) is made, "made once, then read from its slot"


def test_every_operation_gives_textuals_result_and_caches_it():
    install()
    lazy, textual = Strip(SEGMENTS), _textual_strip(SEGMENTS)
    monochrome = Monochrome()
    operations = {
        "crop": lambda s: s.crop(1, 8),
        "divide": lambda s: s.divide([2, 6, 11]),
        "style": lambda s: s.apply_style(Style(italic=True)),
        "filter": lambda s: s.apply_filter(monochrome, Color(0, 0, 0)),
        "length": lambda s: s.adjust_cell_length(20),
        "crop_extend": lambda s: s.crop_extend(2, 15, None),
        "offsets": lambda s: s.apply_offsets(3, 4),
    }
    for what, operation in operations.items():
        first, theirs = operation(lazy), operation(textual)
        assert repr(first) == repr(theirs), what
        assert operation(lazy) is first, f"{what} is cached as Textual caches it"
    assert lazy.render(_console()) == textual.render(_console())


def test_a_missing_attribute_is_still_an_attribute_error():
    install()
    strip = Strip(SEGMENTS)
    try:
        strip.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("an unknown attribute must raise")


def test_a_thousand_lines_take_far_less_memory():
    install()

    def cost(make: object) -> int:
        tracemalloc.start()
        lines = [make(SEGMENTS) for _ in range(1_000)]  # type: ignore[operator]
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del lines
        return size

    lazy, textual = cost(Strip), cost(_textual_strip)
    assert lazy * 3 < textual, (lazy, textual)


def _console() -> Console:
    return Console(color_system="truecolor", width=80)
