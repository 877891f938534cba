"""An account's monthly statement (additions §5), the shape the SDKs and the docs' object share.

The `*_cents` fields are minor units whatever the currency (whole pesos for
CLP, INFERRED); `download_url` is a signed, expiring link to the PDF, so it
is fetched without the API key and listed again when it has expired.
"""

from __future__ import annotations

from datetime import date

from fintoc_tui.api.models import FintocObject, MinorUnits, Timestamp

__all__ = ["AccountStatement"]


class AccountStatement(FintocObject):
    id: str
    start_date: date
    end_date: date
    total_debited_cents: MinorUnits
    total_credited_cents: MinorUnits
    initial_balance_cents: MinorUnits
    final_balance_cents: MinorUnits
    download_url: str
    created_at: Timestamp | None = None
    object: str = "account_statement"

    @property
    def period(self) -> str:
        """`2026-03` for a calendar month, else `2026-03-01 – 2026-03-15`."""
        start, end = self.start_date, self.end_date
        if start.day == 1 and (start.year, start.month) == (end.year, end.month):
            return start.strftime("%Y-%m")
        return f"{start.isoformat()} – {end.isoformat()}"
