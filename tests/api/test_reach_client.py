"""The client's receipts, account verifications and who-am-I, against the real sandbox in process."""

from __future__ import annotations

import io
import os
import stat

import pytest
from pypdf import PdfReader

from fintoc_tui.api.errors import ConflictError, FintocError, UnexpectedResponseError
from fintoc_tui.api.receipt_models import TransferReceipt
from fintoc_tui.api.whoami_models import WhoAmI
from fintoc_tui.receipts import ReceiptError, save_receipt
from fintoc_tui.sandbox import verifications
from fintoc_tui.sandbox.routes_receipts import LINK_SECONDS
from fintoc_tui.sandbox.routes_whoami import API_VERSION

CLABE = "646180000000000054"


async def _settled(client, sandbox, mx_request):
    sent = await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="k-1")
    sandbox.clock.advance(5)
    return await client.get_transfer(sent.id)


# -- receipts ---------------------------------------------------------------------------


async def test_receipt_link_downloads_the_pdf_without_sending_the_key(
    sandbox, mx_request, tmp_path
):
    transport = sandbox.transport()
    async with sandbox.client(transport=transport) as client:
        transfer = await _settled(client, sandbox, mx_request)
        receipt = await client.get_transfer_receipt(transfer.id)
        assert receipt.transfer_id == transfer.id
        assert receipt.download_url is not None
        pdf = await client.download_receipt(receipt)
    assert transfer.id in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    download = transport.requests[-1]
    assert download.url.path == f"/sandbox/receipts/{transfer.id}.pdf"
    assert "authorization" not in download.headers  # the signed link is the permission
    assert download.headers["accept"] == "application/pdf"
    saved = save_receipt(transfer.id, pdf, directory=tmp_path)
    assert saved.read_bytes() == pdf


async def test_an_expired_link_says_to_ask_again(client, sandbox, mx_request):
    transfer = await _settled(client, sandbox, mx_request)
    receipt = await client.get_transfer_receipt(transfer.id)
    sandbox.clock.advance(LINK_SECONDS + 1)
    with pytest.raises(FintocError) as caught:
        await client.download_receipt(receipt)
    assert caught.value.code == "expired_receipt_link"
    assert "ask for the receipt again" in caught.value.message


async def test_no_receipt_while_pending_is_fintocs_conflict(client, sandbox, mx_request):
    sent = await client.create_transfer(mx_request(sandbox.account_id()), idempotency_key="k-2")
    with pytest.raises(ConflictError) as caught:
        await client.get_transfer_receipt(sent.id)
    assert caught.value.code == "invalid_transfer_status"


def test_the_link_is_found_under_any_field_name():
    assert (
        TransferReceipt.model_validate({"url": "https://a/x.pdf"}).download_url == "https://a/x.pdf"
    )
    other = TransferReceipt.model_validate(
        {"object": "transfer_receipt", "id": "r1", "signed_link_v2": "https://storage/x?sig=1"}
    )
    assert other.download_url == "https://storage/x?sig=1"
    assert TransferReceipt.model_validate({"object": "transfer_receipt"}).download_url is None


async def test_an_answer_without_a_link_is_said_plainly(client):
    with pytest.raises(UnexpectedResponseError, match="no link"):
        await client.download_receipt(TransferReceipt.model_validate({"object": "x"}))


def test_saving_is_private_and_never_overwrites(tmp_path):
    pdf = b"%PDF-1.4 receipt"
    first = save_receipt("tr_abc", pdf, directory=tmp_path)
    second = save_receipt("tr_abc", b"%PDF-1.4 again", directory=tmp_path)
    assert (first.name, second.name) == ("receipt-tr_abc.pdf", "receipt-tr_abc-2.pdf")
    assert first.read_bytes() == pdf
    assert stat.S_IMODE(os.stat(first).st_mode) == 0o600
    with pytest.raises(ReceiptError, match="not a PDF"):
        save_receipt("tr_abc", b"<html>login</html>", directory=tmp_path)
    with pytest.raises(ValueError):
        save_receipt("../tr", pdf, directory=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, second.name])


def test_saving_goes_to_the_private_exports_folder():
    path = save_receipt("tr_home", b"%PDF-1.4")
    assert path.parent.name == "exports"
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


# -- account verifications --------------------------------------------------------------


async def test_verify_a_clabe_pending_then_succeeded(sandbox):
    transport = sandbox.transport()
    before = sandbox.balance()
    async with sandbox.client(transport=transport) as client:
        created = await client.create_account_verification(CLABE, idempotency_key="v-1")
        again = await client.create_account_verification(CLABE, idempotency_key="v-1")
        assert again.id == created.id  # the same key never pays twice
        assert created.status == "pending" and not created.is_final
        assert created.counterparty.holder_name is None
        [post, *_] = transport.posts("/v2/account_verifications")
        assert post.headers["fintoc-jws-signature"]
        assert post.headers["idempotency-key"] == "v-1"
        assert post.content == b'{"account_number":"646180000000000054"}'
        assert sandbox.balance() == before - 1
        sandbox.clock.advance(5)
        done = await client.get_account_verification(created.id)
        transfer = await client.get_transfer(created.transfer_id)
        page = await client.list_account_verifications_page(limit=10)
    assert done.status == "succeeded" and done.is_final
    name, rfc = verifications.registered_holder(CLABE)
    assert (done.counterparty.holder_name, done.counterparty.holder_id) == (name, rfc)
    assert (transfer.amount, transfer.currency) == (1, "MXN")
    assert [v.id for v in page] == [created.id]


async def test_a_magic_clabe_fails_with_a_reason(client, sandbox):
    created = await client.create_account_verification("014180000000000026", idempotency_key="v")
    sandbox.clock.advance(5)
    done = await client.get_account_verification(created.id)
    assert (done.status, done.reason) == ("failed", "transfer_failed")


async def test_a_bad_clabe_is_refused_before_sending(client):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="check digit"):
        await client.create_account_verification("646180000000000055", idempotency_key="v")


# -- who am I ---------------------------------------------------------------------------


async def test_whoami_reads_organisation_mode_and_version(client, sandbox):
    info = await client.whoami()
    entity = next(a.entity for a in info.accounts if a.is_root and a.entity is not None)
    assert info.organization == entity.holder_name
    assert info.mode == "test"
    assert info.api_version == API_VERSION
    assert info.account_count == len(info.accounts) > 0


async def test_whoami_falls_back_to_the_root_entity_on_404(make_sandbox):
    box = make_sandbox()
    box.app.router.routes = [r for r in box.app.router.routes if r.path != "/v1/whoami"]
    transport = box.transport()
    async with box.client(transport=transport) as client:
        info = await client.whoami()
    assert [r.url.path for r in transport.requests] == ["/v1/whoami", "/v2/accounts"]
    assert info.organization is not None
    assert info.organization == next(a.entity.holder_name for a in info.accounts if a.is_root)
    assert info.api_version is None
    assert info.mode == "test"
    box.store.close()


def test_whoami_reads_the_older_flat_shape_too():
    flat = WhoAmI.model_validate(
        {"organization_name": "Acme", "mode": "live", "api_version": "2023-03-15"}
    )
    assert (flat.organization_label, flat.key_mode, flat.pinned_api_version) == (
        "Acme",
        "live",
        "2023-03-15",
    )
