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
