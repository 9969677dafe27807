"""The tooling in pyproject.toml holds (ruff's rule set, mypy --strict on pufa/), and issue 11's size bar."""

from __future__ import annotations

import ast
import subprocess

import pytest

from .conftest import ROOT, tool


@pytest.mark.slow
def test_ruff() -> None:
    """ruff check passes on the package, tests and benchmarks."""
    result = subprocess.run(
        [tool("ruff"), "check", "pufa", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict() -> None:
    """mypy --strict (configured in pyproject.toml) passes on pufa/."""
    result = subprocess.run([tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


#: issue 11's bar for pufa/: lines per module (data tables aside) and per function
MODULE_MAX = 450
FUNCTION_MAX = 60


def _lengths() -> dict[str, int]:
    """Every pufa module (all its lines) and every function or method (``end_lineno - lineno + 1``,
    nested ones too), by ``path`` and ``path:name``. Data tables are module-level assignments, so
    they count toward their module only."""
    lengths: dict[str, int] = {}
    for path in sorted((ROOT / "pufa").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        name = path.relative_to(ROOT).as_posix()
        lengths[name] = len(text.splitlines())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno:
                key = f"{name}:{node.name}"  # two methods of one name: the longer counts
                lengths[key] = max(lengths.get(key, 0), node.end_lineno - node.lineno + 1)
    return lengths


def _too_long(lengths: dict[str, int]) -> dict[str, int]:
    return {
        name: length
        for name, length in lengths.items()
        if length > (FUNCTION_MAX if ":" in name else MODULE_MAX)
    }


def test_no_module_or_function_is_too_long() -> None:
    """No module in pufa/ is over 450 lines and no function over 60 (issue 11's bar): a module
    that grows past it is split into modules that are one thing each."""
    assert _too_long(_lengths()) == {}
