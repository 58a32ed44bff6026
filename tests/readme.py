"""The README read as its tests read it: sections by heading, fenced blocks by their language, shell lines as
commands. Shared by the unit test (every `swarmlab` line parses) and the lab test (the student quick start runs)."""

import re
import shlex
from dataclasses import dataclass

from .conftest import ROOT

README = ROOT / "README.md"
DOCS = (README, *sorted((ROOT / "docs").glob("*.md")))
SHELLS = ("bash", "sh", "shell", "console")
SEPARATORS = ("&&", "||", ";", "|")


@dataclass(frozen=True)
class Block:
    lang: str
    text: str
    line: int  # of the opening fence, for the failure message


def blocks(markdown: str) -> list:
    """Every fenced block, in order."""
    found, opened, lines = [], None, []
    for number, line in enumerate(markdown.splitlines(), 1):
        if opened is None and line.startswith("```"):
            opened, lines = (line[3:].strip(), number), []
        elif opened is not None and line.startswith("```"):
            found.append(Block(opened[0], "\n".join(lines) + "\n", opened[1]))
            opened = None
        elif opened is not None:
            lines.append(line)
    assert opened is None, f"a fenced block opened on line {opened[1]} is never closed"
    return found


def section(markdown: str, heading: str) -> str:
    """The text under `heading` (a whole heading line, `### ...`), up to the next heading of its level or above."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = markdown.splitlines()
    start = lines.index(heading) + 1
    end = next(
        (
            i
            for i in range(start, len(lines))
            if re.match(rf"^#{{1,{level}}} ", lines[i]) and not in_fence(lines[start:i])
        ),
        len(lines),
    )
    return "\n".join(lines[start:end]) + "\n"


def in_fence(lines: list) -> bool:
    return sum(line.startswith("```") for line in lines) % 2 == 1


def commands(block: Block) -> list:
    """Each simple command of a shell block, as its words: comments dropped, continued lines joined, lists and
    pipelines (`a && b`, `a | b`) split."""
    found = []
    for line in block.text.replace("\\\n", " ").splitlines():
        words: list = []
        for word in shlex.split(line, comments=True):
            if word in SEPARATORS:
                found.append(words)
                words = []
            else:
                words.append(word)
        found.append(words)
    return [assignments_dropped(words) for words in found if assignments_dropped(words)]


def assignments_dropped(words: list) -> list:
    """The command without the variables set for it (`SWARMLAB_LANG=en swarmlab check`)."""
    while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
        words = words[1:]
    return words
