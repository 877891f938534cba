"""No float near money: a static scan of every module under fintoc_tui/.

Money is int minor units (ARCHITECTURE.md, invariant 1). A float sneaks in as
`amount / 100`, `float(text)`, `amount * 1.16` or a `balance: float` field, so
those are what this looks for. Floats are fine elsewhere (timeouts, retry
delays, scroll offsets), so a float is only flagged where it touches money:

- anywhere: a `float` annotation on a name that says money (`amount`,
  `balance`, `minor`, `money`, `price`, `total`), as a variable, attribute,
  field, parameter, or the return of a function so named;
- in the money-handling modules (`MONEY_MODULES`): a `float(...)` call, a
  float literal, or a true division `/`, whose immediate context mentions a
  money name. The context is the smallest of: the keyword argument, the dict
  entry, the parameter a default belongs to, the header of a compound
  statement, or the simple statement. So `timeout: float = 5.0` passes and
  `fee = amount * 0.01` fails.

A line may opt out with a comment `# float-ok: <reason>`.
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

import fintoc_tui

PACKAGE = Path(fintoc_tui.__file__).parent
MONEY_NAME = re.compile(r"amount|balance|minor|money|price|total", re.IGNORECASE)
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
ESCAPE = re.compile(r"#\s*float-ok:\s*\S")

MONEY_FILES = {
    "money.py",
    "banking.py",
    "journal.py",
    "export.py",
    "api/models.py",
    "api/client.py",
    "api/submit.py",
}
UI_WORDS = ("transfer", "amount", "history", "account")


def is_money_module(rel: str) -> bool:
    """Where money flows: the core money modules, the sandbox, batches, commands, the money screens."""
    path = PurePosixPath(rel)
    if rel in MONEY_FILES or path.parts[0] in ("sandbox", "batch", "commands", "transfer"):
        return True
    # By feature folder (ui/transfer/, ui/history/, ui/accounts/) or by file name.
    return path.parts[0] == "ui" and any(
        word in part for part in path.parts[1:] for word in UI_WORDS
    )


@dataclass(frozen=True)
class Finding:
    line: int
    rule: str
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.rule}: {self.text}"


def _escaped_lines(source: str) -> set[int]:
    lines = set()
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    for token in tokens:
        if token.type == tokenize.COMMENT and ESCAPE.search(token.string):
            lines.add(token.start[0])
    return lines


def _money_word(name: str | None) -> bool:
    return bool(name) and bool(MONEY_NAME.search(name))


def _mentions_money(nodes) -> bool:
    for root in nodes:
        if root is None:
            continue
        for node in ast.walk(root):
            name = None
            if isinstance(node, ast.Name):
                name = node.id
            elif isinstance(node, ast.Attribute):
                name = node.attr
            elif isinstance(node, ast.arg | ast.keyword):
                name = node.arg
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                name = node.value if IDENTIFIER.fullmatch(node.value) else None
            if _money_word(name):
                return True
    return False


def _is_float_annotation(annotation: ast.AST | None) -> bool:
    if annotation is None:
        return False
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name) and node.id == "float":
            return True
        # Quoted annotations ("float | None") are strings inside the tree.
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and re.search(r"\bfloat\b", node.value):
            return True
    return False


def _context(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> list[ast.AST]:
    """The smallest piece of code that says what `node` is about."""
    child = node
    while child in parents:
        parent = parents[child]
        if isinstance(parent, ast.keyword):
            return [parent]
        if isinstance(parent, ast.Dict):
            for key, value in zip(parent.keys, parent.values, strict=True):
                if child is key or child is value:
                    return [key, value]
        if isinstance(parent, ast.arguments):
            positional = parent.posonlyargs + parent.args
            for arg, default in zip(
                positional[len(positional) - len(parent.defaults) :], parent.defaults, strict=True
            ):
                if child is default:
                    return [arg]
            for arg, default in zip(parent.kwonlyargs, parent.kw_defaults, strict=True):
                if child is default:
                    return [arg]
            return [child]
        if isinstance(parent, ast.stmt):
            return [child] if hasattr(parent, "body") else [parent]
        child = parent
    return [child]


DIVISION = "true division of money (gives a float; use // or divmod)"


def _annotation_problem(node: ast.AST) -> tuple[ast.AST, str] | None:
    """A float annotation on a money name (checked in every module)."""
    if isinstance(node, ast.AnnAssign):
        target = node.target
        name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
        if _money_word(name) and _is_float_annotation(node.annotation):
            return node, "float annotation on a money name"
    is_param = isinstance(node, ast.arg)
    if is_param and _money_word(node.arg) and _is_float_annotation(node.annotation):
        return node, "float parameter for money"
    is_function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    if is_function and _money_word(node.name) and _is_float_annotation(node.returns):
        return node.returns, "money function returns float"
    return None


def _expression_problem(node: ast.AST, parents) -> tuple[ast.AST, str] | None:
    """float(), float literals and true division near money (money modules only)."""
    is_float_call = (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float"
    )
    if is_float_call and _mentions_money(_context(node, parents)):
        return node, "float() near money"
    is_literal = isinstance(node, ast.Constant) and type(node.value) is float
    if is_literal and _mentions_money(_context(node, parents)):
        return node, "float literal near money"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        operands = [node.left, node.right]
    elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Div):
        operands = [node.target, node.value]
    else:
        return None
    return (node, DIVISION) if _mentions_money(operands) else None


def find_float_money(source: str, *, money_module: bool) -> list[Finding]:
    """Every float-near-money finding in one module's source."""
    tree = ast.parse(source)
    escaped = _escaped_lines(source)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    findings: list[Finding] = []

    def flag(node: ast.AST, rule: str) -> None:
        lines = range(node.lineno, (node.end_lineno or node.lineno) + 1)
        if not escaped.intersection(lines):
            findings.append(Finding(node.lineno, rule, ast.unparse(node)[:80]))

    for node in ast.walk(tree):
        found = _annotation_problem(node)
        if found is None and money_module:
            found = _expression_problem(node, parents)
        if found is not None:
            flag(*found)
    return sorted(findings, key=lambda f: f.line)


def package_modules() -> list[tuple[str, Path]]:
    return sorted(
        (path.relative_to(PACKAGE).as_posix(), path)
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts
    )


# --- the scan ---------------------------------------------------------------------


def test_scan_covers_the_package():
    """Guard against a vacuous pass: the money modules are found and classified."""
    modules = dict(package_modules())
    assert "money.py" in modules and "api/jws.py" in modules
    assert is_money_module("money.py")
    assert is_money_module("sandbox/store.py")
    assert is_money_module("transfer/checks.py")
    assert is_money_module("ui/transfer/form_screen.py")
    assert is_money_module("ui/transfer/amount_input.py")
    assert is_money_module("ui/accounts/account_detail_screen.py")
    assert not is_money_module("api/jws.py")
    assert not is_money_module("ui/shell/help.py")
    assert not is_money_module("clock.py")


@pytest.mark.parametrize(("rel", "path"), package_modules(), ids=lambda v: str(v))
def test_no_float_near_money(rel, path):
    findings = find_float_money(path.read_text("utf-8"), money_module=is_money_module(rel))
    assert not findings, f"{rel}:\n" + "\n".join(map(str, findings))


# --- the checker checks ------------------------------------------------------------


PLANTED = textwrap.dedent(
    """
    from pydantic import BaseModel

    class Transfer(BaseModel):
        amount: float                                   # 5 flagged (annotation)
        comment: str

    def total_amount(rows) -> float | None:             # 8 flagged (return)
        return sum(rows)

    def show(amount: float, timeout: float = 5.0):      # 11 flagged (param)
        pesos = amount / 100                            # 12 flagged (division)
        fee = amount * 0.01                             # 13 flagged (literal)
        minor = int(float(text) * 100)                  # 14 flagged (float())
        body = {"amount": 1.5, "ratio": 0.5}            # 15 flagged once (dict entry)
        send(amount=2.0, timeout=3.0)                   # 16 flagged once (keyword)
        balance /= 2                                    # 17 flagged (augmented division)
        if balance > 0.0:                               # 18 flagged (compound header)
            pass
        self.available_balance: float = 0               # 20 flagged (attribute)

    def ok(amount, timeout: float = 5.0, delay=0.5):
        wait(timeout=2.5, delay=float(delay))
        elapsed = end - start
        rate = 1 / 3
        cents = amount // 100
        major, frac = divmod(amount, 100)
        pesos = amount / 100  # float-ok: shown on a chart axis only
        ratio = float(total)  # float-ok
        for item in [1.5]:
            amount = 0
    """
)


def test_checker_flags_planted_floats():
    findings = find_float_money(PLANTED, money_module=True)
    assert [f.line for f in findings] == [5, 8, 11, 12, 13, 14, 15, 16, 17, 18, 20, 29], "\n".join(
        map(str, findings)
    )
    rules = {f.line: f.rule for f in findings}
    assert rules[12].startswith("true division")
    assert rules[14] == "float() near money"
    assert rules[13] == "float literal near money"


def test_escape_needs_a_reason():
    """Line 29 of the plant has `# float-ok` with no reason: still flagged; 28 has one."""
    findings = find_float_money(PLANTED, money_module=True)
    assert any(f.line == 29 and "float()" in f.rule for f in findings)
    assert not any(f.line == 28 for f in findings)


def test_outside_money_modules_only_annotations_count():
    findings = find_float_money(PLANTED, money_module=False)
    assert [f.line for f in findings] == [5, 8, 11, 20]


def test_quoted_annotations_are_seen():
    source = 'balance: "float | None" = None\nlimit: "float" = 1.0\n'
    assert [f.line for f in find_float_money(source, money_module=False)] == [1]


def test_function_default_context_is_its_own_parameter():
    source = "def f(timeout=5.0, amount=1): pass\ndef g(amount=1.0, timeout=5): pass\n"
    assert [f.line for f in find_float_money(source, money_module=True)] == [2]
