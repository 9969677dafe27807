"""The tooling in pyproject.toml holds: ruff's rule set and mypy --strict on pufa/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: pip install '.[test]'")
    return path


@pytest.mark.slow
def test_ruff() -> None:
    """ruff check passes on the package, tests and benchmarks."""
    result = subprocess.run(
        [_tool("ruff"), "check", "pufa", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict() -> None:
    """mypy --strict (configured in pyproject.toml) passes on pufa/."""
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
