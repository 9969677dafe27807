"""The architecture of DESIGN.md, written down: imports point inward.

- model depends on nothing of ours but errors and value (the base of every attrs class);
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


def test_model_depends_only_on_errors() -> None:
    """pufa.model imports no other pufa module than pufa.errors, pufa.value, pufa.text and
    pufa.vocab, and no I/O library; pufa.value and pufa.text import nothing of ours, pufa.vocab
    (a table) only pufa.value."""
    ours = {m for m in modules()["pufa.model"] if m.startswith("pufa")}
    allowed = {"pufa.errors", "pufa.errors.InvalidInput", "pufa.errors.Problem"}
    assert ours <= allowed | {"pufa", "pufa.vocab", "pufa.value", "pufa.value.valueclass", "pufa.text"}
    vocab = {m for m in modules()["pufa.vocab"] if m.startswith("pufa")}
    assert vocab <= {"pufa.value", "pufa.value.valueclass"}
    assert not {m for m in modules()["pufa.value"] if m.startswith("pufa")}
    assert not {m for m in modules()["pufa.text"] if m.startswith("pufa")}
    assert not roots(modules()["pufa.model"]) & {
        "sqlite3",
        "psycopg",
        "rich",
        "typer",
        "json",
        "tomllib",
    }


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
