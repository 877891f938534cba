"""The history's API filters: account, direction, status and a date range.

They go to `GET /v2/transfers` (the API filters, so paging stays cheap);
the quick text search is local and lives on the history screen. Data only:
the history screen, its export and the filter dialog all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

DIRECTIONS: tuple[str, ...] = ("inbound", "outbound")
STATUSES: tuple[str, ...] = (
    "pending",
    "succeeded",
    "failed",
    "rejected",
    "returned",
    "return_pending",
)


@dataclass(frozen=True)
class HistoryFilters:
    """What the API is asked to filter by; dates are whole UTC days, inclusive."""

    account_id: str | None = None
    account_label: str | None = None
    direction: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def active(self) -> bool:
        return any((self.account_id, self.direction, self.status, self.since, self.until))

    def api_params(self) -> dict[str, Any]:
        """Keyword arguments for `FintocClient.list_transfers_page`."""
        params: dict[str, Any] = {}
        if self.account_id:
            params["account_id"] = self.account_id
        if self.direction:
            params["direction"] = self.direction
        if self.status:
            params["status"] = self.status
        if self.since:
            params["since"] = datetime.combine(self.since, time.min, tzinfo=UTC)
        if self.until:
            # Inclusive day: everything before the next midnight.
            end = datetime.combine(self.until, time.min, tzinfo=UTC) + timedelta(days=1)
            params["until"] = end - timedelta(seconds=1)
        return params

    def describe(self) -> list[str]:
        """Short chips for the filter bar, e.g. `status: pending`."""
        chips = []
        if self.account_id:
            chips.append(f"account: {self.account_label or self.account_id}")
        if self.direction:
            chips.append(f"direction: {self.direction}")
        if self.status:
            chips.append(f"status: {self.status}")
        if self.since and self.until:
            chips.append(f"dates: {self.since.isoformat()} → {self.until.isoformat()}")
        elif self.since:
            chips.append(f"since: {self.since.isoformat()}")
        elif self.until:
            chips.append(f"until: {self.until.isoformat()}")
        return chips


def parse_day(text: str) -> date | None:
    """`YYYY-MM-DD` → date; blank → None; anything else raises ValueError with a sentence."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a date: write it as YYYY-MM-DD.") from None
