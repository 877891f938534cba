"""SPEI return reasons and which returns fail: the data the lifecycle reads.

`return_reason` strings are those of Fintoc's current SPEI codes page
(docs.fintoc.com, v2026-02-01; the older page swaps 02 and 03 and spells
some differently). Which test-mode amounts make a return fail is not in the
public record, so the sandbox picks one and documents it (docs/sandbox.md,
`fintoc-tui sandbox magic`).

Pure data with no third-party imports, like `magic.py`.
"""

from __future__ import annotations

#: return_reason → return_reason_code, as the current docs list them.
SPEI_RETURN_REASONS: dict[str, str] = {
    "non_existing_account": "01",
    "blocked_account": "02",
    "canceled_account": "03",
    "wrong_currency": "05",
    "non_fintoc_account": "06",
    "wrong_operation_type": "16",
    "account_type_does_not_correspond": "17",
    "exceeds_account_limit": "20",
    "exceeds_account_monthly_payments_limit": "21",
    "non_registered_mobile_phone": "22",
}

#: What the receiving bank says when a sandbox outbound transfer is returned
#: (the `returned` magic counterparty, and the seed's history draws from the first three).
OUTBOUND_RETURN_REASON = "canceled_account"
SEEDED_OUTBOUND_RETURN_REASONS = ("non_existing_account", "blocked_account", "canceled_account")

#: What an inbound transfer the organisation returned says. UNKNOWN: no source
#: shows a returned inbound transfer's reason, and no SPEI code means "the
#: receiver sent it back", so the sandbox leaves it null.
INBOUND_RETURN_REASON: str | None = None

#: Simulated inbound amounts (minor units) whose return fails: the transfer goes
#: `return_pending` → `succeeded` again and the money comes back. Fintoc decides
#: by the simulated inbound amount too; its table is not public (sandbox choice).
RETURN_FAILS_AMOUNTS: dict[str, frozenset[int]] = {"MXN": frozenset({131_300})}

#: Inbound transfers can be returned for this long after they arrived (Fintoc: 90 days).
RETURN_WINDOW_SECONDS = 90 * 86_400


def return_fails(currency: str, amount: int) -> bool:
    """Whether returning an inbound transfer of `amount` fails in the sandbox."""
    return amount in RETURN_FAILS_AMOUNTS.get(currency.upper(), frozenset())
