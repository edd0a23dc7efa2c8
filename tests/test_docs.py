"""The README is the manual: every command is in it, and CI runs its test command verbatim."""
from __future__ import annotations

import re
from pathlib import Path

import typer.main

from claimsearch.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_and_is_in_the_readme():
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help and "Example" in command.help, f"`claimsearch {name}` needs help with an example"
        assert f"claimsearch {name}" in README, f"`claimsearch {name}` is not in README.md"


def test_ci_runs_the_readme_test_command_verbatim():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_quick_start_indexes_the_bundled_sample():
    quick = re.findall(r"```bash\n(.*?)\n```", README, re.S)[0]
    assert "claimsearch index claimsearch/sample" in quick and 'claimsearch query "Starlink Taïwan"' in quick
    assert (ROOT / "claimsearch" / "sample" / "SOURCES.md").exists()
