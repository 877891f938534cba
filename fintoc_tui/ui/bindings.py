"""The single table of key bindings, each with an id a person can remap.

Screens take their `BINDINGS` from here so the help screen, the footer and
the config file all agree. Remapping uses Textual's keymap (`App.set_keymap`,
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
HELP = Binding("question_mark,f1", "app.help", "Help", id="help")
PALETTE = Binding(
    "ctrl+p", "app.command_palette", "Commands", id="command_palette", show=False, priority=True
)
QUIT = Binding("q", "app.quit", "Quit", id="quit")

GLOBAL: list[Binding] = [ACCOUNTS, TRANSFER, HISTORY, ENVIRONMENT, HELP, PALETTE, QUIT]

# --- Shell: shared by screens (owner: shell) -------------------------------------------

REFRESH = Binding("r", "refresh", "Refresh", id="refresh")
FILTER = Binding("slash", "filter", "Filter", id="filter")
BACK = Binding("escape", "back", "Back", id="back")

# --- Shell: accounts (owner: shell) ----------------------------------------------------

OPEN_ACCOUNT = Binding("enter,o", "open_account", "Open", id="open_account")
NEW_TRANSFER_FROM_ACCOUNT = Binding(
    "n", "new_transfer", "Transfer from here", id="new_transfer_from_account"
)

ACCOUNTS_SCREEN: list[Binding] = [REFRESH, OPEN_ACCOUNT]
ACCOUNT_DETAIL_SCREEN: list[Binding] = [BACK, REFRESH, NEW_TRANSFER_FROM_ACCOUNT]
HELP_SCREEN: list[Binding] = [Binding("escape,q,question_mark,f1", "close", "Close", id="close")]


# --- Every binding, grouped for the help screen; areas append theirs -------------------

SECTIONS: dict[str, list[Binding]] = {
    "Everywhere": GLOBAL,
    "Accounts": ACCOUNTS_SCREEN,
    "Account detail": ACCOUNT_DETAIL_SCREEN,
    "Lists": [FILTER],
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
ENV_SET_KEY = Binding("k", "set_key", "Set key", id="env_set_key")
ENV_DELETE_KEY = Binding("d", "delete_key", "Delete key", id="env_delete_key")
ENV_IMPORT_JWS = Binding("i", "import_jws", "Import JWS key", id="env_import_jws")
ENV_GENERATE_JWS = Binding("g", "generate_jws", "Generate JWS pair", id="env_generate_jws")
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
