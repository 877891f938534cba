"""The transfer form's two destinations, each built the first time its currency is in use.

The form shows one destination at a time (a CLABE in Mexico, five fields in
Chile) and most sessions only ever use one. Building both up front kept the
hidden one's widgets (two `Select`s alone are ~400 KiB) for nothing, so the
form composes the Mexican section (its currency before the accounts load)
and this mounts the Chilean one the first time it is needed: the source
account turns CLP, or a prefill or test counterparty is for Chile.

A built section is never removed: from then on the form's `-mx`/`-cl`
classes hide one and show the other, as before, so whatever it holds (typed
text, focus, a CLABE verification shown) survives any number of switches.

Mounting is asynchronous. What must happen to a section not built yet
(prefill it, fill a test counterparty, focus it) waits in order in
`when_built` and runs as soon as it is mounted, before anything can be typed
into it; `ensure` awaits the section instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fintoc_tui.ui.transfer.cl_counterparty import CLCounterpartyFields
from fintoc_tui.ui.transfer.mx_counterparty import MXCounterpartyFields

if TYPE_CHECKING:
    from textual.widget import AwaitMount, Widget

Section = MXCounterpartyFields | CLCounterpartyFields
SectionAction = Callable[[Section], object]


def section_currency(currency: str) -> str:
    """The section a currency uses: "MXN" for Mexico, "CLP" for everything else (as the form)."""
    return "MXN" if currency.upper() == "MXN" else "CLP"


def new_section(currency: str) -> Section:
    """An empty destination section for `currency`, with the id and class the form styles."""
    if section_currency(currency) == "MXN":
        return MXCounterpartyFields(classes="group", id="mx-counterparty")
    return CLCounterpartyFields(classes="group", id="cl-counterparty")


class DestinationSections:
    """The built destination sections of one form, and what waits for the others."""

    def __init__(self, container: Widget, on_built: Callable[[Section], None]) -> None:
        self._container = container
        self._on_built = on_built
        self._built: dict[str, Section] = {}
        self._mounting: dict[str, tuple[Section, AwaitMount]] = {}
        self._waiting: dict[str, list[SectionAction]] = {}

    def adopt(self, section: Section) -> None:
        """A section the form composed itself (already mounted)."""
        self._built[section_currency(_currency_of(section))] = section

    def get(self, currency: str) -> Section | None:
        """The section for `currency` if it is mounted; None while it does not exist yet."""
        return self._built.get(section_currency(currency))

    def built(self) -> list[Section]:
        """Every mounted section (shown or hidden)."""
        return list(self._built.values())

    def waiting(self) -> list[str]:
        """The currencies whose section is not built yet but has actions waiting for it."""
        return [currency for currency, actions in self._waiting.items() if actions]

    def build(self, currency: str) -> None:
        """Start mounting the section for `currency` (nothing if it is built or on its way)."""
        key = section_currency(currency)
        if key in self._built or key in self._mounting:
            return
        section = new_section(key)
        self._mounting[key] = (section, self._container.mount(section))
        # Someone must see the mount through even if nobody awaits `ensure`.
        self._container.call_later(self.ensure, key)

    def when_built(self, currency: str, action: SectionAction) -> None:
        """Run `action` on the section now if it is built, else (in order) once it is mounted."""
        key = section_currency(currency)
        section = self._built.get(key)
        if section is not None:
            action(section)
            return
        self._waiting.setdefault(key, []).append(action)
        self.build(key)

    async def ensure(self, currency: str) -> Section:
        """The section for `currency`, mounted (and its waiting actions run) first if need be."""
        key = section_currency(currency)
        section = self._built.get(key)
        if section is not None:
            return section
        self.build(key)
        section, mounted = self._mounting[key]
        await mounted
        if key in self._built:  # another awaiter finished it meanwhile
            return section
        self._built[key] = section
        del self._mounting[key]
        for action in self._waiting.pop(key, []):
            action(section)
        self._on_built(section)
        return section


def _currency_of(section: Section) -> str:
    return "MXN" if isinstance(section, MXCounterpartyFields) else "CLP"
