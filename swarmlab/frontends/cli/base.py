"""What every `swarmlab` command shares: its options, declared once here, and how a command is written.

A command is a module of this package with a `Command` subclass: its name, its help, the option groups it takes
(the same spelling for the same meaning in every command) and `run(args)`. Every option that names a file is
checked while the command line is read, before anything runs; every failure a user can cause ends as one line
naming the problem and the fix, exit status 2 for usage and input errors and 1 otherwise.
"""

import argparse
import ipaddress
import os
import sys
from pathlib import Path
from typing import Optional

from rich.console import Console

from ... import i18n
from ...grading import DEFAULT_JOBS, DEFAULT_TIMEOUT, JOBS_PER_CORE
from ...lesson.spec import PARTS, STAGES
from ...transport.factory import DEFAULT_LAB, Access, Source

out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"swarmlab: {message} (see `{self.prog} --help`)\n")


class Command:
    """One `swarmlab` command (or one subcommand of a group, such as `lab up`)."""

    name = ""
    help = ""
    options: tuple = ()  # option groups of this module, each a function of the parser

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Options of this command alone."""

    def run(self, args: argparse.Namespace) -> int:
        raise NotImplementedError

    def register(self, commands) -> None:
        parser = commands.add_parser(self.name, help=self.help, description=self.help)
        quiet(parser)
        for group in self.options:
            group(parser)
        self.add_arguments(parser)
        parser.set_defaults(command=self)


class Group:
    """A command made of subcommands (`swarmlab lab up`)."""

    name = ""
    help = ""
    commands: tuple = ()

    def register(self, commands) -> None:
        parser = commands.add_parser(self.name, help=self.help, description=self.help)
        quiet(parser)
        inner = parser.add_subparsers(
            dest=f"{self.name}_command", required=True, parser_class=Parser, metavar="COMMAND"
        )
        for command in self.commands:
            command.register(inner)


# -- the option groups ----------------------------------------------------------------------------------


def quiet(parser, default=argparse.SUPPRESS) -> None:
    """-q before or after the command: a command's own -q leaves the top level's standing unless it is given."""
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="no progress, only results and errors"
    )


def lab_name(parser) -> None:
    parser.add_argument(
        "--lab", default=DEFAULT_LAB, metavar="NAME", help=f"the embedded lab on this machine (default: {DEFAULT_LAB})"
    )


def target(parser) -> None:
    """Where the cluster is: a lab of this machine or an inventory file (a student's VMs)."""
    parser.add_argument(
        "-i",
        "--inventory",
        type=existing_file,
        metavar="FILE",
        help="inventory of the cluster (default: the embedded lab's)",
    )
    parser.add_argument(
        "--lab", metavar="NAME", help=f"the embedded lab whose inventory to use (default: {DEFAULT_LAB})"
    )
    host_keys(parser)


def host_keys(parser) -> None:
    parser.add_argument(
        "--accept-new-host-keys",
        action="store_true",
        help="record the host keys of nodes met for the first time (a changed key is still refused)",
    )


def replay(parser) -> None:
    parser.add_argument(
        "--replay", type=existing_file, metavar="FILE", help="a recorded cluster state instead of a live cluster"
    )


def part(parser) -> None:
    parser.add_argument("--part", type=int, choices=PARTS, default=1, help="the lesson's part (default: 1)")


def lang(parser) -> None:
    parser.add_argument(
        "--lang", choices=i18n.LANGS, default=None, help=f"language of what is printed (default: ${i18n.ENV}, else ru)"
    )


def stages(parser) -> None:
    parser.add_argument(
        "--stage",
        dest="stages",
        nargs="+",
        action="extend",
        choices=STAGES,
        metavar="STAGE",
        help=f"the stages, among {', '.join(STAGES)} (default: every stage of the part)",
    )


def records(parser) -> None:
    parser.add_argument(
        "--record-commands",
        type=output_file,
        metavar="FILE",
        help="append every command sent to a node to FILE (JSON lines)",
    )


def answers_file(parser) -> None:
    parser.add_argument(
        "--answers",
        type=output_file,
        metavar="FILE",
        help="the file your answers are kept in (default: $SWARMLAB_ANSWERS, else answers.json in swarmlab's state "
        "folder, ~/.local/state/swarmlab)",
    )


def recording(parser) -> None:
    parser.add_argument(
        "--record", type=output_file, metavar="FILE", help="keep everything read as a recording in FILE (for --replay)"
    )


# -- values checked as the command line is read ----------------------------------------------------------


def existing_file(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{value}: no such file")
    return path


def output_file(value: str) -> Path:
    """A file to write: its folder must exist and be writable; `-` is standard output where a command allows it."""
    if value == "-":
        return Path("-")
    path = Path(value).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a folder: give a file name")
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: the folder {folder} does not exist: create it or give another path")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise argparse.ArgumentTypeError(f"{value}: not writable here: give another path")
    return path


def network(value: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an IPv4 network (10.128.0.0/24, say)") from None


def positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{value}: give more than 0")
    return number


def at_least_one(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value}: give at least 1")
    return number


# -- from options to what the layers below take -----------------------------------------------------------


def source_of(args, *, replayable: bool = False) -> Source:
    """Where the cluster is, from --lab, --inventory (and --replay where the command takes it)."""
    return Source(
        lab=getattr(args, "lab", None),
        inventory=getattr(args, "inventory", None),
        replay=getattr(args, "replay", None) if replayable else None,
    )


def access_of(args, timeout: float = 10) -> Access:
    return Access(
        timeout=timeout,
        accept_new_host_keys=getattr(args, "accept_new_host_keys", False),
        record=getattr(args, "record", None),
        record_commands=getattr(args, "record_commands", None),
    )


def lang_of(args) -> str:
    return i18n.chosen(getattr(args, "lang", None))


def written(path: Optional[Path], text: str) -> None:
    """`text` into the file, or onto standard output for `-`."""
    if path is None:
        return
    if str(path) == "-":
        sys.stdout.write(text)
        return
    path.write_text(text, encoding="utf-8")


def class_options(parser) -> None:
    """How a class is graded (`grade`, and the class board of `dashboard --roster`)."""
    parser.add_argument(
        "--rubric",
        type=existing_file,
        metavar="FILE",
        help="points per stage and check (default: the part's rubric shipped with swarmlab)",
    )
    parser.add_argument(
        "--jobs",
        type=at_least_one,
        default=DEFAULT_JOBS,
        help=f"students graded at once (default: {JOBS_PER_CORE} a core, {DEFAULT_JOBS} here)",
    )
    parser.add_argument(
        "--timeout",
        type=positive,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"longest time one student's grading may take (default: {DEFAULT_TIMEOUT:g} s)",
    )
    parser.add_argument(
        "--known-hosts",
        metavar="FILE",
        help="host keys of students whose row names no known_hosts (default: ~/.ssh/known_hosts)",
    )
    parser.add_argument(
        "--allow-network",
        dest="allow_networks",
        action="append",
        type=network,
        default=[],
        metavar="CIDR",
        help="a worker the roster does not list is contacted only at an address inside one of these networks (the "
        "class's VPC, say); never elsewhere",
    )


def interval(parser) -> None:
    parser.add_argument(
        "--interval",
        type=positive,
        metavar="S",
        help="seconds from one refresh's start to the next; a slower read delays the next, never overlaps it",
    )
