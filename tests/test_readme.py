"""The README's tour runs as written, on today's date: every command of its shell blocks, in order,
through the installed ``pufa`` script, in a fresh folder with "today" fixed at 2026-11-29."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, TODAY_2026

README = ROOT / "README.md"
#: lines of the tour that are not pufa commands to run here: the venv, installs, the blocking
#: feed server, and the commands that need a PostgreSQL server of their own
SKIPPED = (". .venv/bin/activate", "pip ", "pufa feeds serve")


def tour_commands() -> list[str]:
    """The shell lines of the README from "A short tour" to "Documentation", continuation lines
    joined, comments and skipped lines dropped."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## A short tour") : text.index("## Documentation")]
    commands: list[str] = []
    for block in section.split("```sh\n")[1:]:
        body = block[: block.index("```")].replace("\\\n", " ")
        for line in body.splitlines():
            command = line.split("  #")[0].strip()
            if command and not command.startswith(SKIPPED) and "postgresql://" not in command:
                commands.extend(part.strip() for part in command.split("&&"))
    return commands


def pufa_script() -> Path:
    """The ``pufa`` console script of the environment running the tests."""
    script = Path(sys.executable).parent / "pufa"
    if not script.exists():
        pytest.skip("pufa is not installed as a script in this environment")
    return script


@pytest.fixture(scope="module")
def toured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder the whole tour ran in (``cd`` followed); the workspace it made."""
    env = {k: v for k, v in os.environ.items() if k != "PUFA_WORKSPACE"}
    env |= {"PUFA_NOW": TODAY_2026, "PUFA_USER": "测试员", "COLUMNS": "100"}
    here = tmp_path_factory.mktemp("tour")
    for command in tour_commands():
        words = shlex.split(command)
        if words[0] == "cd":
            here = here / words[1]
            continue
        assert words[0] == "pufa", command
        done = subprocess.run(
            [str(pufa_script()), *words[1:]], cwd=here, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, command
    return here


def test_the_tour_has_the_commands_a_new_user_needs() -> None:
    """The tour starts a workspace, starts the year, logs, lists, sums up and exports."""
    firsts = [" ".join(shlex.split(c)[:2]) for c in tour_commands()]
    for needed in (
        "pufa init",
        "pufa year",
        "pufa log",
        "pufa list",
        "pufa summary",
        "pufa report",
    ):
        assert needed in firsts


def test_the_tour_leaves_this_years_records(toured: Path) -> None:
    """After the tour, 2026 holds the 法律七进 session (edited to 350), the exam, and the voided lecture
    uncounted; the plan's records are planned."""
    out = subprocess.run(
        [str(pufa_script()), "list", "--year", "2026", "--voided", "--json"],
        cwd=toured, env={**os.environ, "PUFA_NOW": TODAY_2026}, capture_output=True, text=True,
    )  # fmt: skip
    records = json.loads(out.stdout)
    first = next(r for r in records if r["id"] == 1)
    assert first["measures"]["participants"] == 350
    assert next(r for r in records if r["id"] == 3)["voided"] is not None
    assert sum(r["status"] == "planned" for r in records) > 100


def test_the_tour_wrote_the_files_it_names(toured: Path) -> None:
    """The drafted targets and plan, the template and the export exist in the workspace."""
    for name in (
        "targets-2026.toml",
        "plan-2026.toml",
        "台账模板.xlsx",
        "开阳县2026年普法台账.xlsx",
    ):
        assert (toured / name).is_file(), name
