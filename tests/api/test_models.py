"""API models: parsing Fintoc JSON, the API shape back out, and request validation."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from fintoc_tui.api.models import (
    Account,
    AccountNumber,
    AccountStatus,
    CLCounterparty,
    Direction,
    ErrorBody,
    Institution,
    Movement,
    MovementType,
    MXCounterparty,
    ReturnTransferRequest,
    SimulateReceiveTransferRequest,
    Transfer,
    TransferRequest,
    TransferRequestError,
    TransferStatus,
    error_detail,
    field_errors,
    parse_list,
    validate_against_account,
)
from fintoc_tui.banking import make_clabe

# -- Fixtures: real test-mode responses where one was recorded ----------------------
# REC-MX: fintoc-com/fintoc-ruby@b4c6244 spec/vcr/Fintoc_V2_Client (Sep 2025), verbatim.
# REC-CL: fintoc-api-additions.md §1.3 (Jan 2026), verbatim.

ACCOUNT_JSON = """{"id":"acc_31yYL7h9LVPg121AgFtCyJPDsgM","object":"account","mode":"test",\
"root_account_number":"735969000000203297","is_root":false,\
"root_account_number_id":"acno_31yYL5uOb39vzvRIszPhoXYMjt4","available_balance":21960000,\
"currency":"MXN","entity":{"id":"ent_31t0VhhrAXASFQTVYfCfIBnljbT","holder_name":"Fintoc",\
"holder_id":"ND","is_root":true},"description":"Updated account description","status":"active"}"""

ACCOUNT_NUMBER = {
    "id": "acno_326dzRGqxLee3j9TkaBBBMfs2i0",
    "account_id": "acc_31yYL7h9LVPg121AgFtCyJPDsgM",
    "number": "735969000000203365",
    "created_at": "2025-09-01T16:46:57Z",
    "updated_at": "2025-09-01T16:54:40Z",
    "mode": "test",
    "description": "Updated account number description",
    "metadata": {"test_id": "12345"},
    "status": "enabled",
    "is_root": False,
    "object": "account_number",
}

TRANSFER_JSON = """{"object":"transfer","id":"tr_329NGN1M4If6VvcMRALv4gjAQJx","amount":50000,\
"currency":"MXN","direction":"outbound","status":"succeeded",\
"transaction_date":"2025-09-02T15:58:51Z","post_date":"2025-09-02T00:00:00Z",\
"comment":"Test payment","reference_id":"123456",\
"tracking_key":"202509029073500000000000000006",\
"receipt_url":"https://www.banxico.org.mx/cep-beta/go?i=90735\u0026s=dummy\u0026d=qOK7ARfoEwlVpkLWUmFvihhtr5%2B4Gf1LA%2FnWvzdRnC8vLzAGeXauPtgz1bSaTV%2BmUP9oThn6%2B%2Bujt23nuyI3u8OR00eq5WezdAT1eG%2BhBvo%3D",\
"mode":"test","counterparty":{"holder_id":"LFHU290523OG0","holder_name":"Jon Snow",\
"account_number":"735969000000203297","account_type":"clabe",\
"institution":{"id":"90735","name":"FINTOC","country":"mx"}},\
"account_number":{"id":"acno_31yYL5uOb39vzvRIszPhoXYMjt4",\
"account_id":"acc_31yYL7h9LVPg121AgFtCyJPDsgM","number":"735969000000203297",\
"created_at":"2025-08-29T20:02:00Z","updated_at":"2025-08-29T20:02:00Z","mode":"test",\
"description":null,"metadata":{},"status":"enabled","is_root":true,"object":"account_number"},\
"metadata":{},"return_reason":null}"""

CL_TRANSFER_JSON = """{"object":"transfer","id":"tr_38BJS6KaKAzrcJklAtp68T041UO","amount":3000000,\
"currency":"CLP","direction":"outbound","status":"succeeded",\
"transaction_date":"2026-01-13T01:17:23Z","post_date":"2026-01-13T00:00:00Z",\
"comment":"fintoc_case_batch_72_1768267027","reference_id":null,"tracking_key":null,\
"receipt_url":null,"mode":"test","counterparty":{"holder_id":"111111111",\
"holder_name":"Destinatario Prueba","account_number":"12345678","account_type":null,\
"institution":{"id":"cl_banco_de_chile","name":"Banco De Chile","country":"cl"}},\
"account_number":{"id":"acno_388Zcn8sbU94DypTWErqqrrDwU1",\
"account_id":"acc_388ZcnIcTbLP91rBLLAc8zS9Fog","number":"17681832392936",\
"created_at":"2026-01-12T02:00:39Z","updated_at":"2026-01-12T02:00:41Z","mode":"test",\
"description":null,"metadata":{},"status":"enabled","is_root":true,"object":"account_number"},\
"metadata":{},"return_reason":null}"""

# The older docs' transfer example: `mx_banco_*` institution ids, a `created_at`,
# `counterparty.email`. Never seen on the wire, but a client must still read it.
DOC_TRANSFER = {
    "id": "tr_Kasf91034gj1AD",
    "object": "transfer",
    "amount": 59013,
    "currency": "MXN",
    "direction": "outbound",
    "status": "succeeded",
    "mode": "test",
    "created_at": "2024-03-01T20:09:42.949787176Z",
    "transaction_date": "2024-03-01T20:09:42.949787176Z",
    "post_date": "2024-03-01",
    "comment": None,
    "reference_id": None,
    "tracking_key": None,
    "receipt_url": "https://www.banxico.org.mx/cep/",
    "return_reason": None,
    "counterparty": {
        "holder_id": None,
        "holder_name": "Juan",
        "email": None,
        "account_number": "012969100000000026",
        "account_type": "clabe",
        "institution": {"id": "mx_banco_bbva", "country": "mx", "name": "BBVA Mexico"},
    },
    "account_number": None,
    "metadata": {},
}

PENDING_CL_TRANSFER = {
    "object": "transfer",
    "id": "tr_2vF1ZzYyXxWwVvUuTtSsRrQqPpO",
    "amount": 59013,
    "currency": "CLP",
    "direction": "outbound",
    "status": "pending",
    "transaction_date": "2025-09-02T16:00:00Z",
    "post_date": None,
    "comment": None,
    "reference_id": None,
    "tracking_key": None,
    "receipt_url": None,
    "mode": "live",
    "counterparty": {
        "holder_id": "123456785",
        "holder_name": "Ana Pérez",
        "account_number": "00012345678",
        "account_type": "checking_account",
        "institution": {"id": "cl_banco_estado", "name": "BancoEstado", "country": "cl"},
    },
    "account_number": None,
    "metadata": {},
    "return_reason": None,
}

MOVEMENT_JSON = """[
  {"id": "mov_2vF1MoVeMeNt00000000000001", "object": "movement",
   "account_id": "acc_2vF18K9mV4dL7qP0sT3wX6yZ1aB", "amount": 59013, "balance": 12345678,
   "currency": "MXN", "direction": "outbound", "mode": "test",
   "resource_id": "tr_2vF1AbCdEfGhIjKlMnOpQrStUvW", "return_pair_id": null,
   "transaction_date": "2025-09-02T15:58:51Z", "type": "transfer"},
  {"id": "mov_2vF1MoVeMeNt00000000000002", "object": "movement",
   "account_id": "acc_2vF18K9mV4dL7qP0sT3wX6yZ1aB", "amount": 100000, "balance": 12404691,
   "currency": "MXN", "direction": "inbound", "mode": "test",
   "resource_id": "tr_2vF1InBoUnD000000000000001",
   "transaction_date": "2025-09-02T15:00:00Z", "type": "cashback"}
]"""

ERROR_JSON = """{"error": {"type": "invalid_request_error", "code": "missing_resource",
  "message": "No such transfer: tr_2vF1nope", "param": "id",
  "doc_url": "https://docs.fintoc.com/reference/errors"}}"""


# -- Parsing ---------------------------------------------------------------------


def test_account_parses():
    account = Account.model_validate_json(ACCOUNT_JSON)
    assert account.available_balance == 21960000
    assert account.currency == "MXN"
    assert account.is_active
    assert account.status == AccountStatus.ACTIVE
    assert account.entity is not None
    assert account.entity.holder_name == "Fintoc"


def test_transfer_parses_with_nested_objects():
    transfer = Transfer.model_validate_json(TRANSFER_JSON)
    assert transfer.amount == 50000
    assert transfer.transaction_date == datetime(2025, 9, 2, 15, 58, 51, tzinfo=UTC)
    assert transfer.post_date == datetime(2025, 9, 2, tzinfo=UTC)
    assert transfer.counterparty.institution == Institution(id="90735", name="FINTOC", country="mx")
    assert isinstance(transfer.account_number, AccountNumber)
    assert transfer.account_number.number == "735969000000203297"
    assert "created_at" not in transfer.to_api_dict()  # real transfers have none
    assert transfer.is_final
    assert transfer.is_outbound and not transfer.is_inbound
    assert transfer.known_status is TransferStatus.SUCCEEDED
    assert transfer.return_reason is None


def test_pending_transfer_allows_nulls_and_is_not_final():
    transfer = Transfer.model_validate(PENDING_CL_TRANSFER)
    assert transfer.post_date is None
    assert transfer.receipt_url is None
    assert transfer.is_pending
    assert not transfer.is_final
    assert not transfer.is_returnable


@pytest.mark.parametrize(
    ("status", "final"),
    [
        ("pending", False),
        ("succeeded", True),
        ("failed", True),
        ("rejected", True),
        ("returned", True),
        ("return_pending", False),
        ("reject_failed", True),
        ("partially_succeeded", True),
        ("on_hold", False),
    ],
)
def test_is_final(status, final):
    transfer = Transfer.model_validate({**PENDING_CL_TRANSFER, "status": status})
    assert transfer.is_final is final


def test_unknown_status_and_direction_parse():
    transfer = Transfer.model_validate(
        {**PENDING_CL_TRANSFER, "status": "on_hold", "direction": "sideways"}
    )
    assert transfer.status == "on_hold"
    assert transfer.known_status is None
    assert not transfer.is_inbound and not transfer.is_outbound


def test_returnable_only_when_inbound_and_succeeded():
    inbound = Transfer.model_validate(
        {**PENDING_CL_TRANSFER, "direction": Direction.INBOUND, "status": "succeeded"}
    )
    assert inbound.is_returnable
    assert not inbound.model_copy(update={"status": "return_pending"}).is_returnable


def test_chile_nulls_parse_as_none():
    """REC-CL: a succeeded CL transfer has no reference, tracking key, receipt or account type."""
    transfer = Transfer.model_validate_json(CL_TRANSFER_JSON)
    assert transfer.status == TransferStatus.SUCCEEDED and transfer.is_final
    assert transfer.reference_id is None and transfer.tracking_key is None
    assert transfer.receipt_url is None
    assert transfer.counterparty.account_type is None
    assert transfer.counterparty.holder_id == "111111111"  # the RUT without its hyphen


def test_the_older_docs_transfer_shape_still_parses():
    transfer = Transfer.model_validate(DOC_TRANSFER)
    assert transfer.counterparty.institution.id == "mx_banco_bbva"
    assert transfer.model_extra == {"created_at": "2024-03-01T20:09:42.949787176Z"}
    assert transfer.counterparty.model_extra == {"email": None}
    assert transfer.post_date == datetime(2024, 3, 1, tzinfo=UTC)  # a bare date is midnight UTC


@pytest.mark.parametrize(
    ("status", "known"),
    [
        ("reject_failed", TransferStatus.REJECT_FAILED),
        ("partially_succeeded", TransferStatus.PARTIALLY_SUCCEEDED),
    ],
)
def test_documented_but_unseen_statuses_parse_as_final(status, known):
    transfer = Transfer.model_validate({**PENDING_CL_TRANSFER, "status": status})
    assert transfer.known_status is known
    assert transfer.is_final and not transfer.is_pending and not transfer.is_returnable


def test_movement_docs_example_parses_with_its_reversal_pair():
    """docs.fintoc.com's movement object, with `return_pair_id` set as a reversal would."""
    movement = Movement.model_validate(
        {
            "id": "mov_2daFu0zqqDtZGJaSi2TGI2Mm1nN",
            "object": "movement",
            "account_id": "acc_2rN1bQ8xHvK3mWpYzLd7TfGcRsE",
            "amount": 50000,
            "balance": 1050000,
            "currency": "MXN",
            "direction": "inbound",
            "mode": "test",
            "resource_id": "tr_2sP9cR4yJwM6nXqZaNe8UgHdSt0",
            "return_pair_id": "mov_2daFu0zqqDtZGJaSi2TGI2Mm1nO",
            "transaction_date": "2026-03-01T12:00:00.000Z",
            "type": "transfer_return",
        }
    )
    assert movement.return_pair_id == "mov_2daFu0zqqDtZGJaSi2TGI2Mm1nO"
    assert movement.balance == 1050000 and movement.signed_amount == 50000


def test_movement_without_balance_or_with_a_bare_date_still_parses():
    data = json.loads(MOVEMENT_JSON)[0]
    del data["balance"], data["return_pair_id"]
    data["transaction_date"] = "2025-09-02"  # the older docs' YYYY-MM-DD
    movement = Movement.model_validate(data)
    assert movement.balance is None and movement.return_pair_id is None
    assert movement.transaction_date == datetime(2025, 9, 2, tzinfo=UTC)


def test_unrecognised_institution_may_be_null():
    data = copy.deepcopy(PENDING_CL_TRANSFER)
    data["counterparty"]["institution"] = {"id": None, "name": None, "country": "mx"}
    transfer = Transfer.model_validate(data)
    assert transfer.counterparty.institution == Institution(country="mx")
    assert transfer.to_api_dict() == data


def test_unknown_fields_are_kept_and_sent_back():
    data = json.loads(TRANSFER_JSON)
    data["fee"] = {"amount": 300, "currency": "MXN"}
    data["counterparty"]["bank_branch"] = "001"
    data["counterparty"]["institution"]["logo"] = "bbva.svg"
    transfer = Transfer.model_validate(data)
    assert transfer.model_extra == {"fee": {"amount": 300, "currency": "MXN"}}
    assert transfer.counterparty.model_extra == {"bank_branch": "001"}
    out = transfer.to_api_dict()
    assert out["fee"] == {"amount": 300, "currency": "MXN"}
    assert out["counterparty"]["institution"]["logo"] == "bbva.svg"


def test_movements_parse_as_a_list():
    movements = parse_list(Movement, MOVEMENT_JSON.encode())
    assert [m.type for m in movements] == [MovementType.TRANSFER, "cashback"]
    assert [m.signed_amount for m in movements] == [-59013, 100000]
    assert parse_list(Movement, json.loads(MOVEMENT_JSON)) == movements


def test_error_body_parses_and_builds():
    body = ErrorBody.model_validate_json(ERROR_JSON)
    assert body.error.code == "missing_resource"
    assert body.error.param == "id"
    built = ErrorBody.of(
        "invalid_request_error",
        "missing_resource",
        "No such transfer: tr_2vF1nope",
        param="id",
        doc_url="https://docs.fintoc.com/reference/errors",
    )
    assert built.to_api_dict() == json.loads(ERROR_JSON)
    assert ErrorBody.of("api_error", "internal_server_error", "boom").to_api_dict() == {
        "error": {
            "type": "api_error",
            "code": "internal_server_error",
            "message": "boom",
            "param": None,
            "doc_url": None,
        }
    }


@pytest.mark.parametrize("amount", [12.5, 12.0, "12", "12.5", True, None])
def test_float_or_text_amounts_are_rejected(amount):
    data = {**PENDING_CL_TRANSFER, "amount": amount}
    with pytest.raises(ValidationError) as info:
        Transfer.model_validate(data)
    assert "amount" in field_errors(info.value)
    with pytest.raises(ValidationError):
        Transfer.model_validate_json(json.dumps(data))


def test_float_balance_is_rejected_from_json():
    data = json.loads(ACCOUNT_JSON)
    data["available_balance"] = 123.45
    with pytest.raises(ValidationError) as info:
        Account.model_validate_json(json.dumps(data))
    assert list(field_errors(info.value)) == ["available_balance"]


def test_big_integer_amount_stays_exact():
    data = json.loads(ACCOUNT_JSON)
    data["available_balance"] = 10**17 + 1
    assert Account.model_validate_json(json.dumps(data)).available_balance == 10**17 + 1


def test_naive_timestamp_is_rejected():
    with pytest.raises(ValidationError) as info:
        Transfer.model_validate({**PENDING_CL_TRANSFER, "transaction_date": "2025-09-02T16:00:00"})
    assert "transaction_date" in field_errors(info.value)


def test_timestamps_serialise_in_fintoc_shape():
    data = {**PENDING_CL_TRANSFER, "transaction_date": "2025-09-02T13:00:00.750-03:00"}
    transfer = Transfer.model_validate(data)
    assert transfer.to_api_dict()["transaction_date"] == "2025-09-02T16:00:00Z"
    # Python-mode dumps keep the datetime for code that does arithmetic on it.
    assert isinstance(transfer.model_dump()["transaction_date"], datetime)


# -- Round trips -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (Account, json.loads(ACCOUNT_JSON)),
        (AccountNumber, ACCOUNT_NUMBER),
        (Transfer, json.loads(TRANSFER_JSON)),
        (Transfer, json.loads(CL_TRANSFER_JSON)),
        (Transfer, PENDING_CL_TRANSFER),
        (Movement, json.loads(MOVEMENT_JSON)[0]),
        (ErrorBody, json.loads(ERROR_JSON)),
    ],
)
def test_round_trip_equals_input(model, data):
    original = copy.deepcopy(data)
    out = model.model_validate(data).to_api_dict()
    assert out == original
    # §3 order first, so the sandbox renders fields the way the API does.
    assert list(out) == list(original)
    assert model.model_validate_json(json.dumps(out)).to_api_dict() == original


def test_models_built_in_code_render_the_api_shape():
    number = AccountNumber(
        id="acno_1",
        account_id="acc_1",
        number="738180000000000014",
        mode="test",
        status="enabled",
        created_at=datetime(2025, 9, 1, 12, tzinfo=UTC),
    )
    out = number.to_api_dict()
    assert out["object"] == "account_number"
    assert out["metadata"] == {}
    assert out["created_at"] == "2025-09-01T12:00:00Z"
    assert out["updated_at"] is None
    assert list(out)[:3] == ["id", "account_id", "number"]  # as Fintoc orders them


# -- TransferRequest -----------------------------------------------------------------

MX_BODY = {
    "amount": 59013,
    "currency": "mxn",
    "account_id": "acc_2vF18K9mV4dL7qP0sT3wX6yZ1aB",
    "counterparty": {
        "account_number": "012 180 01555555555 0",
        "holder_name": "Juan López",
        "account_type": "clabe",
    },
    "comment": "Pago factura 1042",
    "reference_id": "150195",
    "metadata": {"invoice": "1042"},
}

CL_BODY = {
    "amount": 59013,
    "currency": "CLP",
    "account_id": "acc_2vF1ClPaCcOuNt000000000001",
    "counterparty": {
        "holder_id": "12.345.678-5",
        "holder_name": "Ana Pérez",
        "account_number": "000-123-45678",
        "account_type": "checking",
        "institution_id": "cl_banco_estado",
    },
}


def errors_for(data) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        TransferRequest.model_validate(data)
    return field_errors(info.value)


def with_counterparty(body, **changes):
    return {**body, "counterparty": {**body["counterparty"], **changes}}


def test_mx_request_normalises_and_picks_mx_counterparty():
    request = TransferRequest.model_validate(MX_BODY)
    assert request.currency == "MXN"
    assert isinstance(request.counterparty, MXCounterparty)
    assert request.counterparty.account_number == "012180015555555550"
    assert request.is_mx


def test_mx_to_body_bytes_exact():
    assert TransferRequest.model_validate(MX_BODY).to_body() == (
        b'{"amount":59013,"currency":"MXN","account_id":"acc_2vF18K9mV4dL7qP0sT3wX6yZ1aB",'
        b'"counterparty":{"holder_name":"Juan L\xc3\xb3pez",'
        b'"account_number":"012180015555555550","account_type":"clabe"},'
        b'"comment":"Pago factura 1042","reference_id":"150195",'
        b'"metadata":{"invoice":"1042"}}'
    )


def test_cl_to_body_bytes_exact():
    request = TransferRequest.model_validate(CL_BODY)
    assert isinstance(request.counterparty, CLCounterparty)
    assert request.to_body() == (
        b'{"amount":59013,"currency":"CLP","account_id":"acc_2vF1ClPaCcOuNt000000000001",'
        b'"counterparty":{"holder_id":"123456785","holder_name":"Ana P\xc3\xa9rez",'
        b'"account_number":"00012345678","account_type":"checking_account",'
        b'"institution_id":"cl_banco_estado"}}'
    )


def test_to_body_is_stable_and_parses_back_to_the_same_request():
    request = TransferRequest.model_validate(MX_BODY)
    body = request.to_body()
    again = TransferRequest.model_validate_json(body)
    assert again == request
    assert again.to_body() == body


def test_mx_ignores_institution_id_and_unknown_fields():
    data = with_counterparty(MX_BODY, institution_id="40002")
    data["idempotency"] = "nope"
    body = TransferRequest.model_validate(data).to_body()
    assert b"institution_id" not in body and b"idempotency" not in body


def test_reference_id_number_is_sent_as_text():
    request = TransferRequest.model_validate({**MX_BODY, "reference_id": 150195})
    assert request.reference_id == "150195"


def test_blank_optional_text_is_left_out():
    request = TransferRequest.model_validate({**MX_BODY, "comment": "  ", "reference_id": ""})
    assert request.comment is None and request.reference_id is None
    assert b"comment" not in request.to_body()


def test_counterparty_instance_of_the_other_country_is_revalidated():
    cl = TransferRequest.model_validate(CL_BODY).counterparty
    errors = errors_for({**MX_BODY, "counterparty": cl})
    assert errors == {
        "counterparty.account_number": "a CLABE needs 18 digits, has 11",
        "counterparty.account_type": "account type in Mexico is 'clabe', not 'checking_account'",
    }


@pytest.mark.parametrize(
    ("change", "param", "message", "code"),
    [
        ({"amount": 0}, "amount", "amount must be at least 1, not 0", "invalid_amount"),
        ({"amount": -5}, "amount", "amount must be at least 1, not -5", "invalid_amount"),
        (
            {"amount": 590.13},
            "amount",
            "amount must be an integer number of minor units, not 590.13",
            "invalid_amount",
        ),
        (
            {"amount": "59013"},
            "amount",
            "amount must be an integer number of minor units, not '59013'",
            "invalid_amount",
        ),
        (
            {"currency": "usd"},
            "currency",
            "currency must be MXN or CLP, not 'usd'",
            "invalid_currency",
        ),
        (
            {"currency": 484},
            "currency",
            "currency must be a code like MXN, not 484",
            "invalid_currency",
        ),
        ({"account_id": " "}, "account_id", "account_id is required", "missing_parameter"),
        (
            {"comment": "x" * 41},
            "comment",
            "comment can have at most 40 characters, has 41",
            "invalid_comment_size",
        ),
        (
            {"reference_id": "12345678"},
            "reference_id",
            "reference id has at most 7 digits, has 8",
            "invalid_reference_id_size",
        ),
        (
            {"reference_id": "0123"},
            "reference_id",
            "reference id cannot start with 0",
            "invalid_reference_id_size",
        ),
        (
            {"reference_id": "12-34"},
            "reference_id",
            "reference id has only digits, not '-'",
            "invalid_reference_id_size",
        ),
        (
            {"metadata": {f"k{i}": "v" for i in range(51)}},
            "metadata",
            "metadata can have at most 50 keys, has 51",
            "invalid_request",
        ),
        (
            {"metadata": {"k" * 41: "v"}},
            "metadata",
            "metadata key 'kkkkkkkkkkkk'… is longer than 40 characters",
            "invalid_request",
        ),
        (
            {"metadata": {"k": "v" * 501}},
            "metadata",
            "metadata value for 'k' is longer than 500 characters",
            "invalid_request",
        ),
        (
            {"metadata": {"k": 5}},
            "metadata",
            "metadata value for 'k' must be text",
            "invalid_request",
        ),
        (
            {"metadata": ["k"]},
            "metadata",
            "metadata must be an object of text keys and values",
            "invalid_request",
        ),
    ],
)
def test_request_rules_name_the_field(change, param, message, code):
    errors = errors_for({**MX_BODY, **change})
    assert errors == {param: message}
    with pytest.raises(ValidationError) as info:
        TransferRequest.model_validate({**MX_BODY, **change})
    detail = error_detail(info.value)
    assert (detail.param, detail.code, detail.message, detail.type) == (
        param,
        code,
        message,
        "invalid_request_error",
    )


def test_limits_are_inclusive():
    request = TransferRequest.model_validate(
        {
            **MX_BODY,
            "comment": "x" * 40,
            "reference_id": "9999999",
            "metadata": {f"k{i:02d}".ljust(40, "x"): "v" * 500 for i in range(50)},
        }
    )
    assert len(request.metadata) == 50


@pytest.mark.parametrize(
    ("counterparty", "param", "message", "code"),
    [
        (
            {"account_number": "012180015555555551"},
            "counterparty.account_number",
            "check digit should be 0, not 1",
            "invalid_clabe",
        ),
        (
            {"account_number": "99918001555555555"},
            "counterparty.account_number",
            "a CLABE needs 18 digits, has 17",
            "invalid_clabe",
        ),
        (
            {"account_number": "999180015555555550"},
            "counterparty.account_number",
            "bank code 999 is not a known bank",
            "invalid_clabe",
        ),
        (
            {"account_type": "checking_account"},
            "counterparty.account_type",
            "account type in Mexico is 'clabe', not 'checking_account'",
            "invalid_account_type",
        ),
        (
            {"account_number": 12180015555555550},
            "counterparty.account_number",
            "Input should be a valid string",
            "invalid_account_number",
        ),
    ],
)
def test_mx_counterparty_rules(counterparty, param, message, code):
    data = with_counterparty(MX_BODY, **counterparty)
    assert errors_for(data) == {param: message}
    with pytest.raises(ValidationError) as info:
        TransferRequest.model_validate(data)
    assert error_detail(info.value).code == code


def test_mx_counterparty_needs_only_the_clabe():
    data = {**MX_BODY, "counterparty": {"account_number": "738180000000000014"}}
    assert TransferRequest.model_validate(data).counterparty.holder_name is None
    assert errors_for({**MX_BODY, "counterparty": {}}) == {
        "counterparty.account_number": "required"
    }


@pytest.mark.parametrize(
    ("counterparty", "param", "message", "code"),
    [
        (
            {"holder_id": "12.345.678-4"},
            "counterparty.holder_id",
            "RUT check digit should be 5, not 4",
            "invalid_holder_id",
        ),
        (
            {"holder_name": "  "},
            "counterparty.holder_name",
            "holder name is required",
            "missing_parameter",
        ),
        (
            {"institution_id": "cl_banco_imaginario"},
            "counterparty.institution_id",
            "'cl_banco_imaginario' is not a Chilean institution Fintoc pays to",
            "invalid_institution_id",
        ),
        (
            {"account_type": "clabe"},
            "counterparty.account_type",
            "account type 'clabe' is not one of checking_account, sight_account, savings_account",
            "invalid_account_type",
        ),
        (
            {"account_number": "12ab"},
            "counterparty.account_number",
            "account number must be up to 20 digits, not '12ab'",
            "invalid_account_number",
        ),
        (
            {"account_number": "1" * 21},
            "counterparty.account_number",
            f"account number must be up to 20 digits, not '{'1' * 21}'",
            "invalid_account_number",
        ),
    ],
)
def test_cl_counterparty_rules(counterparty, param, message, code):
    data = with_counterparty(CL_BODY, **counterparty)
    assert errors_for(data) == {param: message}
    with pytest.raises(ValidationError) as info:
        TransferRequest.model_validate(data)
    assert error_detail(info.value).code == code


def test_cl_counterparty_needs_every_field_but_the_account_type():
    errors = errors_for({**CL_BODY, "counterparty": {"account_number": "123"}})
    assert errors == {
        "counterparty.holder_id": "required",
        "counterparty.holder_name": "required",
        "counterparty.institution_id": "required",
    }


def test_cl_account_type_may_be_left_out_as_fintoc_test_mode_allows():
    """REC-CL: 72 transfers without `account_type` were accepted (additions §1.3)."""
    counterparty = {k: v for k, v in CL_BODY["counterparty"].items() if k != "account_type"}
    request = TransferRequest.model_validate({**CL_BODY, "counterparty": counterparty})
    assert request.counterparty.account_type is None
    assert b"account_type" not in request.to_body()


def test_cl_accepts_all_account_type_spellings():
    for given_type, sent in [
        ("sight", "sight_account"),
        ("sight_account", "sight_account"),
        ("savings_account", "savings_account"),
    ]:
        request = TransferRequest.model_validate(
            with_counterparty(CL_BODY, account_type=given_type)
        )
        assert request.counterparty.account_type == sent


def test_cl_amount_ceiling():
    assert TransferRequest.model_validate({**CL_BODY, "amount": 7_000_000}).amount == 7_000_000
    assert errors_for({**CL_BODY, "amount": 7_000_001}) == {
        "amount": "at most $7.000.000 CLP per transfer in Chile"
    }
    # The ceiling is Chile's: 7,000,001 centavos is fine in Mexico.
    assert TransferRequest.model_validate({**MX_BODY, "amount": 7_000_001}).amount == 7_000_001


def test_cl_reference_id_is_not_held_to_the_mx_rule():
    request = TransferRequest.model_validate({**CL_BODY, "reference_id": "0001-A"})
    assert request.reference_id == "0001-A"


def test_missing_fields_are_named():
    with pytest.raises(ValidationError) as info:
        TransferRequest.model_validate({"currency": "MXN"})
    assert field_errors(info.value) == {
        "amount": "required",
        "account_id": "required",
        "counterparty": "required",
    }
    detail = error_detail(info.value)
    assert detail.code == "missing_parameter"
    assert detail.param == "amount"
    assert detail.message == "missing required parameter amount"


def test_malformed_json_body():
    with pytest.raises(ValidationError) as info:
        TransferRequest.model_validate_json(b'{"amount": 1')
    detail = error_detail(info.value)
    assert detail.code == "invalid_json"
    assert detail.param is None
    assert "" in field_errors(info.value)


def test_json_float_amount_rejected_in_body():
    with pytest.raises(ValidationError) as info:
        TransferRequest.model_validate_json(json.dumps({**MX_BODY, "amount": 59013.0}))
    assert error_detail(info.value).code == "invalid_amount"


@given(
    amount=st.integers(min_value=1, max_value=10**15),
    account=st.text(alphabet="0123456789", min_size=11, max_size=11),
    comment=st.text(max_size=40).map(str.strip),
    holder=st.text(min_size=1, max_size=60),
)
def test_any_valid_mx_request_survives_its_own_body(amount, account, comment, holder):
    request = TransferRequest(
        amount=amount,
        currency="MXN",
        account_id="acc_x",
        counterparty=MXCounterparty(
            account_number=make_clabe("738", "180", account), holder_name=holder
        ),
        comment=comment,
    )
    body = request.to_body()
    assert TransferRequest.model_validate_json(body).to_body() == body
    assert json.loads(body)["amount"] == amount


# -- validate_against_account ----------------------------------------------------------


def account(**changes) -> Account:
    data = json.loads(ACCOUNT_JSON)
    data["id"] = MX_BODY["account_id"]
    data.update(changes)
    return Account.model_validate(data)


def test_request_matches_account():
    request = TransferRequest.model_validate(MX_BODY)
    validate_against_account(request, account())  # no error


@pytest.mark.parametrize(
    ("changes", "code", "param", "message"),
    [
        (
            {"currency": "CLP"},
            "currency_mismatch",
            "currency",
            "currency MXN does not match the account's CLP",
        ),
        (
            {"status": "blocked"},
            "account_not_active",
            "account_id",
            "account acc_2vF18K9mV4dL7qP0sT3wX6yZ1aB is blocked; only an active account can send",
        ),
        (
            {"id": "acc_other"},
            "invalid_request",
            "account_id",
            "this transfer is for account acc_2vF18K9mV4dL7qP0sT3wX6yZ1aB, not acc_other",
        ),
    ],
)
def test_request_against_wrong_account(changes, code, param, message):
    request = TransferRequest.model_validate(MX_BODY)
    with pytest.raises(TransferRequestError) as info:
        validate_against_account(request, account(**changes))
    assert (info.value.code, info.value.param, str(info.value)) == (code, param, message)
    assert info.value.to_error_detail().to_api_dict() == {
        "type": "invalid_request_error",
        "code": code,
        "message": message,
        "param": param,
        "doc_url": None,
    }


# -- Other request bodies ----------------------------------------------------------------


def test_simulate_receive_mx_body():
    request = SimulateReceiveTransferRequest(
        account_number_id="acno_1",
        amount=100000,
        currency="mxn",
        counterparty_account_number="012 180 01555555555 0",
        counterparty_holder_name=" Juan ",
        reference_id=42,
    )
    assert request.to_body() == (
        b'{"account_number_id":"acno_1","amount":100000,"currency":"MXN","reference_id":"42",'
        b'"counterparty_account_number":"012180015555555550","counterparty_holder_name":"Juan"}'
    )


def test_simulate_receive_cl_normalises():
    request = SimulateReceiveTransferRequest.model_validate(
        {
            "account_number_id": "acno_1",
            "amount": 5000,
            "currency": "CLP",
            "counterparty_account_number": "00012345678",
            "counterparty_holder_id": "10.000.013-k",
            "counterparty_institution_id": "CL_MACH",
            "counterparty_account_type": "sight",
        }
    )
    assert request.counterparty_holder_id == "10000013K"
    assert request.counterparty_institution_id == "cl_mach"
    assert request.counterparty_account_type == "sight_account"


@pytest.mark.parametrize(
    ("change", "param", "code"),
    [
        ({"amount": 1.5}, "amount", "invalid_amount"),
        ({"currency": "USD"}, "currency", "invalid_currency"),
        (
            {"counterparty_account_number": "012180015555555551"},
            "counterparty_account_number",
            "invalid_clabe",
        ),
        ({"comment": "y" * 41}, "comment", "invalid_comment_size"),
        ({"reference_id": "01"}, "reference_id", "invalid_reference_id_size"),
        ({"account_number_id": ""}, "account_number_id", "missing_parameter"),
        (
            {"counterparty_institution_id": "cl_nope"},
            "counterparty_institution_id",
            "invalid_institution_id",
        ),
    ],
)
def test_simulate_receive_rules(change, param, code):
    data = {"account_number_id": "acno_1", "amount": 100, "currency": "MXN", **change}
    with pytest.raises(ValidationError) as info:
        SimulateReceiveTransferRequest.model_validate(data)
    assert list(field_errors(info.value)) == [param]
    assert error_detail(info.value).code == code


def test_simulate_receive_cl_rut_checked():
    data = {"account_number_id": "acno_1", "amount": 100, "currency": "CLP"}
    with pytest.raises(ValidationError) as info:
        SimulateReceiveTransferRequest.model_validate({**data, "counterparty_holder_id": "1-2"})
    assert error_detail(info.value).code == "invalid_holder_id"


def test_return_request():
    assert ReturnTransferRequest(transfer_id="tr_1").to_body() == b'{"transfer_id":"tr_1"}'
    with pytest.raises(ValidationError) as info:
        ReturnTransferRequest.model_validate({})
    assert field_errors(info.value) == {"transfer_id": "required"}


# -- Import hygiene ------------------------------------------------------------------------


def test_models_do_not_import_textual():
    code = "import sys, fintoc_tui.api.models; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
