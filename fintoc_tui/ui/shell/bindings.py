"""The single table of key bindings, each with an id a person can remap.

Screens take their `BINDINGS` from here so the help screen, the footer and
the config file all agree. The footer shows only the keys a screen is about
(`show=False` hides the rest from it, never from help or the palette): at
120 columns it must fit beside the mode keys (tests/ui/shell/test_fit.py). Remapping uses Textual's keymap (`App.set_keymap`,
matched on `Binding.id`), fed from the `[keys]` table of the config file; see
docs/keys-and-config.md. Each area keeps its own section; add yours below.
"""

from __future__ import annotations

from textual.binding import Binding

# --- Shell: global (owner: shell) ---------------------------------------------------

ACCOUNTS = Binding("1,a", "app.show_mode('accounts')", "Accounts", id="accounts")
TRANSFER = Binding("2,t", "app.show_mode('transfer')", "Transfer", id="transfer")
HISTORY = Binding("3,h", "app.show_mode('history')", "History", id="history")
ENVIRONMENT = Binding("e", "app.show_mode('environment')", "Environment", id="environment")
BATCH = Binding("4,b", "app.show_mode('batch')", "Batch", id="batch", show=False)
HELP = Binding("question_mark,f1", "app.help", "Help", id="help")
PALETTE = Binding(
    "ctrl+p", "app.command_palette", "Commands", id="command_palette", show=False, priority=True
)
QUIT = Binding("q", "app.quit", "Quit", id="quit")

GLOBAL: list[Binding] = [ACCOUNTS, TRANSFER, HISTORY, BATCH, ENVIRONMENT, HELP, PALETTE, QUIT]

# --- Shell: shared by screens (owner: shell) -------------------------------------------

# Every screen refreshes with r (help lists it); the footer keeps its room for each screen's own keys.
REFRESH = Binding("r", "refresh", "Refresh", id="refresh", show=False)
FILTER = Binding("slash", "filter", "Search", id="filter", key_display="/")
BACK = Binding("escape", "back", "Back", id="back")

# --- Shell: accounts (owner: shell) ----------------------------------------------------

OPEN_ACCOUNT = Binding("enter,o", "open_account", "Open", id="open_account")
NEW_TRANSFER_FROM_ACCOUNT = Binding(
    "n", "new_transfer", "New transfer", id="new_transfer_from_account"
)

ACCOUNTS_SCREEN: list[Binding] = [REFRESH, OPEN_ACCOUNT]
ACCOUNT_DETAIL_SCREEN: list[Binding] = [BACK, REFRESH, NEW_TRANSFER_FROM_ACCOUNT]
HELP_SCREEN: list[Binding] = [Binding("escape,q,question_mark,f1", "close", "Close", id="close")]


# --- Accounts: account detail's numbers, statements, movements (owner: accounts, issue 14)

ACCOUNT_DETAIL_EXTRA: list[Binding] = [
    # The screen's hint line names each tab's keys; the footer keeps to what fits.
    Binding("v", "next_view", "Next view", id="account_detail.next_view", show=False),
    Binding(
        "f",
        "movement_filters",
        "Filter movements",
        id="account_detail.movement_filters",
        show=False,
    ),
    Binding("c", "create_number", "New number", id="account_detail.number_create", show=False),
    Binding("u", "edit_number", "Edit number", id="account_detail.number_edit", show=False),
    Binding(
        "d", "toggle_number", "Disable/enable number", id="account_detail.number_toggle", show=False
    ),
    Binding(
        "delete,x", "delete_number", "Delete number", id="account_detail.number_delete", show=False
    ),
    Binding(
        "s",
        "download_statement",
        "Download statement",
        id="account_detail.statement_download",
        show=False,
    ),
]
ACCOUNT_DETAIL_SCREEN.extend(ACCOUNT_DETAIL_EXTRA)
ACCOUNT_DETAIL_DIALOGS: list[Binding] = [
    Binding("escape", "cancel", "Cancel", id="account_detail_dialog.cancel")
]

# --- Every binding, grouped for the help screen; areas append theirs -------------------

SECTIONS: dict[str, list[Binding]] = {
    "Everywhere": GLOBAL,
    "Accounts": ACCOUNTS_SCREEN,
    "Account detail": ACCOUNT_DETAIL_SCREEN,
    "Account detail dialogs": ACCOUNT_DETAIL_DIALOGS,
    "Help": HELP_SCREEN,
}


def all_bindings() -> list[Binding]:
    """Every binding once, by id (the first wins), in table order."""
    seen: dict[str, Binding] = {}
    for bindings in SECTIONS.values():
        for binding in bindings:
            if binding.id and binding.id not in seen:
                seen[binding.id] = binding
    return list(seen.values())


def binding_ids() -> set[str]:
    return {binding.id for binding in all_bindings() if binding.id}


def effective_keys(binding: Binding, keymap: dict[str, str]) -> list[str]:
    """The keys that trigger `binding` once the user's keymap is applied."""
    keys = keymap.get(binding.id or "", binding.key)
    return [key.strip() for key in keys.split(",") if key.strip()]


# --- Environment screen (owner: environment) -------------------------------------------

ENV_USE = Binding("u", "use", "Use this environment", id="env_use")
ENV_CHECK = Binding("c", "check", "Check connection", id="env_check")
# The card's buttons and hints name these; the footer keeps u and c.
ENV_SET_KEY = Binding("k", "set_key", "Set key", id="env_set_key", show=False)
ENV_DELETE_KEY = Binding("d", "delete_key", "Delete key", id="env_delete_key", show=False)
ENV_IMPORT_JWS = Binding("i", "import_jws", "Import JWS key", id="env_import_jws", show=False)
ENV_GENERATE_JWS = Binding(
    "g", "generate_jws", "Generate JWS pair", id="env_generate_jws", show=False
)
ENV_DELETE_JWS = Binding("D", "delete_jws", "Delete JWS key", id="env_delete_jws", show=False)
ENV_NEXT = Binding("down,j", "focus_card(1)", "Next", id="env_next", show=False)
ENV_PREVIOUS = Binding("up", "focus_card(-1)", "Previous", id="env_previous", show=False)

ENVIRONMENT_SCREEN: list[Binding] = [
    ENV_USE,
    ENV_CHECK,
    ENV_SET_KEY,
    ENV_DELETE_KEY,
    ENV_IMPORT_JWS,
    ENV_GENERATE_JWS,
    ENV_DELETE_JWS,
    REFRESH,
    ENV_NEXT,
    ENV_PREVIOUS,
]
SECTIONS["Environment"] = ENVIRONMENT_SCREEN

# Environment dialogs share one Cancel.
DIALOG_CANCEL = Binding("escape", "cancel", "Cancel", id="dialog_cancel")
SECTIONS["Environment dialogs"] = [DIALOG_CANCEL]


# --- History (owner: history) ------------------------------------------------------------
# Ids keep their original dotted spelling so existing config files still remap them.

HISTORY_SEARCH = FILTER
HISTORY_FILTERS = Binding("f", "filters", "Filters", id="history.filters")
HISTORY_CLEAR_FILTERS = Binding("c", "clear_filters", "Clear filters", id="history.clear_filters")
HISTORY_EXPORT = Binding("x", "export", "Export", id="history.export")
HISTORY_SIMULATE_INBOUND = Binding(
    "i", "simulate_inbound", "Simulate inbound", id="history.simulate_inbound", show=False
)
HISTORY_CLOSE_SEARCH = Binding(
    "escape", "close_search", "Close search", show=False, id="history.close_search"
)
HISTORY_SCREEN: list[Binding] = [
    REFRESH,
    HISTORY_SEARCH,
    HISTORY_FILTERS,
    HISTORY_CLEAR_FILTERS,
    HISTORY_EXPORT,
    HISTORY_SIMULATE_INBOUND,
    HISTORY_CLOSE_SEARCH,
]

HISTORY_TABLE: list[Binding] = [
    Binding("up,k", "cursor_up", "Up", show=False, id="history_table.up"),
    Binding("down,j", "cursor_down", "Down", show=False, id="history_table.down"),
    Binding("pageup", "page_up", "Page up", show=False, id="history_table.page_up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="history_table.page_down"),
    Binding("home", "first", "First", show=False, id="history_table.first"),
    Binding("end", "last", "Last", show=False, id="history_table.last"),
    Binding("enter", "select", "Open", show=False, id="history_table.select"),
]

HISTORY_EXPORT_DIALOG = [Binding("escape", "cancel", "Cancel", id="history_export.cancel")]
HISTORY_FILTER_DIALOG = [Binding("escape", "cancel", "Cancel", id="history_filter.cancel")]
HISTORY_RETURN_DIALOG = [Binding("escape", "cancel", "Cancel", id="history_return.cancel")]
HISTORY_SIMULATE_DIALOG = [Binding("escape", "cancel", "Cancel", id="history_simulate.cancel")]

TRANSFER_DETAIL_SCREEN: list[Binding] = [
    BACK,
    REFRESH,
    Binding("c", "copy_id", "Copy id", id="transfer_detail.copy_id", show=False),
    Binding(
        "k",
        "copy_tracking_key",
        "Copy tracking key",
        id="transfer_detail.copy_tracking_key",
        show=False,
    ),
    Binding("p", "repeat", "Repeat this transfer", id="transfer_detail.repeat"),
    Binding("R", "return_transfer", "Return it", id="transfer_detail.return"),
    Binding("d", "receipt", "Receipt", id="transfer_detail.receipt", show=False),
    Binding(
        "u",
        "copy_receipt_url",
        "Copy receipt link",
        id="transfer_detail.copy_receipt_url",
        show=False,
    ),
]

SECTIONS["History"] = HISTORY_SCREEN
SECTIONS["History list"] = HISTORY_TABLE
SECTIONS["History dialogs"] = [
    *HISTORY_EXPORT_DIALOG,
    *HISTORY_FILTER_DIALOG,
    *HISTORY_RETURN_DIALOG,
    *HISTORY_SIMULATE_DIALOG,
]
SECTIONS["Transfer detail"] = TRANSFER_DETAIL_SCREEN


# --- Transfer: form, confirm, result, journal recovery (owner: transfer) -------------------

TRANSFER_REVIEW = Binding("ctrl+s,f2", "review", "Review", id="transfer_review", key_display="^s")
TRANSFER_RELOAD = Binding("r", "refresh", "Reload accounts", id="transfer_reload_accounts")
TRANSFER_JOURNAL = Binding("j", "journal", "Unresolved", id="transfer_unresolved")
TRANSFER_LEAVE_FIELD = Binding(
    "escape",
    "leave_field",
    "Leave the field",
    id="transfer_leave_field",
    show=False,
)
TRANSFER_VERIFY_ACCOUNT = Binding(  # its button under the CLABE names the key
    "f3", "verify_account", "Verify account", id="transfer_verify_account", show=False
)
TRANSFER_FORM_SCREEN: list[Binding] = [
    TRANSFER_REVIEW,
    TRANSFER_RELOAD,
    TRANSFER_JOURNAL,
    TRANSFER_LEAVE_FIELD,
    TRANSFER_VERIFY_ACCOUNT,
]

TRANSFER_CONFIRM_CANCEL = Binding("escape", "cancel", "Back to edit", id="transfer_confirm_cancel")
TRANSFER_CONFIRM_SEND = Binding(
    "ctrl+s,f2", "send", "Send", id="transfer_confirm_send", key_display="^s"
)
TRANSFER_CONFIRM_SCREEN: list[Binding] = [TRANSFER_CONFIRM_CANCEL, TRANSFER_CONFIRM_SEND]

TRANSFER_NEW = Binding("n", "new_transfer", "New transfer", id="transfer_new")
# The result screen's button says it; the footer keeps new, check and retry.
TRANSFER_VIEW = Binding(
    "v", "view_history", "View in history", id="transfer_view_in_history", show=False
)
TRANSFER_POLL = Binding("r", "refresh", "Check status", id="transfer_check_status")
TRANSFER_RETRY = Binding("ctrl+r", "retry", "Retry (same key)", id="transfer_retry_same_key")
TRANSFER_RESULT_SCREEN: list[Binding] = [TRANSFER_NEW, TRANSFER_VIEW, TRANSFER_POLL, TRANSFER_RETRY]

JOURNAL_CLOSE = Binding("escape", "close", "Later", id="journal_recovery_close")
JOURNAL_RESOLVE = Binding("enter", "resolve_selected", "Resolve", id="journal_recovery_resolve")
JOURNAL_DISCARD = Binding(
    "d", "discard_selected", "Discard (never sent)", id="journal_recovery_discard"
)
JOURNAL_RECOVERY_SCREEN: list[Binding] = [JOURNAL_CLOSE, JOURNAL_RESOLVE, JOURNAL_DISCARD]

SECTIONS["Transfer form"] = TRANSFER_FORM_SCREEN
SECTIONS["Transfer confirm"] = TRANSFER_CONFIRM_SCREEN
SECTIONS["Transfer result"] = TRANSFER_RESULT_SCREEN
SECTIONS["Unresolved transfers"] = JOURNAL_RECOVERY_SCREEN


# --- Batch payouts from a CSV file (owner: batch) ---------------------------------------

BATCH_VALIDATE = Binding("f5", "validate", "Validate", id="batch_validate")
BATCH_SEND = Binding("ctrl+s,f2", "send", "Send", id="batch_send", key_display="^s")
BATCH_PAUSE = Binding("p", "pause", "Pause", id="batch_pause")
BATCH_LEAVE_FIELD = Binding(
    "escape", "leave_field", "Leave the field", id="batch_leave_field", show=False
)
BATCH_SCREEN: list[Binding] = [BATCH_VALIDATE, BATCH_SEND, BATCH_PAUSE, BATCH_LEAVE_FIELD]
SECTIONS["Batch"] = BATCH_SCREEN

TRANSFER_VERIFY_DIALOG = [Binding("escape", "cancel", "Cancel", id="transfer_verify.cancel")]
SECTIONS["Verify account dialog"] = TRANSFER_VERIFY_DIALOG
