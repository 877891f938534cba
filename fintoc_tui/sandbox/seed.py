# Long module: the seeded data and its fast writer (pre-encoded JSON rows) are one idea;
# split, the tables would drift from the code that encodes them.
"""Deterministic demo data: one organisation, an MXN and a CLP account, and a history.

Everything comes from `random.Random(seed)` and the `now` passed in, so the same
seed and `now` give byte-identical objects. The history is built as events in
time order, then replayed into movements, so every balance change has a
movement and the movements add up to the balances (an opening deposit, sized
to keep the balance positive at every step, comes first). Money that went
back (a failed outbound transfer, a return) is a pair of movements that name
each other in `return_pair_id`.

The shapes follow Fintoc's real test mode: MX account numbers are Fintoc test
CLABEs (`735969…`, Banxico 90735), CL ones have 14 digits, a `post_date` is a
day at 00:00Z, and MX tracking keys are day + 90735 + a counter.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fintoc_tui import banking
from fintoc_tui.clock import isoformat_z
from fintoc_tui.sandbox import objects
from fintoc_tui.sandbox.ids import new_id
from fintoc_tui.sandbox.ledger import FINTOC_BANXICO_CODE
from fintoc_tui.sandbox.magic import MAGIC_COUNTERPARTIES
from fintoc_tui.sandbox.returns import INBOUND_RETURN_REASON, SEEDED_OUTBOUND_RETURN_REASONS
from fintoc_tui.sandbox.store import SandboxStore, dumps

ORG_NAME = "Tienda Demo SpA"
ORG_HOLDER_ID = "760864285"  # a valid RUT, 76.086.428-5
HISTORY_DAYS = 90
DEFAULT_SEED = 7
DEFAULT_TRANSFERS = 300

_MIN_OPENING = {"MXN": 250_000_000, "CLP": 150_000_000}  # $2,500,000.00 MXN, $150.000.000 CLP
_AMOUNTS = {"MXN": (5_000, 2_500_000), "CLP": (1_000, 1_500_000)}
_MX_BANKS = ("002", "012", "014", "021", "030", "036", "044", "058", "072", "127", "137", "646")
_MX_NAMES = (
    "Distribuidora Norte SA de CV",
    "Papelería Azteca",
    "Servicios Logísticos del Bajío",
    "María Fernanda López",
    "José Luis Hernández",
    "Café Tlaquepaque SA",
    "Renta de Oficinas Reforma",
    "Ana Sofía Martínez",
    "Tecnología Maya SAPI de CV",
    "Transportes Jalisco",
)
_CL_NAMES = (
    "Comercial Andes SpA",
    "Inversiones Pacífico Ltda",
    "Camila Rojas",
    "Sebastián Muñoz",
    "Panadería La Estrella",
    "Constructora Biobío SA",
    "Valentina González",
    "Agrícola Maule SpA",
    "Servicios Atacama Ltda",
    "Francisca Soto",
)
_COMMENTS = (
    "Pago factura",
    "Pago proveedores",
    "Reembolso gastos",
    "Anticipo pedido",
    "Nómina quincenal",
    "Arriendo oficina",
    "Pago servicios",
    "Devolución cliente",
    "Honorarios",
    None,
)
#: Fintoc's test CLABEs: bank 735 (Fintoc, Banxico 90735), plaza 969.
FINTOC_BANK, FINTOC_PLAZA = "735", "969"


# Seeding 100,000 transfers spends most of its time encoding JSON, so seeded
# objects are written through these templates; every value put in unquoted
# is an int, and every quoted one is an id, a timestamp, an enum or digits,
# which never need escaping. Free text (comments, counterparties, account
# numbers) goes through the real encoder. test_seed_magic checks that every
# seeded row is byte-identical to `dumps(objects.*_object(...))`.
_MOVEMENT = (
    '{"id":"%s","object":"movement","account_id":"%s","amount":%d,"balance":%d,'
    '"currency":"%s","direction":"%s","mode":"test","resource_id":%s,"return_pair_id":%s,'
    '"transaction_date":"%s","type":"%s"}'
)
_TRANSFER = (
    '{"object":"transfer","id":"%s","amount":%d,"currency":"%s","direction":"%s",'
    '"status":"%s","transaction_date":"%s","post_date":%s,"comment":%s,'
    '"reference_id":%s,"tracking_key":%s,"receipt_url":%s,"mode":"test",'
    '"counterparty":%s,"account_number":%s,"metadata":{},"return_reason":%s}'
)


def _q(value: str | None) -> str:
    """JSON for a string that needs no escaping (see above), or null."""
    return "null" if value is None else f'"{value}"'


def _transfer_json(
    transfer_id: str, amount: int, currency: str, direction: str, status: str,
    transaction_date: str, post_date: str | None, comment_json: str, reference_id: str | None,
    tracking_key: str | None, receipt_url: str | None, return_reason: str | None,
    counterparty_json: str, account_number_json: str,
) -> str:  # fmt: skip
    return _TRANSFER % (
        transfer_id,
        amount,
        currency,
        direction,
        status,
        transaction_date,
        _q(post_date),
        comment_json,
        _q(reference_id),
        _q(tracking_key),
        _q(receipt_url),
        counterparty_json,
        account_number_json,
        _q(return_reason),
    )


def _iso(ts: int) -> str:
    """`isoformat_z` for Unix seconds, without building a datetime (hot when seeding)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _iso_day(ts: int) -> str:
    """The UTC day of `ts` at midnight, as Fintoc writes a `post_date`."""
    return time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(ts))


@dataclass(eq=False)
class _Event:
    ts: int
    account: str
    delta: int
    type: str
    resource_id: str | None
    #: The event this one reverses (its movement and this one name each other).
    reverses: _Event | None = None
    movement_id: str = ""
    pair_id: str | None = None


def _counterparty_pools(rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    magic_numbers = {m.account_number for m in MAGIC_COUNTERPARTIES}
    mx: list[dict[str, Any]] = []
    while len(mx) < 24:
        bank = rng.choice(_MX_BANKS)
        number = _clabe(bank + f"{rng.randrange(1000):03d}" + f"{rng.randrange(10**11):011d}")
        if number in magic_numbers:
            continue
        mx.append(
            objects.counterparty_object(
                "MXN",
                account_number=number,
                holder_name=rng.choice(_MX_NAMES),
                holder_id=None,
                account_type="clabe",
            )
        )
    cl: list[dict[str, Any]] = []
    institutions = sorted(banking.CL_INSTITUTIONS)
    account_types = sorted(banking.CL_ACCOUNT_TYPES)
    while len(cl) < 24:
        body = str(rng.randrange(5_000_000, 25_000_000))
        rut = body + _rut_check(body)
        number = str(rng.randrange(10**7, 10**11))
        if number in magic_numbers:
            continue
        cl.append(
            objects.counterparty_object(
                "CLP",
                account_number=number,
                holder_name=rng.choice(_CL_NAMES),
                holder_id=rut,
                account_type=rng.choice(account_types),
                institution_id=rng.choice(institutions),
            )
        )
    return {"MXN": mx, "CLP": cl}


# The two check digits below are computed here rather than by the libraries
# `banking` wraps (clabe, python-stdnum): importing clabe imports pydantic and
# stdnum imports pydoc and ssl, ~150 ms together on a quiet machine, and a
# fresh data folder is seeded on the app's start-up path (`state_peek`).
# tests/sandbox/test_seed_speed.py holds both equal to the libraries.
_CLABE_WEIGHTS = (3, 7, 1) * 6


def _clabe(first17: str) -> str:
    """A CLABE from its first 17 digits: Banxico's weighted modulo-10 check digit appended."""
    total = sum(int(d) * w % 10 for d, w in zip(first17, _CLABE_WEIGHTS, strict=False))
    return first17 + str((10 - total % 10) % 10)


def _rut_check(body: str) -> str:
    """The modulo-11 check digit of a RUT's digits (`K` for 10)."""
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body)))
    digit = 11 - total % 11
    return "0" if digit == 11 else "K" if digit == 10 else str(digit)


def seed_store(
    store: SandboxStore,
    *,
    seed: int = DEFAULT_SEED,
    transfers: int = DEFAULT_TRANSFERS,
    now: datetime | None = None,
) -> None:
    """Fill an empty store with the demo organisation and `transfers` past transfers."""
    if store.is_seeded():
        raise RuntimeError("the sandbox store is already seeded; reset it first")
    if transfers < 0:
        raise ValueError("transfers must be >= 0")
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    now_ts = int(now.timestamp())
    start_ts = now_ts - HISTORY_DAYS * 86_400
    rng = random.Random(seed)

    entity = objects.entity_object(new_id("ent", rng), ORG_NAME, ORG_HOLDER_ID)
    created = isoformat_z(now - timedelta(days=HISTORY_DAYS + 30))

    # Account numbers: per currency a root one plus (MX) two collection CLABEs.
    accounts: dict[str, dict[str, Any]] = {}
    numbers: dict[str, list[dict[str, Any]]] = {}
    for currency in ("CLP", "MXN"):  # inserted CLP first so the MXN account lists first
        account_id = new_id("acc", rng)
        if currency == "MXN":
            specs = [
                ("Cuenta principal", True),
                ("Cobranza clientes", False),
                ("Reembolsos", False),
            ]
        else:
            specs = [("Cuenta principal", True)]
        numbers[currency] = []
        for description, is_root in specs:
            if currency == "MXN":
                number = _clabe(FINTOC_BANK + FINTOC_PLAZA + f"{rng.randrange(10**11):011d}")
            else:  # a Chilean Fintoc account number has 14 digits (additions §1.3)
                number = str(rng.randrange(10**13, 10**14))
            numbers[currency].append(
                objects.account_number_object(
                    new_id("acno", rng),
                    account_id=account_id,
                    number=number,
                    description=description,
                    is_root=is_root,
                    created_at=created,
                )
            )
        root = numbers[currency][0]
        accounts[currency] = objects.account_object(
            account_id,
            description=f"Cuenta {currency}",
            currency=currency,
            available_balance=0,
            entity=entity,
            root_number=root["number"],
            root_number_id=root["id"],
        )

    pools = _counterparty_pools(rng)
    # Counterparties and account numbers repeat across transfers: encode each once.
    comments = {comment: dumps(comment) for comment in _COMMENTS}
    encoded = {
        id(obj): dumps(obj)
        for obj in (*pools["MXN"], *pools["CLP"], *numbers["MXN"], *numbers["CLP"])
    }

    # Transfers, oldest first.
    times = sorted(rng.randrange(start_ts, now_ts - 600) for _ in range(transfers))
    pending_left = {"outbound": max(2, transfers // 100), "inbound": max(1, transfers // 150)}
    # The newest few of each direction stay in flight; pick them from the end.
    plan: list[tuple[str, str]] = []  # (currency, direction) per transfer
    for _ in times:
        currency = "MXN" if rng.random() < 0.6 else "CLP"
        direction = "outbound" if rng.random() < 0.5 else "inbound"
        plan.append((currency, direction))
    in_flight: set[int] = set()
    for index in range(len(plan) - 1, -1, -1):
        currency, direction = plan[index]
        if direction == "inbound" and currency != "MXN":
            continue  # only Mexican inbound transfers can be returned
        if pending_left[direction] > 0:
            pending_left[direction] -= 1
            in_flight.add(index)
    forced = {
        "outbound": ["succeeded", "failed", "rejected", "returned"],
        "inbound": ["succeeded", "returned", "return_failed"],
    }
    tracking = 0  # MX transfers, in and out, share Fintoc's tracking-key counter

    transfer_rows: list[tuple[Any, ...]] = []
    events: list[_Event] = []
    for index, (ts, (currency, direction)) in enumerate(zip(times, plan, strict=True)):
        account = accounts[currency]
        low, high = _AMOUNTS[currency]
        amount = rng.randrange(low, high)
        if currency == "CLP":
            amount = min(amount, banking.MAX_CLP_TRANSFER)
        counterparty = rng.choice(pools[currency])
        comment = rng.choice(_COMMENTS)
        if direction == "outbound":
            settled_on = numbers[currency][0]
        else:
            settled_on = rng.choice(numbers[currency])
        transfer_id = new_id("tr", rng)
        iso_when = _iso(ts)
        tracking_key = None
        reference_id = None
        if currency == "MXN":
            tracking += 1
            tracking_key = f"{iso_when[:10].replace('-', '')}{FINTOC_BANXICO_CODE}{tracking:017d}"
            if rng.random() < 0.5:
                reference_id = str(rng.randrange(1, 10**7))
        in_flight_now = index in in_flight
        returnable = direction == "outbound" or currency == "MXN"
        if forced[direction] and not in_flight_now and returnable:
            final = forced[direction].pop(0)
        elif direction == "outbound":
            final = rng.choices(("succeeded", "failed", "rejected", "returned"), (78, 7, 7, 8))[0]
        elif returnable:
            final = rng.choices(("succeeded", "returned", "return_failed"), (88, 10, 2))[0]
        else:
            final = "succeeded"
        settle_at: float | None = None
        outcome = final
        post_date = None
        receipt = None
        return_reason = None
        settle_ts = ts + rng.randrange(5, 600)
        sign = -1 if direction == "outbound" else 1
        sent = _Event(ts, currency, sign * amount, "transfer", transfer_id)
        events.append(sent)
        if direction == "outbound":
            if in_flight_now:
                status = "pending"
                outcome = "succeeded"
                settle_at = float(now_ts + rng.randrange(600, 6 * 3600))
            else:
                status = final
                if final in ("succeeded", "returned"):
                    post_date = _iso_day(settle_ts)
                    receipt = objects.receipt_url(transfer_id)
                if final in ("failed", "rejected"):
                    events.append(
                        _Event(settle_ts, currency, amount, "transfer_return", transfer_id, sent)
                    )
                if final == "returned":
                    return_ts = min(settle_ts + rng.randrange(3600, 5 * 86_400), now_ts - 60)
                    return_ts = max(return_ts, settle_ts + 1)
                    return_reason = rng.choice(SEEDED_OUTBOUND_RETURN_REASONS)
                    events.append(
                        _Event(return_ts, currency, amount, "transfer_return", transfer_id, sent)
                    )
        else:
            post_date = _iso_day(ts)
            receipt = objects.receipt_url(transfer_id)
            if in_flight_now:
                status = "return_pending"
                outcome = "returned"
                settle_at = float(now_ts + rng.randrange(600, 6 * 3600))
                return_ts = min(ts + rng.randrange(60, 3600), now_ts - 1)
                events.append(
                    _Event(
                        max(return_ts, ts + 1),
                        currency,
                        -amount,
                        "transfer_return",
                        transfer_id,
                        sent,
                    )
                )
            else:
                status = "succeeded" if final == "return_failed" else final
                if final in ("returned", "return_failed"):
                    return_ts = min(ts + rng.randrange(3600, 3 * 86_400), now_ts - 120)
                    return_ts = max(return_ts, ts + 1)
                    held = _Event(return_ts, currency, -amount, "transfer_return", transfer_id)
                    events.append(held)
                    if final == "returned":
                        return_reason = INBOUND_RETURN_REASON
                        held.reverses = sent
                    else:  # the return failed: the money held for it came back
                        events.append(
                            _Event(
                                return_ts + 1,
                                currency,
                                amount,
                                "transfer_return",
                                transfer_id,
                                held,
                            )
                        )
        if currency == "CLP":  # no SPEI in Chile: no receipt (objects.transfer_object)
            receipt = None
        transfer_rows.append(
            (
                transfer_id,
                account["id"],
                settled_on["id"],
                direction,
                status,
                currency,
                amount,
                ts,
                settle_at,
                outcome,
                None,
                _transfer_json(
                    transfer_id,
                    amount,
                    currency,
                    direction,
                    status,
                    iso_when,
                    post_date,
                    comments[comment],
                    reference_id,
                    tracking_key,
                    receipt,
                    return_reason,
                    encoded[id(counterparty)],
                    encoded[id(settled_on)],
                ),
            )
        )

    # Replay the events in time order: size the opening deposit, then write movements.
    events.sort(key=lambda e: e.ts)
    opening: dict[str, int] = {}
    for currency in accounts:
        running = lowest = 0
        for event in events:
            if event.account == currency:
                running += event.delta
                lowest = min(lowest, running)
        opening[currency] = max(_MIN_OPENING[currency], -lowest + _MIN_OPENING[currency] // 10)
    opening_ts = start_ts - 3600
    events[:0] = [_Event(opening_ts, c, opening[c], "other", None) for c in ("CLP", "MXN")]
    for event in events:
        event.movement_id = new_id("mov", rng)
    for event in events:
        if event.reverses is not None:
            event.pair_id = event.reverses.movement_id
            event.reverses.pair_id = event.movement_id
    balance = dict.fromkeys(accounts, 0)
    movement_rows: list[tuple[Any, ...]] = []
    for event in events:
        balance[event.account] += event.delta
        account = accounts[event.account]
        direction = "inbound" if event.delta > 0 else "outbound"
        movement = _MOVEMENT % (
            event.movement_id,
            account["id"],
            abs(event.delta),
            balance[event.account],
            event.account,
            direction,
            _q(event.resource_id),
            _q(event.pair_id),
            _iso(event.ts),
            event.type,
        )
        movement_rows.append(
            (event.movement_id, account["id"], movement, direction, event.resource_id, event.ts)
        )

    with store.transaction() as db:
        store.insert_many(db, "entities", ("id", "data"), [(entity["id"], dumps(entity))])
        for currency in ("CLP", "MXN"):
            account = accounts[currency]
            account["available_balance"] = balance[currency]
            store.insert_many(
                db,
                "accounts",
                ("id", "currency", "status", "available_balance", "data"),
                [(account["id"], currency, "active", balance[currency], dumps(account))],
            )
            store.insert_many(
                db,
                "account_numbers",
                ("id", "account_id", "number", "data"),
                [(n["id"], account["id"], n["number"], dumps(n)) for n in numbers[currency]],
            )
        store.insert_many(
            db,
            "transfers",
            (
                "id",
                "account_id",
                "account_number_id",
                "direction",
                "status",
                "currency",
                "amount",
                "ts",
                "settle_at",
                "outcome",
                "dedupe_key",
                "data",
            ),
            transfer_rows,
        )
        store.insert_many(
            db,
            "movements",
            ("id", "account_id", "data", "direction", "resource_id", "ts"),
            movement_rows,
        )
        store.set_meta(db, "seed", str(seed))
        store.set_meta(db, "counter:tracking", str(tracking))
        store.set_meta(db, "seeded_at", isoformat_z(now))
        store.set_meta(db, "seed_transfers", str(transfers))
