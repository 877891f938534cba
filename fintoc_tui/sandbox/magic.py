"""Magic counterparties: account numbers that force a transfer's outcome in the sandbox.

Pure data and no third-party imports, so the app's test-mode counterparty picker
can import it without pulling in the server. Every number here is valid (MX CLABEs
pass the check digit, CL holder RUTs pass theirs); any *other* valid counterparty
succeeds. The table is published in docs/sandbox.md and by `fintoc-tui sandbox magic`.

Every magic counterparty *creates* a transfer that then reaches its outcome,
as Fintoc's test mode does: `012969100000000013` is the CLABE Fintoc documents
for "rejected, insufficient funds". A 409 `insufficient_balance` is something
else (the sender's own balance does not cover the amount) and no counterparty
causes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fintoc_tui.money import format_amount
from fintoc_tui.sandbox.returns import OUTBOUND_RETURN_REASON, RETURN_FAILS_AMOUNTS

Outcome = Literal["succeeded", "failed", "rejected", "returned"]

OUTCOMES: tuple[Outcome, ...] = ("succeeded", "failed", "rejected", "returned")


@dataclass(frozen=True)
class MagicCounterparty:
    """One row of the table; the CL-only fields are None for MX."""

    currency: Literal["MXN", "CLP"]
    account_number: str
    outcome: Outcome
    description: str
    holder_name: str
    holder_id: str | None = None
    institution_id: str | None = None
    account_type: str | None = None

    def counterparty(self) -> dict[str, str]:
        """The `counterparty` object to send in POST /v2/transfers."""
        data = {"account_number": self.account_number, "holder_name": self.holder_name}
        if self.currency == "MXN":
            data["account_type"] = "clabe"
        else:
            data["holder_id"] = self.holder_id or ""
            data["institution_id"] = self.institution_id or ""
            data["account_type"] = self.account_type or ""
        return data


MAGIC_COUNTERPARTIES: tuple[MagicCounterparty, ...] = (
    MagicCounterparty(
        "MXN",
        "012180000000000015",
        "succeeded",
        "Succeeds after the settle delay (any other valid CLABE does too)",
        "Proveedora Éxito SA de CV",
    ),
    MagicCounterparty(
        "MXN",
        "014180000000000026",
        "failed",
        "Fails (never reached the bank); the amount is given back",
        "Cuenta Caída SA de CV",
    ),
    MagicCounterparty(
        "MXN",
        "012969100000000013",
        "rejected",
        "Rejected for insufficient funds (the CLABE Fintoc documents); the amount is given back",
        "Cuenta Rechazada SA de CV",
    ),
    MagicCounterparty(
        "MXN",
        "002180000000000041",
        "returned",
        "Succeeds, then is returned one settle delay later; the amount is given back",
        "Devoluciones SA de CV",
    ),
    MagicCounterparty(
        "CLP",
        "900000001",
        "succeeded",
        "Succeeds after the settle delay (any other valid account does too)",
        "Proveedora Éxito SpA",
        "111111111",
        "cl_banco_estado",
        "checking_account",
    ),
    MagicCounterparty(
        "CLP",
        "900000002",
        "failed",
        "Fails (never reached the bank); the amount is given back",
        "Cuenta Caída SpA",
        "123456785",
        "cl_banco_de_chile",
        "checking_account",
    ),
    MagicCounterparty(
        "CLP",
        "900000003",
        "rejected",
        "Rejected by the receiving bank; the amount is given back",
        "Cuenta Rechazada SpA",
        "155555556",
        "cl_banco_santander",
        "sight_account",
    ),
    MagicCounterparty(
        "CLP",
        "900000004",
        "returned",
        "Succeeds, then is returned one settle delay later; the amount is given back",
        "Devoluciones SpA",
        "177777773",
        "cl_banco_bci",
        "savings_account",
    ),
)

_BY_NUMBER: dict[tuple[str, str], MagicCounterparty] = {
    (m.currency, m.account_number): m for m in MAGIC_COUNTERPARTIES
}


def magic_for(currency: str, account_number: str) -> MagicCounterparty | None:
    """The magic row for this counterparty account, or None (it will succeed)."""
    return _BY_NUMBER.get((currency.upper(), account_number))


def outcome_for(currency: str, account_number: str) -> Outcome:
    entry = magic_for(currency, account_number)
    return entry.outcome if entry else "succeeded"


def magic_table_text() -> str:
    """Plain-text tables for `fintoc-tui sandbox magic`: counterparties, then returns."""
    lines = [f"{'Currency':<8}  {'Account number':<18}  {'Outcome':<18}  Details"]
    for m in MAGIC_COUNTERPARTIES:
        extra = ""
        if m.currency == "CLP":
            extra = f" [RUT {m.holder_id}, {m.institution_id}, {m.account_type}]"
        lines.append(
            f"{m.currency:<8}  {m.account_number:<18}  {m.outcome:<18}  {m.description}{extra}"
        )
    lines += [
        "",
        "Returns (POST /v2/transfers/return, Mexican inbound transfers up to 90 days old):",
        f"{'Currency':<8}  {'Inbound amount':<18}  {'Outcome':<18}  Details",
    ]
    for currency, amounts in sorted(RETURN_FAILS_AMOUNTS.items()):
        for amount in sorted(amounts):
            lines.append(
                f"{currency:<8}  {amount:<18}  {'return fails':<18}  "
                f"({format_amount(amount, currency)}) return_pending, then succeeded again; "
                "the amount comes back"
            )
    lines.append(
        f"{'MXN':<8}  {'any other':<18}  {'returned':<18}  "
        "return_pending, then returned one settle delay later"
    )
    lines += ["", *_verification_lines()]
    return "\n".join(lines)


def _verification_lines() -> list[str]:
    """Account verifications pay 0.01 MXN to the CLABE, so the MXN rows above decide them too."""
    lines = [
        "Account verifications (POST /v2/account_verifications, Mexico only; each costs $0.01 "
        "MXN):",
        f"{'Currency':<8}  {'CLABE':<18}  {'Outcome':<18}  Details",
    ]
    for m in MAGIC_COUNTERPARTIES:
        if m.currency != "MXN" or m.outcome == "succeeded":
            continue
        reason = OUTBOUND_RETURN_REASON if m.outcome == "returned" else f"transfer_{m.outcome}"
        lines.append(
            f"{m.currency:<8}  {m.account_number:<18}  {'failed':<18}  "
            f"reason {reason}; the 0.01 comes back"
        )
    lines.append(
        f"{'MXN':<8}  {'any other':<18}  {'succeeded':<18}  "
        "a made-up holder and RFC, always the same for the same CLABE"
    )
    return lines
