"""The tooling in pyproject.toml holds: ruff's rule set and mypy --strict on pufa/."""

from __future__ import annotations

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
