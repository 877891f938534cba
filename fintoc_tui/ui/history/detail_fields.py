"""A transfer's every field as (label, value) lines, for its detail screen.

Kept apart from the screen so the words can be tested without Textual
running: Chile's null fields say "none in Chile" rather than nothing,
institutions carry Fintoc's name and Banxico code, and a return that failed
(told only by the transfer's movements) is said.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text

from fintoc_tui.ui.widgets.cells import amount_text, institution_name, signed_minor

if TYPE_CHECKING:
    from fintoc_tui.api.models import Movement, Transfer

STATUS_STYLES = {
    "succeeded": "green",
    "pending": "yellow",
    "return_pending": "yellow",
    "failed": "red",
    "rejected": "red",
    "returned": "dim",
    # Documented by Fintoc, never seen: shown as they come, in a colour that fits.
    "reject_failed": "red",
    "partially_succeeded": "yellow",
}
#: What an empty field means in Chile, where there is no SPEI: never a blank.
NONE_IN_CHILE = "— (none in Chile)"


def _when(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _account_number_text(number: str | None) -> str:
    if not number:
        return "—"
    if len(number) == 18 and number.isdigit():
        from fintoc_tui.banking import format_clabe

        return format_clabe(number)
    return number


def failed_returns(movements: list[Movement]) -> list[datetime]:
    """When a return of this inbound transfer failed, oldest first.

    A return holds the money (an outbound `transfer_return` movement); when it
    fails, the money comes back as an inbound `transfer_return` movement, and
    the transfer is `succeeded` again.
    """
    return sorted(
        m.transaction_date
        for m in movements
        if str(m.type) == "transfer_return" and str(m.direction) == "inbound"
    )


def can_return(transfer: Transfer) -> bool:
    """Only a settled MX inbound transfer can be sent back (fintoc-api.md §3)."""
    return (
        str(transfer.direction) == "inbound"
        and str(transfer.status) == "succeeded"
        and str(transfer.currency).upper() == "MXN"
    )


#: When Fintoc has a receipt PDF for a transfer (`GET /v2/transfers/{id}/receipt`).
RECEIPT_STATUSES = frozenset({"succeeded", "partially_succeeded", "returned"})


def has_receipt(transfer: Transfer) -> bool:
    """Fintoc documents the receipt for these statuses only (additions §2)."""
    return str(transfer.status) in RECEIPT_STATUSES


def _no_receipt(transfer: Transfer) -> str:
    """A Mexican transfer without a receipt: one comes once it succeeds, or never."""
    return "— (once it succeeds)" if str(transfer.status) == "pending" else "—"


def _receipt_keys(transfer: Transfer) -> str:
    """The keys for the receipt, said where the receipt is (the footer keeps to what fits)."""
    if not has_receipt(transfer):
        status = str(transfer.status)
        if status == "pending":
            return "— (Fintoc makes one once it succeeds)"
        return f"— (none while it is {status})"
    link = "; u copies the CEP link" if transfer.receipt_url else ""
    return f"d saves it in the exports folder{link}"


def _institution_text(transfer: Transfer) -> str:
    """`JP MORGAN (Banxico 40110)` / `Banco De Chile (cl_banco_de_chile)`: Fintoc's name and id."""
    counterparty = transfer.counterparty
    institution = counterparty.institution
    bank = institution_name(counterparty)
    if institution is None or not institution.id:
        return bank or "—"
    country = str(institution.country or "").lower()
    code = f"Banxico {institution.id}" if country == "mx" else str(institution.id)
    return f"{bank} ({code})" if bank else code


def detail_fields(
    transfer: Transfer, *, returns_failed: list[datetime] | tuple[datetime, ...] = ()
) -> list[tuple[str, Text | str]]:
    """(label, value) pairs in reading order; every field of the transfer.

    `returns_failed`: when returns of this transfer failed (see `failed_returns`).
    """
    counterparty = transfer.counterparty
    chile = str(transfer.currency).upper() == "CLP"
    own = transfer.account_number
    signed = signed_minor(transfer)
    amount = Text(amount_text(signed, transfer.currency, signed=True), style="bold")
    amount.append(f"   {transfer.amount} minor units", style="dim")
    status = Text(str(transfer.status), style=STATUS_STYLES.get(str(transfer.status), ""))
    fields: list[tuple[str, Text | str]] = [
        ("ID", transfer.id),
        ("Status", status),
        ("Direction", str(transfer.direction)),
        ("Amount", amount),
        ("Mode", str(transfer.mode)),
        ("Transaction date", _when(transfer.transaction_date)),
        ("Post date", _when(transfer.post_date)),
        ("Comment", transfer.comment or "—"),
        ("Reference ID", transfer.reference_id or (NONE_IN_CHILE if chile else "—")),
        ("Tracking key", transfer.tracking_key or (NONE_IN_CHILE if chile else "—")),
        ("Receipt", transfer.receipt_url or (NONE_IN_CHILE if chile else _no_receipt(transfer))),
        ("Receipt PDF", _receipt_keys(transfer)),
        ("Return reason", transfer.return_reason or "—"),
    ]
    for when in returns_failed:
        fields.append(
            (
                "Return",
                Text(
                    f"failed {_when(when)}: the money came back and the transfer "
                    "is succeeded again",
                    style="bold yellow",
                ),
            )
        )
    fields += [
        ("", ""),
        ("Counterparty", Text(counterparty.holder_name or "—", style="bold")),
        ("Holder ID", counterparty.holder_id or "—"),
        ("Account number", _account_number_text(counterparty.account_number)),
        ("Account type", counterparty.account_type or ("— (not given)" if chile else "—")),
        ("Institution", _institution_text(transfer)),
        ("", ""),
        ("Our account number", _account_number_text(own.number if own else None)),
        ("Account number ID", (own.id if own else None) or "—"),
        ("Account ID", (own.account_id if own else None) or "—"),
    ]
    metadata = transfer.metadata or {}
    if metadata:
        fields.append(("", ""))
        for index, (key, value) in enumerate(sorted(metadata.items())):
            fields.append(("Metadata" if index == 0 else "", f"{key} = {value}"))
    else:
        fields.append(("Metadata", "—"))
    return fields
