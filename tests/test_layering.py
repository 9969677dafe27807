"""The architecture of docs/architecture.md, written down: imports point inward.

- the model layer (model, then event) depends on nothing of ours but errors, value (the decorator
  of every attrs class), text and vocab;
- only pufa/cli imports typer or rich; only pufa/cli/render.py imports rich;
- only pufa/store imports database drivers (sqlite3, psycopg);
- nothing imports pufa.cli;
- no module is named after a dependency (it would shadow it).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pufa"


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules() -> dict[str, set[str]]:
    return {
        path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", "."): imports_of(
            path
        )
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def roots(imported: set[str]) -> set[str]:
    return {name.split(".")[0] for name in imported}


def ours(name: str) -> set[str]:
    """The pufa modules that module ``name`` imports (names imported from them left out)."""
    known = modules()
    return {m for m in known[name] if m in known}


#: what the model layer may import of ours: the error type, the class decorator, text checks and
#: the vocabulary (a table)
MODEL_BASE = {"pufa.errors", "pufa.value", "pufa.text", "pufa.vocab"}
#: libraries that do I/O or talk to a terminal: never in the model layer
IO = {"sqlite3", "psycopg", "rich", "typer", "json", "tomllib"}


def test_model_imports_only_its_base() -> None:
    """pufa.model imports no other pufa module than errors, value, text and vocab, and no I/O."""
    assert ours("pufa.model") <= MODEL_BASE
    assert not roots(modules()["pufa.model"]) & IO


def test_event_builds_only_on_the_model() -> None:
    """pufa.event (a record, the upper half of the model layer) adds only pufa.model to that."""
    assert ours("pufa.event") <= MODEL_BASE | {"pufa.model"}
    assert not roots(modules()["pufa.event"]) & IO


def test_the_model_base_imports_nothing_of_ours_but_value() -> None:
    """pufa.value and pufa.text import nothing of ours, pufa.vocab (a table) only pufa.value."""
    assert not ours("pufa.value")
    assert not ours("pufa.text")
    assert ours("pufa.vocab") <= {"pufa.value"}


def test_only_cli_imports_typer_or_rich() -> None:
    """typer and rich stay in pufa.cli; rich only in its render module."""
    for name, imported in modules().items():
        used = roots(imported)
        if not name.startswith("pufa.cli"):
            assert not used & {"typer", "rich", "click"}, name
        if name != "pufa.cli.render":
            assert "rich" not in used, name


def test_only_store_talks_sql() -> None:
    """Database drivers are imported by pufa.store alone."""
    for name, imported in modules().items():
        if not name.startswith("pufa.store"):
            assert not roots(imported) & {"sqlite3", "psycopg", "psycopg2"}, name


def test_nothing_imports_the_cli() -> None:
    """The library never imports its command line (sqlite-utils' rule)."""
    for name, imported in modules().items():
        if not name.startswith("pufa.cli") and name != "pufa.__main__":
            assert not any(m.startswith("pufa.cli") for m in imported), name


def test_no_module_shadows_a_dependency() -> None:
    """pufa/icalendar.py would shadow the real icalendar: module names are domain nouns."""
    taken = {
        "attrs",
        "pendulum",
        "typer",
        "rich",
        "icalendar",
        "holidays",
        "openpyxl",
        "psycopg",
        "sqlite3",
        "tomllib",
        "json",
    }
    assert not {p.stem for p in PACKAGE.rglob("*.py")} & taken


def test_the_checker_sees_lazy_imports() -> None:
    """A lazy import inside a function counts: the check would catch rich hidden in a function."""
    imported = imports_of(PACKAGE / "cli" / "commands.py")
    assert (
        "pufa.cli.render" in {m for m in imported if m.startswith("pufa.cli")}
        or "pufa.cli" in imported
    )
    assert "typer" in imported
