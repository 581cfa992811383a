"""The README tells the truth about the command line: every command is documented there and has --help,
and the Quick start and the exit codes are stated."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import kg
from dossierkg.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(kg.cli.commands))
def test_every_command_is_in_the_readme_and_has_help(name):
    assert re.search(rf"`kg {re.escape(name)}\b", README), f"kg {name} is not documented in README.md"
    result = CliRunner().invoke(kg.cli, [name, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_quick_start_is_two_commands():
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]


def test_exit_codes_are_documented():
    table = README.split("## Exit codes", 1)[1].split("##", 1)[0]
    for code in ("0", "1", "2", "3"):
        assert re.search(rf"^\| {code} \|", table, re.M), code


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
