"""Docs stay true to the code: every command and option is in docs/cli.md, the README's commands work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main

from pufa.cli.app import app

from .conftest import ROOT

CLI_DOC = ROOT / "docs" / "cli.md"


def _options(command: Any) -> list[str]:
    """The long options of one command (``--json``, and ``--no-x`` of a ``--x/--no-x`` flag)."""
    found = []
    for param in command.params:
        for option in (*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])):
            if option.startswith("--"):
                found.append(option)
    return found


def _commands(command: Any, path: str = "pufa") -> Iterator[tuple[str, Any]]:
    """Every command and group under ``command``, by its full name (``pufa plan check``)."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, f"{path} {name}")


def _sections() -> dict[str, str]:
    """docs/cli.md's sections by heading (``pufa plan check``, ``全局选项``): each runs to the next
    heading of its level or above, ``#`` lines inside code blocks being no headings."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    level = 0
    fenced = False
    for line in CLI_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        heading = None if fenced else re.match(r"(#+) (.*)", line)
        if heading and len(heading.group(1)) <= max(level, 3):
            level = len(heading.group(1))
            current = sections.setdefault(heading.group(2).strip(), [])
        current.append(line)
    return {title: "\n".join(lines) for title, lines in sections.items()}


APP = typer.main.get_command(app)
COMMANDS = dict(_commands(APP))


def test_every_command_has_its_own_section() -> None:
    """docs/cli.md has a ``### pufa NAME`` section for every command of every group."""
    sections = _sections()
    missing = [
        path
        for path, command in COMMANDS.items()
        if not hasattr(command, "commands") and path not in sections
    ]
    assert missing == []


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_option_is_documented_in_its_commands_section(path: str) -> None:
    """Each long option of a command appears in that command's own section of docs/cli.md (the
    root's in 全局选项), not merely somewhere in the file."""
    command = COMMANDS[path]
    options = _options(command)
    if path == "pufa":
        section = _sections()["全局选项"]
    elif hasattr(command, "commands"):  # a group
        assert options == [], f"{path}: a group's options need a section of their own"
        return
    else:
        section = _sections()[path]
    assert [option for option in options if option not in section] == []


def test_readme_starts_with_the_two_setup_commands() -> None:
    """The README opens with exactly two commands: install + demo, install + tests; .ci/run runs the second."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block is not None
    lines = block.group(1).strip().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("pufa demo")
    assert lines[1].endswith("python -m pytest")
    assert lines[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_docs_link_to_files_that_exist() -> None:
    """Relative links in README and docs/ point at files in the repository."""
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} → {target}"
