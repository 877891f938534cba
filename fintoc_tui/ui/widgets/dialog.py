"""What the modal dialogs share: one look (`dialog_css`) and one Cancel binding.

A dialog scopes the shared rules to its own class, so two dialogs never
restyle each other: `DEFAULT_CSS = dialog_css("SetKeyDialog")`.
"""

from __future__ import annotations

from fintoc_tui.ui.shell import bindings

DIALOG_CSS = """
{name} {{ align: center middle; background: $background 60%; }}
{name} > #dialog {{
    width: 84;
    height: auto;
    max-height: 100%;
    border: thick $primary;
    background: $surface;
    padding: 1 2;
}}
{name} .dialog-title {{ text-style: bold; margin-bottom: 1; }}
{name} .dialog-note {{ color: $text-muted; }}
{name} .dialog-problem {{ color: $error; height: auto; min-height: 1; }}
{name} .dialog-ok {{ color: $success; }}
{name} RadioSet {{ width: 1fr; margin-top: 1; }}
{name} .dialog-buttons {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} .dialog-buttons Button {{ margin-left: 2; }}
"""

CANCEL = bindings.DIALOG_CANCEL


def dialog_css(name: str) -> str:
    """The shared look of the dialogs, scoped to one screen class."""
    return DIALOG_CSS.format(name=name)
