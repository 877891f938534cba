import subprocess
import sys

from fintoc_tui import __version__
from fintoc_tui.cli import build_parser


def test_version_answers_without_heavy_imports():
    code = (
        "import sys\n"
        "from fintoc_tui.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('textual', 'httpx', 'pydantic', 'cryptography', 'starlette')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert f"fintoc-tui {__version__}" in out.stdout
    assert "HEAVY []" in out.stdout


def test_help_mentions_sandbox():
    out = subprocess.run(
        [sys.executable, "-m", "fintoc_tui", "--help"], capture_output=True, text=True, check=True
    )
    assert "--sandbox" in out.stdout
    assert "sandbox" in out.stdout


def test_sandbox_subcommands_are_reserved():
    parser = build_parser()
    args = parser.parse_args(["sandbox", "--ephemeral", "--port", "0"])
    assert args.command == "sandbox" and args.ephemeral and args.port == 0
    assert parser.parse_args(["sandbox", "reset"]).sandbox_command == "reset"
    assert parser.parse_args(["sandbox", "magic"]).sandbox_command == "magic"
    assert parser.parse_args(["--env", "live"]).env == "live"


HEAVY = ("textual", "httpx", "pydantic", "cryptography", "starlette", "keyring", "sqlite3")


def _modules_after(argv: list[str]) -> tuple[str, list[str]]:
    code = (
        "import sys\n"
        "from fintoc_tui.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY', [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout, [line for line in out.stdout.splitlines() if line.startswith("HEAVY")]


def test_every_command_help_stays_light():
    for argv in (
        ["--help"],
        ["accounts", "--help"],
        ["transfers", "create", "--help"],
        ["transfers", "list", "--help"],
        ["doctor", "--help"],
        ["journal", "resolve", "--help"],
        ["batch", "--help"],
    ):
        text, heavy = _modules_after(argv)
        assert heavy == ["HEAVY []"], (argv, heavy)
        assert "usage: fintoc-tui" in text


def test_commands_parse_env_before_or_after():
    parser = build_parser()
    before = parser.parse_args(["--env", "live", "accounts", "--json"])
    after = parser.parse_args(["accounts", "--env", "live", "--base-url", "https://x"])
    assert before.env == after.env == "live" and before.json and after.base_url == "https://x"
    create = parser.parse_args(
        ["transfers", "create", "--to", "012180000000000015", "--amount", "5", "--rut", "1-9"]
    )
    assert create.transfers_command == "create" and create.holder_id == "1-9"
    batch = parser.parse_args(["batch", "pay.csv", "--confirm-live-total", "1.00 MXN"])
    assert batch.path == "pay.csv" and batch.confirm_live_total == ["1.00 MXN"]
    faults = parser.parse_args(["sandbox", "--fault-methods", "POST", "--fault-seed", "3"])
    assert faults.fault_methods == "POST" and faults.fault_seed == 3
