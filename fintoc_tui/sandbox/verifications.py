"""Account verifications (additions §3): a 0.01 MXN transfer that names a CLABE's holder.

Creating one debits 1 centavo from the organisation's root MXN account as an
ordinary outbound transfer (it shows in `GET /v2/transfers` and as a movement,
and settles through lifecycle.py like any other). The verification follows
its transfer: while the transfer can still change, the verification is
`pending`; once the transfer is final it becomes `succeeded` (the transfer
arrived: the holder is known) or `failed` (it did not, and `reason` says why).

Every status change goes through `transition()`, which also queues its
webhook (`account_verification.succeeded` / `.failed`, `webhooks.py`).

The holder is fake and deterministic, as in Fintoc's test mode (which answers
faker data): a magic counterparty's CLABE gives its table name, any other
CLABE a name and RFC drawn from a hash of the CLABE, so the same CLABE always
names the same person.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, timedelta
from typing import Any

from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.ledger import add_movement, debit, insert_transfer, iso, runtime_id
from fintoc_tui.sandbox.ledger import tracking_key as make_tracking_key
from fintoc_tui.sandbox.magic import magic_for, outcome_for
from fintoc_tui.sandbox.store import SandboxStore, dumps

#: What a verification costs, in MXN minor units (1 centavo).
VERIFICATION_AMOUNT = 1

_FIRST_NAMES = (
    "Adrianne", "José", "María", "Íñigo", "Sofía", "Ramón", "Lucía", "Andrés",
    "Valentina", "Héctor", "Ximena", "Joaquín", "Renée", "Ángel", "Mónica", "Raúl",
)  # fmt: skip
_SURNAMES = (
    "Murray", "Núñez", "Pérez", "Gómez", "Hernández", "Ibáñez", "Martínez", "Ruíz",
    "Domínguez", "Ortíz", "Castañeda", "López", "Jiménez", "Álvarez", "Sánchez", "Peña",
)  # fmt: skip
_RFC_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_RFC_TAIL = "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789"


def registered_holder(clabe: str) -> tuple[str, str]:
    """(holder_name, holder_id) the sandbox's SPEI "registers" for `clabe`: always the same."""
    magic = magic_for("MXN", clabe)
    digest = hashlib.sha256(f"holder:{clabe}".encode()).digest()
    if magic is not None:
        # A company: a 12-character RFC (3 letters, date, 3 characters).
        letters = "".join(ch for ch in magic.holder_name.upper() if ch.isascii() and ch.isalpha())
        return magic.holder_name, _rfc(letters[:3].ljust(3, "X"), digest)
    first = _FIRST_NAMES[digest[0] % len(_FIRST_NAMES)]
    surname = _SURNAMES[digest[1] % len(_SURNAMES)]
    second = _SURNAMES[digest[2] % len(_SURNAMES)]
    initials = "".join(
        _RFC_LETTERS[(digest[3 + i]) % len(_RFC_LETTERS)] for i in range(4)
    )  # a person: 13 characters
    return f"{first} {surname} {second}", _rfc(initials, digest)


def _rfc(letters: str, digest: bytes) -> str:
    born = date(1950, 1, 1) + timedelta(days=int.from_bytes(digest[8:12], "big") % 18_000)
    tail = "".join(_RFC_TAIL[b % len(_RFC_TAIL)] for b in digest[12:15])
    return f"{letters}{born:%y%m%d}{tail}"


def failure_reason(transfer: dict[str, Any]) -> str:
    """Why a verification failed, from its final transfer.

    Fintoc: `reason` "is null unless the microdeposit transfer is returned",
    and its values are SPEI return reasons. A returned transfer gives its
    `return_reason`; the sandbox's failed or rejected transfers (magic
    CLABEs) have none, so they say `transfer_failed` / `transfer_rejected`
    (a sandbox choice, docs/sandbox.md).
    """
    return str(transfer.get("return_reason") or f"transfer_{transfer['status']}")


def verification_object(
    verification_id: str,
    *,
    transfer_id: str,
    counterparty: dict[str, Any],
    transaction_date: str,
) -> dict[str, Any]:
    """A pending verification, keys in the order Fintoc sends them (REC-MX)."""
    return {
        "object": "account_verification",
        "id": verification_id,
        "status": "pending",
        "reason": None,
        "transfer_id": transfer_id,
        "counterparty": counterparty,
        "mode": objects.MODE,
        "receipt_url": None,
        "transaction_date": transaction_date,
    }


def root_mxn_account(db: sqlite3.Connection) -> dict[str, Any] | None:
    """The account verifications are paid from: the root MXN account, else the first MXN one."""
    rows = db.execute(
        "SELECT data FROM accounts WHERE currency = 'MXN' AND status = 'active' ORDER BY seq"
    ).fetchall()
    accounts = [json.loads(row[0]) for row in rows]
    return next((a for a in accounts if a.get("is_root")), accounts[0] if accounts else None)


def create(
    store: SandboxStore,
    db: sqlite3.Connection,
    *,
    account: dict[str, Any],
    clabe: str,
    now: float,
    settle_after: float,
) -> dict[str, Any] | None:
    """Debit 1 centavo, make its transfer and a pending verification; None if the balance is short."""
    balance = debit(db, account["id"], VERIFICATION_AMOUNT)
    if balance is None:
        return None
    transfer_id = runtime_id(store, db, "tr")
    root = json.loads(
        db.execute(
            "SELECT data FROM account_numbers WHERE id = ?", (account["root_account_number_id"],)
        ).fetchone()[0]
    )
    counterparty = objects.counterparty_object(
        "MXN", account_number=clabe, holder_name=None, holder_id=None, account_type="clabe"
    )
    transfer = objects.transfer_object(
        transfer_id,
        amount=VERIFICATION_AMOUNT,
        currency="MXN",
        direction="outbound",
        status="pending",
        transaction_date=iso(now),
        post_date=None,
        comment=None,
        reference_id=None,
        tracking_key=make_tracking_key(now, store.next_counter(db, "tracking")),
        receipt_url=None,
        return_reason=None,
        counterparty=counterparty,
        account_number=root,
    )
    insert_transfer(
        db,
        transfer,
        account_id=account["id"],
        ts=int(now),
        settle_at=now + settle_after,
        outcome=outcome_for("MXN", clabe),
    )
    add_movement(
        store,
        db,
        account_id=account["id"],
        currency="MXN",
        amount=VERIFICATION_AMOUNT,
        balance=balance,
        direction="outbound",
        resource_id=transfer_id,
        when=now,
        type="transfer",
    )
    verification = verification_object(
        runtime_id(store, db, "accv"),
        transfer_id=transfer_id,
        counterparty=counterparty,
        transaction_date=iso(now),
    )
    db.execute(
        "INSERT INTO account_verifications (id, transfer_id, status, ts, data) "
        "VALUES (?, ?, 'pending', ?, ?)",
        (verification["id"], transfer_id, int(now), dumps(verification)),
    )
    return verification


def transition(
    db: sqlite3.Connection, verification: dict[str, Any], transfer: dict[str, Any], *, now: float
) -> dict[str, Any]:
    """Move a pending verification to its outcome, read from its final transfer; the only writer.

    Returns the verification as stored, and queues its
    `account_verification.<status>` webhook in the same transaction.
    """
    from fintoc_tui.sandbox import webhooks

    updated = dict(verification)
    if transfer["status"] == "succeeded":
        holder_name, holder_id = registered_holder(verification["counterparty"]["account_number"])
        updated["status"] = "succeeded"
        updated["counterparty"] = {
            **verification["counterparty"],
            "holder_id": holder_id,
            "holder_name": holder_name,
        }
        updated["receipt_url"] = transfer.get("receipt_url")
    else:
        updated["status"] = "failed"
        updated["reason"] = failure_reason(transfer)
    db.execute(
        "UPDATE account_verifications SET status = ?, data = ? WHERE id = ?",
        (updated["status"], dumps(updated), updated["id"]),
    )
    webhooks.publish_event(db, f"account_verification.{updated['status']}", updated, now=now)
    return updated


#: Pending verifications whose transfer will not change again (nothing left to settle).
_DUE = (
    "SELECT v.data, t.data FROM account_verifications v JOIN transfers t ON t.id = v.transfer_id "
    "WHERE v.status = 'pending' AND t.settle_at IS NULL ORDER BY v.seq"
)


def settle_due(store: SandboxStore, now: float) -> int:
    """Give every pending verification whose transfer is final its outcome; returns how many.

    Runs after lifecycle.settle_due at the start of each request (endpoint.py).
    """
    with store.reading() as db:
        if db.execute(_DUE + " LIMIT 1").fetchone() is None:
            return 0  # the common case: no write transaction
    with store.transaction() as db:
        rows = db.execute(_DUE).fetchall()
        for verification, transfer in rows:
            transition(db, json.loads(verification), json.loads(transfer), now=now)
    return len(rows)
