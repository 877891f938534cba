"""Summarise a mutmut run per module and fail on any survivor nobody explained.

    .venv/bin/python -m scripts.mutation_report fintoc_tui.money.* fintoc_tui.journal.*

mutmut can silence a whole line (`# pragma: no mutate`), which also silences
the mutants of that line the tests do kill, and it has no way to mark one
mutant as equivalent. So the reviewed equivalent mutants live in
`scripts/mutation_equivalents.toml`, each with the reason, keyed by the code it
changes (the line before and after, stripped): mutant numbers and line numbers
move with every edit, the code they change does not. A survivor is
"explained" when its change is listed there; anything else fails the run.

Hand-written because mutmut has no such report; it only reads mutmut's CLI.
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

EQUIVALENTS = Path(__file__).with_name("mutation_equivalents.toml")
MUTMUT = str(Path(sys.executable).with_name("mutmut"))
CAUGHT = {"killed", "timeout", "segfault", "caught by type check"}

#: (function, stripped lines removed, stripped lines added), e.g.
#: ("Journal.settings", 'mode = ...("PRAGMA journal_mode")...', 'mode = ...("pragma journal_mode")...').
Change = tuple[str, str, str]


@dataclass
class ModuleTally:
    """What happened to one module's mutants."""

    statuses: Counter[str] = field(default_factory=Counter)
    explained: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)


def load_equivalents(path: Path = EQUIVALENTS) -> dict[Change, str]:
    """(before, after) → the module it belongs to, from the reviewed list."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    modules: dict[Change, str] = {}
    for group in data.get("equivalent", []):
        assert group["why"].strip(), "every equivalent needs its reason"
        for function, before, after in group["changes"]:
            modules[(function, before, after)] = group["module"]
    return modules


def results(patterns: list[str]) -> dict[str, str]:
    """Mutant name → status, for the mutants matching any pattern."""
    out = subprocess.run(
        [MUTMUT, "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in out.splitlines():
        name, _, status = line.strip().partition(": ")
        if name and any(fnmatch.fnmatch(name, p) for p in patterns):
            found[name] = status
    return found


def function_of(name: str) -> str:
    """`fintoc_tui.money.x__scan__mutmut_8` → `_scan`; `...xǁJournalǁget__mutmut_1` → `Journal.get`."""
    mangled = name.split(".x", 1)[1].rsplit("__mutmut_", 1)[0]
    return mangled[1:] if mangled.startswith("_") else ".".join(mangled.strip("ǁ").split("ǁ"))


def change_of(name: str) -> tuple[Change, str]:
    """The function, the lines a mutant removes and adds (stripped, joined), and its diff."""
    diff = subprocess.run([MUTMUT, "show", name], capture_output=True, text=True, check=True).stdout
    removed, added = [], []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            removed.append(line[1:].strip())
        elif line.startswith("+"):
            added.append(line[1:].strip())
    return (function_of(name), "\n".join(removed), "\n".join(added)), diff


def module_of(name: str) -> str:
    return name.split(".x", 1)[0]


def main(patterns: list[str]) -> int:
    reasons = load_equivalents()
    used: set[Change] = set()
    tallies: dict[str, ModuleTally] = defaultdict(ModuleTally)
    diffs: dict[str, str] = {}
    for name, status in sorted(results(patterns).items()):
        tally = tallies[module_of(name)]
        tally.statuses[status] += 1
        if status in CAUGHT:
            continue
        change, diff = change_of(name)
        if status == "survived" and change in reasons:
            used.add(change)
            tally.explained.append(name)
        else:
            tally.unexplained.append(name)
            diffs[name] = diff
    if not tallies:
        print("No mutants found; run scripts/mutate first.")
        return 1

    print(f"{'module':28} {'mutants':>7} {'caught':>7} {'equivalent':>10} {'open':>5}")
    for module, tally in sorted(tallies.items()):
        caught = sum(n for status, n in tally.statuses.items() if status in CAUGHT)
        total = sum(tally.statuses.values())
        print(
            f"{module:28} {total:>7} {caught:>7} {len(tally.explained):>10} "
            f"{len(tally.unexplained):>5}"
        )
    unexplained = [name for tally in tallies.values() for name in tally.unexplained]
    for name in unexplained:
        print(f"\n{diffs[name]}")
    stale = [c for c, module in reasons.items() if module in tallies and c not in used]
    if unexplained:
        print(
            f"\n{len(unexplained)} mutant(s) above are not caught: kill each with a test, or "
            f"add its change to {EQUIVALENTS.name} with the reason it cannot be killed."
        )
        return 1
    if stale:
        print(f"\nListed as equivalent but no longer surviving (remove from {EQUIVALENTS.name}):")
        for function, before, after in stale:
            print(f"  {function}:\n  - {before}\n  + {after}")
    print("\nEvery mutant is caught or explained.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["fintoc_tui.*"]))
