"""A blank Chilean bank or account type is named at its field; the amount refuses `'`, saying why."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError
from textual.widgets import Input, Select, Static

from fintoc_tui.api.models import field_errors
from fintoc_tui.money import AmountError, parse_amount
from fintoc_tui.transfer.input_rules import AMOUNT_PATTERN
from fintoc_tui.ui.transfer.amount_input import AmountInput
from fintoc_tui.ui.transfer.form_screen import TransferFormScreen
from fintoc_tui.ui.transfer.rut_input import RutInput

SIZE = (120, 36)


async def clp_form(pilot, settle) -> TransferFormScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    account = next(a for a in form.accounts if a.currency == "CLP")
    form.query_one("#source-account", Select).value = account.id
    await pilot.pause()
    form.query_one("#cl-account-number").value = "00012345678"
    form.query_one(RutInput).value = "12.345.678-5"
    form.query_one("#cl-holder-name").value = "Camila Rojas"
    form.query_one(AmountInput).value = "1.000"
    await pilot.pause()
    return form


@pytest.mark.parametrize(
    ("blank", "chosen", "value", "param"),
    [
        ("#cl-institution", "#cl-account-type", "sight_account", "institution_id"),
        ("#cl-account-type", "#cl-institution", "cl_banco_de_chile", "account_type"),
    ],
)
async def test_blank_select_is_named_at_its_field(make_app, settle, blank, chosen, value, param):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await clp_form(pilot, settle)
        form.query_one(chosen, Select).value = value
        await pilot.pause()
        with pytest.raises(ValidationError) as caught:
            form.build_request()
        errors = field_errors(caught.value)
        (message,) = [m for p, m in errors.items() if p.endswith(param)]
        assert "valid string" not in message
        form.show_errors(errors)
        await pilot.pause()
        note = form.query_one(f"{blank}-note", Static)
        assert note.display and str(note.content) == message[0].upper() + message[1:]
        assert str(form.query_one("#form-error", Static).content) == ""
        # Choosing a value clears the note.
        form.query_one(blank, Select).value = (
            "cl_banco_de_chile" if param == "institution_id" else "sight_account"
        )
        await pilot.pause()
        assert not note.display


def test_amount_pattern_matches_what_parse_amount_takes():
    assert re.fullmatch(AMOUNT_PATTERN, "$1,234.56 MXN")
    assert not re.fullmatch(AMOUNT_PATTERN, "1'234")
    with pytest.raises(AmountError):
        parse_amount("1'234", "MXN")


async def test_apostrophe_is_not_typed_into_the_amount(make_app, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.click("#amount-text")
        await pilot.press("1", "apostrophe", "2", "3", "4")
        assert app.screen.query_one("#amount-text", Input).value == "1234"
        # The refused key's reason stays under the field after the digits that follow.
        notice = app.screen.query_one("#amount-notice", Static)
        assert notice.display
        assert "That is not an amount; type digits" in str(notice.content)
