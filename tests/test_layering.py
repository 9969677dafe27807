"""The architecture of docs/architecture.md, written down and checked: imports point inward.

- every pufa module imports only the pufa modules ``MAY_IMPORT`` lists for it (beancount's
  ``tools/dependency_constraints.py``), and the module map in docs/architecture.md says the same;
- every top-level module or package sits in one of ``LAYERS`` and imports only from layers below it,
  and the layer diagram in docs/architecture.md draws the same layers;
- only pufa/cli imports typer or rich; only pufa/cli/render.py and render_table.py import rich;
- only pufa/store imports database drivers (sqlite3, psycopg); only pufa/ledger imports openpyxl; only pufa/wordfile imports python-docx;
- nothing imports pufa.cli;
- no module is named after a dependency (it would shadow it).

Lazy imports inside functions and ``TYPE_CHECKING`` imports count like any other.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pufa"
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"

#: For each pufa module (its dotted path below ``pufa``; a package by its own name, the package
#: itself as ``__init__``), the pufa modules it may import.
MAY_IMPORT: dict[str, frozenset[str]] = {
    name: frozenset(allowed)
    for name, allowed in {
        "__init__": set(),
        "__main__": {"cli.entry"},
        "accounts": {"errors", "event", "model", "passwords", "store", "store.users", "users"},
        "amounts": set(),
        "cli": set(),
        "cli.app": {"cli.commands", "cli.registry"},
        "cli.commands": {"cli.common", "cli.listing", "cli.options", "cli.plain", "cli.prompts",
                         "cli.registry", "cli.render", "dates", "demo", "errors", "event",
                         "intake", "jsonout", "model", "records", "report", "store", "text",
                         "workspace", "yearly"},
        "cli.common": {"cli.plain", "errors", "load", "model", "output", "store", "store.location",
                       "workspace"},
        "cli.complete": {"errors", "load", "model", "names", "workspace"},
        "cli.county": {"cli.common", "workspace"},
        "cli.db": {"cli.common", "cli.render", "store", "store.copy", "store.roster",
                   "store.schema", "workspace"},
        "cli.duties": {"cli.common", "cli.options", "cli.render", "cli.tallies", "jsonout",
                       "names", "unitwork", "workspace"},
        "cli.entry": {"cli.app", "cli.commands", "cli.common", "cli.registry", "errors", "pause"},
        "cli.feeds": {"cli.common", "ical", "serve", "workspace"},
        "cli.frame": {"cli.complete", "cli.messages"},
        "cli.layout": {"value"},
        "cli.ledger": {"cli.common", "cli.options", "cli.render", "document", "errors", "event",
                       "intake", "ledger", "locks", "model", "names", "output", "pause", "store",
                       "tally", "workspace", "yearly"},
        "cli.listing": {"cli.common", "cli.options", "cli.render", "dates", "display", "event",
                        "jsonout", "ledger.cells", "model", "names", "output", "store",
                        "workspace"},
        "cli.locks": {"cli.common", "cli.layout", "cli.options", "locks", "model", "records",
                      "text", "workspace"},
        "cli.messages": set(),
        "cli.options": set(),
        "cli.people": {"cli.common", "cli.options", "errors", "ledger.table", "model", "output",
                       "people", "roster", "store.roster", "workspace"},
        "cli.places": {"cli.common", "jsonout", "names", "workspace"},
        "cli.plain": {"display", "event", "model", "text", "vocab"},
        "cli.plan": {"cli.common", "cli.options", "cli.render", "plans", "scheduling", "workspace"},
        "cli.prompts": {"cli.plain", "dates", "errors", "event", "intake", "model", "names",
                        "vocab"},
        "cli.registry": {"cli.common", "cli.frame"},
        "cli.render": {"amounts", "cli.layout", "cli.plain", "cli.render_table", "display",
                       "event", "model", "plans", "programme", "scheduling", "tally", "text",
                       "vocab"},
        "cli.render_table": {"cli.layout"},
        "cli.review": {"amounts", "cli.common", "cli.options", "cli.render", "cli.tallies",
                       "errors", "model", "names", "review", "store", "unitwork", "workspace"},
        "cli.tallies": {"amounts", "cli.common", "cli.options", "cli.render", "dates", "display",
                        "document", "errors", "jsonout", "ledger.table", "model", "names",
                        "output", "programme", "report", "store", "tally", "unitwork", "wordfile",
                        "workspace", "yearly"},
        "cli.users": {"accounts", "cli.common", "cli.options", "errors", "users", "workspace"},
        "cli.web": {"accounts", "cli.common", "errors", "web.app", "workspace"},
        "cli.year": {"cli.common", "workspace", "yearly"},
        "dates": {"errors", "model"},
        "days": {"errors", "model", "value"},
        "dashboard": {"model", "tally", "targets", "value"},
        "demo": {"accounts", "errors", "event", "model", "records", "sample", "store", "store.roster",
                 "workspace"},
        "display": {"amounts", "event", "model", "programme", "tally", "targets"},
        "divisions": {"errors", "model", "names", "value"},
        "document": {"amounts", "display", "tally", "value"},
        "duties": {"model", "targets", "value"},
        "errors": {"text", "value", "vocab"},
        "event": {"errors", "model", "text", "value", "vocab"},
        "feedcache": {"output", "value"},
        "feedpage": {"event", "model", "text", "value"},
        "ical": {"event", "feedcache", "feedpage", "model", "output", "store", "store.rows",
                 "text", "value"},
        "intake": {"dates", "errors", "event", "model", "names", "text", "value", "vocab"},
        "jsonout": {"amounts", "display", "event", "model", "programme", "tally", "vocab"},
        "ledger": {"ledger.cells", "ledger.importing", "ledger.preview", "ledger.sheets",
                   "ledger.workbook"},
        "ledger.cells": {"display", "event", "model", "text", "vocab"},
        "ledger.importing": {"errors", "event", "intake", "ledger.cells", "ledger.sheets",
                             "ledger.workbook", "locks", "model", "output", "store", "text", "value",
                             "vocab"},
        "ledger.instructions": {"model", "names"},
        "ledger.preview": {"errors", "event", "ledger.importing", "ledger.sheets", "model",
                           "store", "value", "vocab"},
        "ledger.printing": set(),
        "ledger.sheets": {"amounts", "errors", "ledger.cells", "model", "names", "text", "value"},
        "ledger.table": {"errors", "ledger.cells", "ledger.printing", "ledger.sheets",
                         "ledger.workbook", "output"},
        "ledger.workbook": {"errors", "event", "ledger.cells", "ledger.instructions",
                            "ledger.printing", "ledger.sheets", "model", "output", "value",
                            "vocab"},
        "locks": {"errors", "model", "value"},
        "load": {"load.campaigns", "load.county", "load.indicators", "load.programme",
                 "load.reader"},
        "load.campaigns": {"days", "errors", "load.reader", "model", "names", "scheduling"},
        "load.county": {"load.reader", "model"},
        "load.duties": {"amounts", "duties", "load.reader", "model", "targets"},
        "load.indicators": {"event", "load.reader", "model", "targets"},
        "load.programme": {"errors", "load.indicators", "load.reader", "programme", "targets"},
        "load.cache": set(),
        "load.reader": {"errors", "load.cache", "names", "text"},
        "model": {"errors", "text", "value", "vocab"},
        "monthview": {"days", "errors", "event", "model", "value"},
        "names": {"errors", "model", "vocab"},
        "output": {"errors", "value"},
        "overview": {"dashboard", "days", "errors", "model", "monthview", "names", "store",
                     "tally", "workspace", "yearly"},
        "pause": set(),
        "passwords": set(),
        "people": {"model", "value", "vocab"},
        "plans": {"days", "errors", "event", "intake", "load", "model", "records", "scheduling",
                  "store", "value", "workspace"},
        "programme": {"errors", "model", "targets", "value"},
        "records": {"errors", "event", "intake", "locks", "model", "names", "scheduling", "store"},
        "report": {"amounts", "programme", "tally"},
        "review": {"amounts", "duties", "errors", "names", "tally", "value"},
        "roster": {"errors", "model", "names", "people", "value"},
        "sample": {"intake", "model", "people"},
        "scheduling": {"days", "errors", "event", "model", "value"},
        "serve": {"errors"},
        "store": {"errors", "event", "locks", "model", "store.location", "store.postgres", "store.scores",
                  "store.sqlite", "value", "vocab"},
        "store.aggregates": {"event", "model"},
        "store.copy": {"errors", "store"},
        "store.location": set(),
        "store.locks": {"locks", "store.rows"},
        "store.postgres": {"errors", "store.location", "store.schema", "store.sql"},
        "store.roster": {"errors", "event", "people", "store.rows", "store.sql", "value"},
        "store.rows": {"errors", "event", "model", "text", "value", "vocab"},
        "store.schema": {"errors", "value"},
        "store.scores": {"store.rows", "value"},
        "store.sql": {"errors", "event", "store", "store.aggregates", "store.locks", "store.rows",
                      "store.schema", "store.scores", "store.statements"},
        "store.sqlite": {"errors", "store.location", "store.rows", "store.schema", "store.sql"},
        "store.statements": {"store", "store.aggregates", "store.schema"},
        "store.users": {"errors", "event", "store.rows", "store.sql", "users", "value"},
        "tally": {"model", "targets", "value", "vocab"},
        "targets": {"amounts", "errors", "model", "value"},
        "text": set(),
        "unitwork": {"duties", "errors", "event", "load.duties", "model", "review", "store",
                     "tally", "targets", "value", "workspace", "yearly"},
        "users": {"errors", "event", "model", "names", "value"},
        "value": set(),
        "vocab": {"value"},
        "web": set(),
        "web.charts": {"dashboard"},
        "web.admin": {"accounts", "users", "web.auth", "web.context"},
        "web.app": {"users", "value", "web.auth", "web.context", "web.security", "workspace"},
        "web.auth": {"accounts", "users", "web.context", "web.security"},
        "web.context": {"event", "model", "store", "users", "workspace"},
        "web.locks": {"errors", "locks", "records", "users", "web.auth", "web.context"},
        "web.records": {
            "display", "errors", "event", "intake", "model", "records", "text", "users", "vocab",
            "web.auth", "web.context", "web.records_form", "web.records_list",
        },
        "web.records_form": {"display", "errors", "event", "model", "users", "value", "vocab"},
        "web.records_list": {"dates", "errors", "event", "model", "names", "store", "users", "value"},
        "web.security": set(),
        "web.pages": {"errors", "overview", "users", "web.auth", "web.charts", "web.context"},
        "web.feeds": {"feedpage", "ical", "model", "users", "value", "web.auth", "web.context"},
        "web.rosters": {
            "errors", "model", "names", "people", "store.roster", "unitwork", "users", "value",
            "web.auth", "web.charts", "web.context", "web.pages",
        },
        "web.ledger": {
            "errors", "ledger", "ledger.importing", "model", "store", "users", "vocab",
            "web.auth", "web.context",
        },
        "wordfile": {"document"},
        "workspace": {"divisions", "errors", "event", "load", "model", "programme", "store",
                      "store.location", "value"},
        "yearly": {"errors", "load", "model", "programme", "store", "tally", "targets", "value",
                   "workspace", "years"},
        "years": set(),
    }.items()
}  # fmt: skip

#: The layers of docs/architecture.md, bottom up: a top-level module or package imports only from
#: the layers below its own (a package's modules may import each other).
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(layer.split())
    for layer in (
        "amounts passwords pause text value years",
        "vocab",
        "errors",
        "model output serve",
        "dates days event feedcache locks names people targets",
        "users",
        "divisions duties feedpage intake monthview programme roster scheduling store tally",
        "accounts dashboard display ical load records report review sample",
        "document jsonout ledger workspace",
        "demo plans wordfile yearly",
        "overview unitwork",
        "web",
        "cli",
        "__main__",
    )
)


def module_name(path: Path) -> str:
    """``pufa/store/sql.py`` → ``store.sql``; a package's ``__init__.py`` → the package's name."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def ours(dotted: str) -> str | None:
    """The pufa module a dotted name (``pufa.store.Query``) lives in: its longest module prefix."""
    parts = dotted.split(".")
    if parts[0] != "pufa":
        return None
    for end in range(len(parts), 1, -1):
        name = ".".join(parts[1:end])
        if name in MODULES:
            return name
    return None


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


def pufa_imports_of(path: Path) -> set[str]:
    """The pufa modules a file imports: ``from pufa.cli import render`` is ``cli.render`` alone,
    ``from pufa.store import Query`` is ``store``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(filter(None, (ours(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = ours(f"{node.module}.{alias.name}")
                if name is None or f"pufa.{name}" != f"{node.module}.{alias.name}":
                    name = ours(node.module)  # a name defined in the module, not a submodule
                if name is not None:
                    found.add(name)
    found.discard(module_name(path))
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


def unit(name: str) -> str:
    """The top-level module or package a module belongs to (``store.sql`` → ``store``)."""
    return name.split(".")[0]


def layer_of(name: str) -> int:
    return next(n for n, layer in enumerate(LAYERS) if unit(name) in layer)


def test_every_module_imports_only_what_the_table_allows() -> None:
    """No pufa module imports a pufa module its ``MAY_IMPORT`` entry does not list."""
    extra = {
        name: sorted(pufa_imports_of(path) - MAY_IMPORT.get(name, frozenset()))
        for name, path in MODULES.items()
    }  # fmt: skip
    assert {name: found for name, found in extra.items() if found} == {}


def test_every_module_is_in_the_table() -> None:
    """A new module gets a ``MAY_IMPORT`` entry, and a removed one loses its entry."""
    assert sorted(MAY_IMPORT) == sorted(MODULES)


def test_the_table_lists_only_modules_that_exist() -> None:
    """Every module a ``MAY_IMPORT`` entry names exists (a renamed module is renamed here too)."""
    named = set().union(*MAY_IMPORT.values())
    assert sorted(named - set(MODULES)) == []


def test_the_checker_resolves_submodules_and_names() -> None:
    """``from pufa.cli import render`` counts as cli.render; ``from pufa.store import Query`` as
    store; a lazy import inside a function counts too."""
    imported = pufa_imports_of(PACKAGE / "cli" / "commands.py")
    assert {"cli.render", "store", "demo"} <= imported
    assert "cli" not in imported


def test_every_module_is_in_one_layer() -> None:
    """Each top-level module or package sits in exactly one layer."""
    placed = [name for layer in LAYERS for name in layer]
    assert sorted(placed) == sorted({unit(name) for name in MODULES} - {"__init__"})


def test_imports_point_to_lower_layers() -> None:
    """Outside a package, a module may import only from layers below its own."""
    upward = sorted(
        f"{name} → {target}"
        for name, allowed in MAY_IMPORT.items()
        if name != "__init__"
        for target in allowed
        if unit(target) != unit(name) and layer_of(target) >= layer_of(name)
    )
    assert upward == []


def _doc_rows() -> dict[str, str]:
    """docs/architecture.md's module map: module name → its "may import (ours)" cell."""
    rows: dict[str, str] = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        found = re.match(r"\| `pufa/([^`]+\.py)` \|", line)
        if found:
            cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            assert len(cells) == 3, line[:80]
            rows[module_name(PACKAGE / found.group(1))] = cells[2]
    return rows


def test_the_module_map_lists_every_module() -> None:
    """docs/architecture.md's module map has one row per module."""
    assert sorted(_doc_rows()) == sorted(MODULES)


def test_the_module_map_says_what_the_table_says() -> None:
    """Each row's "may import (ours)" cell names, in backticks, exactly the modules ``MAY_IMPORT``
    allows."""
    differ = {}
    for name, cell in _doc_rows().items():
        said = set(re.findall(r"`([^`]+)`", cell))
        meant = set(MAY_IMPORT.get(name, ()))
        if said != meant:
            differ[name] = (said, meant)
    assert differ == {}


def test_the_layer_diagram_draws_the_checked_layers() -> None:
    """docs/architecture.md's layer diagram has the layers of ``LAYERS``, bottom up."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = re.search(r"Layering, bottom up.*?```text\n(.*?)```", text, re.S)
    assert block is not None
    drawn = []
    for line in reversed(block.group(1).strip().splitlines()):
        words = re.sub(r"\(.*?\)", "", line).replace("·", " ").split()[1:]
        drawn.append(frozenset(word.rstrip("/") for word in words if not word.endswith(".py")))
    assert drawn == list(LAYERS)


def test_model_imports_no_io_library() -> None:
    """The pure core (model, event, vocab, value, text, targets, tally, scheduling) imports no I/O
    library."""
    for name in ("model", "event", "vocab", "value", "text", "targets", "tally", "scheduling"):
        assert not roots(imports_of(MODULES[name])) & {
            "sqlite3",
            "psycopg",
            "rich",
            "typer",
            "json",
            "tomllib",
            "openpyxl",
        }, name


def test_only_cli_imports_typer_or_rich() -> None:
    """typer and rich stay in pufa.cli; rich only in its render modules."""
    for name, imported in modules().items():
        used = roots(imported)
        if not name.startswith("pufa.cli"):
            assert not used & {"typer", "rich", "click"}, name
        if name not in ("pufa.cli.render", "pufa.cli.render_table"):
            assert "rich" not in used, name


def test_only_store_talks_sql() -> None:
    """Database drivers are imported by pufa.store alone."""
    for name, imported in modules().items():
        if not name.startswith("pufa.store"):
            assert not roots(imported) & {"sqlite3", "psycopg", "psycopg2"}, name


def test_only_ledger_imports_openpyxl() -> None:
    """openpyxl (~100 ms to import) is imported by pufa.ledger alone."""
    for name, imported in modules().items():
        if not name.startswith("pufa.ledger"):
            assert "openpyxl" not in roots(imported), name


def test_only_wordfile_imports_python_docx() -> None:
    """python-docx (and its lxml) is imported by pufa.wordfile alone."""
    for name, imported in modules().items():
        if name != "pufa.wordfile":
            assert not roots(imported) & {"docx", "lxml"}, name


def test_only_web_imports_flask() -> None:
    """flask, werkzeug and jinja2 stay in pufa.web (an edge like the CLI); waitress in the command
    that serves it."""
    for name, imported in modules().items():
        if not name.startswith("pufa.web"):
            assert not roots(imported) & {"flask", "werkzeug", "jinja2"}, name
        if name != "pufa.cli.web":
            assert "waitress" not in roots(imported), name


def test_only_passwords_imports_argon2() -> None:
    """argon2-cffi is imported by pufa.passwords alone."""
    for name, imported in modules().items():
        if name != "pufa.passwords":
            assert "argon2" not in roots(imported), name


def test_the_library_never_imports_the_web() -> None:
    """Only the web package and the command that serves it import pufa.web."""
    for name, imported in modules().items():
        if not name.startswith(("pufa.web", "pufa.cli.web")):
            assert not any(m.startswith("pufa.web") for m in imported), name


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
        "docx",
        "lxml",
        "psycopg",
        "sqlite3",
        "tomllib",
        "json",
    }
    assert not {p.stem for p in PACKAGE.rglob("*.py")} & taken
