"""Issue 12 §1: whatever a client sends, the sandbox answers a Fintoc-shaped 4xx, never a 500.

Every case runs twice: in process (`httpx.ASGITransport`) and over a real
loopback socket (uvicorn), since a body that crashes one may not crash the
other. After each refusal nothing has changed: no transfer, no movement, the
same balances.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest
from sandbox_helpers import assert_error, cl_body, mx_body

from fintoc_tui.money import MAX_AMOUNT
from fintoc_tui.sandbox.app import SANDBOX_SECRET_KEY
from fintoc_tui.sandbox.limits import MAX_BODY_BYTES, TEXT_LIMITS
from fintoc_tui.sandbox.server import SandboxServer

FORM = "application/x-www-form-urlencoded"
HUGE = "9" * 5000  # past Python's 4,300-digit int conversion limit


@pytest.fixture(params=["in_process", "loopback"])
async def sandbox(request, sandbox, app):
    """The seeded sandbox (conftest's), reached in process or over a real loopback socket."""
    if request.param == "in_process":
        yield sandbox
        return
    with SandboxServer(app) as server:
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"Authorization": SANDBOX_SECRET_KEY}
        ) as client:
            sandbox.client = client
            yield sandbox


@dataclass(frozen=True)
class Ids:
    mx: str
    cl: str
    mx_number: str


async def ids(sandbox) -> Ids:
    accounts = await sandbox.accounts()
    return Ids(
        accounts["MXN"]["id"], accounts["CLP"]["id"], accounts["MXN"]["root_account_number_id"]
    )


def state(sandbox) -> tuple:
    store = sandbox.store
    return store.balances(), store.count("transfers"), store.count("movements")


async def post(sandbox, path: str, body: bytes, content_type: str = "application/json"):
    """POST raw bytes; the two JWS endpoints get a valid signature over exactly these bytes."""
    return await sandbox.post(
        path,
        body=body,
        sign=path != "/v2/simulate/receive_transfer",
        headers={"content-type": content_type},
    )


def form(**fields: str) -> bytes:
    return "&".join(f"{key}={value}" for key, value in fields.items()).encode()


def no_floats(text: str):
    raise AssertionError(f"a float in the sandbox's answer: {text}")


def assert_refused(response, status, code, param):
    """A Fintoc error naming `param`, whose message is short enough to read."""
    error = assert_error(response, status, code, param)
    assert len(error["message"]) < 300, error["message"]
    return error


# -- amounts past the bound ------------------------------------------------------------


AMOUNTS = [2**63, 2**64, 10**400]


@pytest.mark.parametrize("amount", [*AMOUNTS, HUGE], ids=["2^63", "2^64", "10^400", "5000 digits"])
@pytest.mark.parametrize("encoding", ["json", "form"])
@pytest.mark.parametrize("endpoint", ["transfers", "simulate"])
async def test_amounts_past_the_bound_are_a_400_naming_amount(sandbox, amount, encoding, endpoint):
    who = await ids(sandbox)
    before = state(sandbox)
    digits = str(amount)
    if endpoint == "transfers":
        path = "/v2/transfers"
        fields = {"currency": "MXN", "account_id": who.mx}
    else:
        path = "/v2/simulate/receive_transfer"
        fields = {"currency": "MXN", "account_number_id": who.mx_number}
    if encoding == "json":
        body = json.dumps({**fields, "amount": 0}).replace('"amount": 0', f'"amount": {digits}')
        if endpoint == "transfers":
            body = body[:-1] + ', "counterparty": {"account_number": "646180000000000054"}}'
        raw, content_type = body.encode(), "application/json"
    else:
        if endpoint == "transfers":
            fields["counterparty[account_number]"] = "646180000000000054"
        raw, content_type = form(**fields, amount=digits), FORM
    error = assert_refused(
        await post(sandbox, path, raw, content_type), 400, "invalid_amount", "amount"
    )
    assert f"at most {MAX_AMOUNT:,}" in error["message"]
    assert state(sandbox) == before


async def test_the_bound_itself_is_accepted_by_the_models(sandbox):
    """`MAX_AMOUNT` passes validation (then meets the balance, as any amount would)."""
    who = await ids(sandbox)
    response = await sandbox.post("/v2/transfers", mx_body(who.mx, MAX_AMOUNT))
    assert_refused(response, 409, "insufficient_balance", "amount")


# -- balances never pass the bound -------------------------------------------------------


async def simulate(sandbox, number_id: str, amount: int) -> httpx.Response:
    body = {"account_number_id": number_id, "amount": amount, "currency": "MXN"}
    return await sandbox.post("/v2/simulate/receive_transfer", body, sign=False)


async def test_ten_of_the_largest_amount_never_make_a_float_balance(sandbox):
    """The issue's attack: ten inbound 999,999,999,999,999,999 MXN; the books stay exact ints."""
    who = await ids(sandbox)
    statuses = [(await simulate(sandbox, who.mx_number, MAX_AMOUNT)).status_code for _ in range(10)]
    assert set(statuses) == {409}  # the demo account already holds money, so none fits
    response = await sandbox.get("/v2/accounts")
    for account in json.loads(response.content, parse_float=no_floats):
        assert type(account["available_balance"]) is int
    assert sandbox.store.balances() == sandbox.store.movement_totals()


async def test_credits_stop_exactly_at_the_bound_and_the_account_still_works(sandbox):
    who = await ids(sandbox)
    sandbox.clock.advance(3 * 24 * 3600)  # let every seeded transfer in flight settle
    balance = (await sandbox.accounts())["MXN"]["available_balance"]
    room = MAX_AMOUNT - balance

    error = assert_refused(
        await simulate(sandbox, who.mx_number, room + 1), 409, "balance_limit_exceeded", "amount"
    )
    assert "simulate at most" in error["message"]
    assert (await simulate(sandbox, who.mx_number, room)).status_code == 201
    # Still on its way (pending), it already takes the room: nothing more fits.
    assert_refused(
        await simulate(sandbox, who.mx_number, 1), 409, "balance_limit_exceeded", "amount"
    )
    sandbox.clock.advance(5)  # it arrives
    after = (await sandbox.accounts())["MXN"]["available_balance"]
    assert after == MAX_AMOUNT and type(after) is int
    assert_refused(
        await simulate(sandbox, who.mx_number, 1), 409, "balance_limit_exceeded", "amount"
    )

    # Money still flows out of a full account, and its books balance.
    response = await sandbox.post("/v2/transfers", mx_body(who.mx, 100))
    assert response.status_code == 201, response.text
    assert (await sandbox.accounts())["MXN"]["available_balance"] == MAX_AMOUNT - 100
    assert sandbox.store.balances() == sandbox.store.movement_totals()


async def test_a_credit_leaves_room_for_money_that_may_come_back(sandbox):
    """A failing outbound transfer gives its amount back: an inbound one cannot take that room."""
    who = await ids(sandbox)
    sandbox.clock.advance(3 * 24 * 3600)
    balance = (await sandbox.accounts())["MXN"]["available_balance"]
    assert (await simulate(sandbox, who.mx_number, MAX_AMOUNT - balance)).status_code == 201
    sandbox.clock.advance(5)  # it arrives
    failing = mx_body(who.mx, 5_000)
    failing["counterparty"]["account_number"] = "014180000000000026"  # magic: fails
    assert (await sandbox.post("/v2/transfers", failing)).status_code == 201

    # 5,000 left the balance but may come back: there is no room for it.
    assert_refused(
        await simulate(sandbox, who.mx_number, 5_000), 409, "balance_limit_exceeded", "amount"
    )
    sandbox.clock.advance(10)
    transfers = (await sandbox.get("/v2/transfers", params={"limit": 1})).json()
    assert transfers[0]["status"] == "failed"
    assert (await sandbox.accounts())["MXN"]["available_balance"] == MAX_AMOUNT
    assert sandbox.store.balances() == sandbox.store.movement_totals()


# -- form-encoded bodies -------------------------------------------------------------------


async def test_a_form_field_given_as_value_and_object_is_a_400_naming_it(sandbox):
    who = await ids(sandbox)
    before = state(sandbox)
    base = f"amount=100&currency=MXN&account_id={who.mx}"
    for tail in (
        "counterparty=x&counterparty[account_number]=1",
        "counterparty[account_number]=1&counterparty=x",
        "counterparty[account_number][deeper]=1",
    ):
        response = await post(sandbox, "/v2/transfers", f"{base}&{tail}".encode(), FORM)
        assert_refused(response, 400, "invalid_request", "counterparty")
    response = await post(
        sandbox,
        "/v2/simulate/receive_transfer",
        b"amount=1&currency=MXN&account_number_id=x&account_number_id[y]=1",
        FORM,
    )
    assert_refused(response, 400, "invalid_request", "account_number_id")
    assert state(sandbox) == before


async def test_a_form_transfer_that_is_right_is_created(sandbox):
    """Nested form fields, as Fintoc's curl examples send them, still work."""
    who = await ids(sandbox)
    body = form(
        amount="100",
        currency="MXN",
        account_id=who.mx,
        **{"counterparty[account_number]": "646180000000000054", "metadata[order]": "A-1"},
    )
    response = await post(sandbox, "/v2/transfers", body, FORM)
    assert response.status_code == 201, response.text
    assert response.json()["metadata"] == {"order": "A-1"}


async def test_a_form_value_that_is_not_utf8_is_a_400_naming_it(sandbox):
    who = await ids(sandbox)
    # %ED%A0%80 is the UTF-8-style encoding of the lone surrogate U+D800: not UTF-8.
    body = form(account_number_id=who.mx_number, amount="1", currency="MXN", comment="%ED%A0%80")
    response = await post(sandbox, "/v2/simulate/receive_transfer", body, FORM)
    assert_refused(response, 400, "invalid_request", "comment")


# -- text: control characters, surrogates, lengths -------------------------------------------

BAD_TEXT = {
    "NUL": "a\x00b",
    "ESC": "\x1b[2J\x1b[31mPAID",
    "OSC": "\x1b]0;pwned\x07",
    "DEL": "x\x7f",
    "C1 CSI": "x\x9b31m",
    "line break": "a\nb",
    "lone surrogate": "\ud800",
}


@pytest.mark.parametrize("text", BAD_TEXT.values(), ids=BAD_TEXT.keys())
@pytest.mark.parametrize(
    ("field", "param"),
    [
        ("comment", "comment"),
        ("holder_name", "counterparty.holder_name"),
        ("metadata", "metadata.note"),
        ("metadata key", "metadata"),
    ],
)
async def test_control_characters_in_a_transfer_are_a_400_naming_the_field(
    sandbox, text, field, param
):
    who = await ids(sandbox)
    before = state(sandbox)
    body = cl_body(who.cl)
    if field == "holder_name":
        body["counterparty"]["holder_name"] = text
    elif field == "metadata":
        body["metadata"] = {"note": text}
    elif field == "metadata key":
        body["metadata"] = {text: "x"}
    else:
        body[field] = text
    # json.dumps escapes everything outside ASCII, so the lone surrogate is sent as \ud800.
    raw = json.dumps(body).encode()
    error = assert_refused(await post(sandbox, "/v2/transfers", raw), 400, "invalid_request", param)
    assert "U+" in error["message"]
    assert state(sandbox) == before


@pytest.mark.parametrize("text", BAD_TEXT.values(), ids=BAD_TEXT.keys())
@pytest.mark.parametrize("field", ["comment", "counterparty_holder_name", "counterparty_holder_id"])
async def test_control_characters_in_a_simulated_transfer_are_a_400(sandbox, text, field):
    who = await ids(sandbox)
    body = {"account_number_id": who.mx_number, "amount": 1, "currency": "MXN", field: text}
    response = await post(sandbox, "/v2/simulate/receive_transfer", json.dumps(body).encode())
    assert_refused(response, 400, "invalid_request", field)


async def test_form_bodies_get_the_same_character_checks(sandbox):
    who = await ids(sandbox)
    body = form(
        account_number_id=who.mx_number,
        amount="1",
        currency="MXN",
        counterparty_holder_name=quote("\x1b[2JAna"),
    )
    response = await post(sandbox, "/v2/simulate/receive_transfer", body, FORM)
    assert_refused(response, 400, "invalid_request", "counterparty_holder_name")


@pytest.mark.parametrize("param", sorted(TEXT_LIMITS))
async def test_each_text_limit_refuses_one_character_more(sandbox, param):
    who = await ids(sandbox)
    limit = TEXT_LIMITS[param]
    if param.startswith("counterparty_") or param == "account_number_id":
        path = "/v2/simulate/receive_transfer"
        body = {"account_number_id": who.mx_number, "amount": 1, "currency": "MXN"}
    elif param == "transfer_id":
        path, body = "/v2/transfers/return", {}
    else:
        path, body = "/v2/transfers", cl_body(who.cl)
    target = body
    *outer, name = param.split(".")
    for part in outer:
        target = target[part]
    target[name] = "7" * (limit.max_length + 1)
    error = assert_refused(
        await post(sandbox, path, json.dumps(body).encode()), 400, limit.code, param
    )
    assert f"at most {limit.max_length} characters" in error["message"]


async def test_a_reference_id_sent_as_a_number_has_the_same_limit(sandbox):
    who = await ids(sandbox)
    body = cl_body(who.cl, reference_id=10**40)  # 41 digits, within MAX_NUMBER_DIGITS
    response = await post(sandbox, "/v2/transfers", json.dumps(body).encode())
    assert_refused(response, 400, "invalid_reference_id_size", "reference_id")


async def test_a_text_field_holding_an_object_is_refused_without_quoting_it(sandbox):
    who = await ids(sandbox)
    body = mx_body(who.mx, currency={"x" * 1000: ["y" * 1000]})
    error = assert_refused(
        await post(sandbox, "/v2/transfers", json.dumps(body).encode()),
        400,
        "invalid_currency",
        "currency",
    )
    assert "xxx" not in error["message"]


async def test_a_holder_name_at_its_limit_is_accepted(sandbox):
    who = await ids(sandbox)
    body = cl_body(who.cl)
    body["counterparty"]["holder_name"] = "Ñ" * TEXT_LIMITS["counterparty.holder_name"].max_length
    response = await sandbox.post("/v2/transfers", body)
    assert response.status_code == 201, response.text


async def test_a_ten_megabyte_holder_name_is_refused_before_it_is_read(sandbox):
    who = await ids(sandbox)
    before = state(sandbox)
    body = {
        "account_number_id": who.mx_number,
        "amount": 1,
        "currency": "MXN",
        "counterparty_holder_name": "A" * 10_000_000,
    }
    response = await post(sandbox, "/v2/simulate/receive_transfer", json.dumps(body).encode())
    error = assert_refused(response, 413, "request_too_large", None)
    assert error["param"] is None and error["type"] == "invalid_request_error"
    assert state(sandbox) == before
    assert len((await sandbox.get("/v2/transfers", params={"limit": 300})).content) < 1_000_000


async def test_a_body_just_under_the_size_limit_is_read(sandbox):
    who = await ids(sandbox)
    body = {"account_number_id": who.mx_number, "amount": 1, "currency": "MXN", "pad": ""}
    size = len(json.dumps(body).encode())
    body["pad"] = "p" * (MAX_BODY_BYTES - size)
    assert len(json.dumps(body).encode()) == MAX_BODY_BYTES
    response = await post(sandbox, "/v2/simulate/receive_transfer", json.dumps(body).encode())
    assert response.status_code == 201, response.text


async def test_deeply_nested_json_is_a_400_not_a_crash(sandbox):
    response = await post(
        sandbox, "/v2/simulate/receive_transfer", b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    )
    assert_refused(response, 400, "invalid_json", None)
    response = await post(sandbox, "/v2/simulate/receive_transfer", b'{"amount": NaN}')
    assert_refused(response, 400, "invalid_json", None)


# -- query strings and paths ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "param"),
    [
        ("/v2/accounts?limit=" + HUGE, 400, "limit"),
        ("/v2/transfers?limit=%00", 400, "limit"),
        ("/v2/transfers?starting_after=" + "x" * 5000, 400, "starting_after"),
        ("/v2/transfers?since=" + HUGE, 400, "since"),
        ("/v2/transfers/" + "x" * 5000, 404, "id"),
    ],
    ids=["limit of 5000 digits", "limit NUL", "long cursor", "since of 5000 digits", "long id"],
)
async def test_hostile_query_strings_and_paths_are_short_4xx(sandbox, url, status, param):
    response = await sandbox.get(url)
    code = "missing_resource" if status == 404 else "invalid_request"
    assert_refused(response, status, code, param)


async def test_an_announced_length_of_5000_digits_is_a_413(app):
    """In process only: a real HTTP client (and h11) would refuse to send such a header."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://sandbox.test",
        headers={"Authorization": SANDBOX_SECRET_KEY},
    ) as client:
        response = await client.post(
            "/v2/simulate/receive_transfer", content=b"{}", headers={"content-length": "9" * 5000}
        )
    assert_refused(response, 413, "request_too_large", None)
