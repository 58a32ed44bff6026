"""The README says what the tool does: every `swarmlab` command line of its shell blocks (and docs/'s) is one the
parser accepts, and its table of SSH failures says what swarmlab prints, one row per test of tests/hostile."""

import argparse
import ast
import re
import string
from pathlib import Path

import pytest

from swarmlab import i18n
from swarmlab.errors import InventoryError
from swarmlab.frontends import cli
from swarmlab.frontends.cli import base
from swarmlab.transport import inventory

from ..conftest import ROOT
from ..readme import DOCS, README, SHELLS, blocks, commands, section

HOSTILE = ROOT / "tests" / "hostile" / "test_ssh_failures_are_named_by_their_cause.py"


def swarmlab_lines() -> list:
    return [
        pytest.param(words[1:], id=f"{doc.name}:{block.line}:{' '.join(words[1:])}")
        for doc in DOCS
        for block in blocks(doc.read_text())
        if block.lang in SHELLS
        for words in commands(block)
        if Path(words[0]).name == "swarmlab"
    ]


def relaxed(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The parser with file names taken as given: the README's examples name the reader's files, not this
    machine's (that a named file must exist is the CLI suite's to hold)."""
    for action in parser._actions:
        if action.type in (base.existing_file, base.output_file):
            action.type = Path
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                relaxed(sub)
    return parser


def test_the_readme_shows_every_command():
    shown = {words[0] for words in (p.values[0] for p in swarmlab_lines()) if words and not words[0].startswith("-")}
    assert shown == set(cli.COMMANDS), shown


@pytest.mark.parametrize("argv", swarmlab_lines())
def test_every_swarmlab_command_line_of_the_readme_parses(argv, capsys):
    try:
        args = relaxed(cli.parser(argv)).parse_args(argv)
    except SystemExit as stop:  # --help and --version end here too, with 0
        assert stop.code == 0, capsys.readouterr().err
        return
    assert args.command.name


def ssh_rows() -> list:
    lines = section(README.read_text(), "## SSH failures").splitlines()
    rows = [line for line in lines if line.startswith("| ") and not line.startswith(("| cause ", "| --- "))]
    return [[cell.strip() for cell in row.strip().strip("|").split(" | ")] for row in rows]


def filled(key: str) -> str:
    template = i18n.WORDS["en"][key]
    return i18n.tr(key, "en", **{name: "X" for _, name, _, _ in string.Formatter().parse(template) if name})


def printed(tmp_path) -> list:
    """Everything swarmlab says of a node it cannot reach or use: the words of every SSH failure, each check
    message with its hint, and the refusal of an inventory whose key is a folder."""
    words = i18n.WORDS["en"]
    said = [filled(key) for key in words if key.startswith("ssh.")]
    said += [f"{filled(key)} → {filled(key + '.hint')}" for key in words if key + ".hint" in words]
    (tmp_path / "keys").mkdir()
    path = tmp_path / "inventory.yaml"
    path.write_text(
        "version: 1\nnodes:\n  - name: manager\n    address: 203.0.113.10\n    role: manager\n    key: keys\n"
    )
    with pytest.raises(InventoryError) as refused:
        inventory.load(path)
    return said + [f"refused before anything runs (exit 2): {refused.value}"]


def pattern(cell: str) -> re.Pattern:
    """The cell as a pattern: its code marks dropped (as they are from what it is matched with), each
    `<placeholder>` standing for any text."""
    return re.compile(".+".join(re.escape(part) for part in re.split(r"<[a-z_]+>", cell.replace("`", ""))))


def test_the_ssh_failures_table_has_a_row_per_hostile_test_and_says_what_swarmlab_prints(tmp_path):
    rows = ssh_rows()
    tests = [f.name for f in ast.parse(HOSTILE.read_text()).body if isinstance(f, ast.FunctionDef)]
    assert len(rows) == len([name for name in tests if name.startswith("test_")]), [row[0] for row in rows]
    said = printed(tmp_path)
    matched = []
    for cause, prints, fix in rows:
        found = [message for message in said if pattern(prints).fullmatch(message.replace("`", ""))]
        assert found, f"{cause!r}: swarmlab prints nothing like {prints!r}"
        assert fix, f"{cause!r}: no fix"
        matched.append(found[0])
    assert len(set(matched)) == len(rows), "two rows say the same"
