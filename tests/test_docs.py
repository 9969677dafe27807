"""Docs stay true to the code: every command and option is in docs/cli.md, the README's commands work."""

from __future__ import annotations

import re

import typer.main

from pufa.cli.app import app

from .conftest import ROOT

CLI_DOC = ROOT / "docs" / "cli.md"


def _commands() -> dict[str, list[str]]:
    group = typer.main.get_command(app)
    out: dict[str, list[str]] = {
        "": [opt for p in group.params for opt in getattr(p, "opts", []) if opt.startswith("--")]
    }
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        out[name] = [
            opt for p in command.params for opt in getattr(p, "opts", []) if opt.startswith("--")
        ]
    return out


def test_every_command_and_option_is_documented() -> None:
    """docs/cli.md names each command (`pufa NAME`) and each of its long options."""
    text = CLI_DOC.read_text(encoding="utf-8")
    for name, options in _commands().items():
        assert f"pufa {name}".strip() in text, name
        for option in options:
            assert option in text, f"{name} {option}"


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
