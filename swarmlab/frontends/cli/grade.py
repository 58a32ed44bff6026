"""`swarmlab grade`: every student's cluster of a roster checked (read-only) and scored into a gradebook."""

import os
import sys
from pathlib import Path
from typing import Optional

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ... import resources, safe, ui
from ...errors import UsageError
from ...grading import FORMATS, gradebook, grader, integrity, lms
from ...grading import roster as roster_file
from ...grading import rubric as rubric_file
from ...grading.classroom import Classroom
from ...grading.rubric import number
from ...secrets import Masker, lesson_passwords
from .base import Command, class_options, existing_file, host_keys, interval, lang, lang_of, part, records, stages

CLASS_INTERVAL = 30.0  # a round grades the whole class, so it is paced by the class, not the student


def classroom(args) -> Classroom:
    """The roster and how it is graded, every option checked before any cluster is contacted."""
    roster = roster_file.load(args.roster)
    rubric = rubric_file.load(args.rubric or rubric_file.default(args.part or 1))
    if args.part is not None and rubric.part != args.part:
        raise UsageError(f"--rubric {args.rubric} grades part {rubric.part}, not --part {args.part}")
    chosen = rubric.select(args.stages)
    lms.check(roster, getattr(args, "lms", []))
    known_hosts = Path(args.known_hosts or Path.home() / ".ssh" / "known_hosts").expanduser().resolve()
    if args.known_hosts and not known_hosts.is_file() and not args.accept_new_host_keys:
        raise UsageError(
            f"--known-hosts {args.known_hosts}: no such file: give an existing known_hosts file, "
            f"or add --accept-new-host-keys to record the students' host keys in it"
        )
    plan = grader.Plan(
        stages=chosen,
        rubric=rubric,
        lang=lang_of(args),
        timeout=args.timeout,
        known_hosts=known_hosts,
        accept_new_host_keys=args.accept_new_host_keys,
        mask=Masker(*lesson_passwords(resources.level6())),
        record_commands=args.record_commands.absolute() if args.record_commands else None,
        allow_networks=tuple(args.allow_networks),
        answers=answers_of(args, roster),
    )
    earlier = integrity.earlier_class(args.compare_with) if getattr(args, "compare_with", None) else ()
    return Classroom(roster, plan, args.jobs, tuple(earlier))


def answers_of(args, roster) -> Optional[Path]:
    """--answers: a folder of <student id>.json, or one answer file for a roster of one student."""
    given = getattr(args, "answers", None)
    if given is None:
        return None
    path = Path(given).expanduser()
    if not path.exists():
        raise UsageError(f"--answers {given}: no such folder or file: give the folder of the students' <id>.json")
    if path.is_file() and len(roster.students) != 1:
        raise UsageError(
            f"--answers {given} is one answer file, and the roster has {len(roster.students)} students: give a "
            "folder holding each student's <id>.json"
        )
    return path.absolute()


def answers_option(parser) -> None:
    parser.add_argument(
        "--answers",
        metavar="DIR-or-FILE",
        help="the students' answer files (swarmlab answer), judged against each student's own cluster: a folder "
        "of <student id>.json, or one file for a roster of one",
    )


def roster_argument(parser) -> None:
    parser.add_argument(
        "roster",
        help="CSV or YAML: id,name,manager,user,port,key[,workers,become,known_hosts,email,"
        "idnumber,username,section] (see `swarmlab grade --help`)",
    )


def write_book(book, target: Path, formats) -> None:
    """The gradebook, and beside it the LMS exports asked for (all rendered before anything is written)."""
    exports = lms.exports(book, formats)
    gradebook.write(book, target)
    lms.write(exports, target)
    if exports:
        ui.info(lms.note(book, exports))


def show_grades(book) -> None:
    table = Table(title=f"{book.roster}: {len(book.grades)} students")
    for column in ("id", "name", f"total ({number(book.total_max)})", "status"):
        table.add_column(column)
    for g in book.grades:
        style = "green" if g.total >= book.total_max else "red" if g.reason else "yellow"
        table.add_row(
            escape(g.id), escape(g.name), f"[{style}]{number(g.total)}[/{style}]", escape(safe.plain(g.status))
        )
    Console(highlight=False, soft_wrap=True).print(table)


class Grade(Command):
    name, help = "grade", "check every student's cluster of a roster (read-only) and write a gradebook"
    options = (roster_argument, part, stages, class_options, host_keys, lang, records, interval)

    def add_arguments(self, parser) -> None:
        parser.set_defaults(part=None)  # the rubric's part, unless --part says which
        parser.add_argument(
            "--out",
            metavar="DIR",
            default="gradebook",
            help="where to write gradebook.csv, gradebook.json, report.html, junit/ (default: ./gradebook)",
        )
        parser.add_argument(
            "--lms",
            action="append",
            choices=FORMATS,
            default=[],
            help="also write moodle.csv or canvas.csv for the LMS's grade import (give it twice for both)",
        )
        answers_option(parser)
        parser.add_argument(
            "--compare-with",
            type=existing_file,
            metavar="OLD/gradebook.json",
            help="also flag a cluster already graded in that earlier class",
        )
        parser.add_argument(
            "--watch",
            action="store_true",
            help="grade again every --interval seconds, reprinting the table and rewriting the "
            "gradebook (Ctrl-C stops); `swarmlab dashboard --roster` shows the same in a browser",
        )

    def run(self, args) -> int:
        if args.interval is not None and not args.watch:
            raise UsageError("--interval paces --watch: add --watch, or leave --interval out")
        target = Path(args.out)
        existing = next(p for p in (target.absolute(), *target.absolute().parents) if p.exists())
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            raise UsageError(f"--out {target}: {existing} is not a folder you can write to: give another --out DIR")
        room = classroom(args)
        if args.watch:
            return watch(room, target, args.interval or CLASS_INTERVAL, args.lms)
        book = room.grade()
        write_book(book, target, args.lms)
        show_grades(book)
        for grade in book.grades:
            if grade.answers_refused:
                ui.info(escape(safe.plain(f"{grade.id}: answers not taken: {grade.answers_refused}")))
        ui.info(f"gradebook written to {target}/: gradebook.csv, gradebook.json, report.html, junit/<id>.xml")
        return 0


def watch(room: Classroom, target: Path, every: float, formats) -> int:
    """A terminal table rather than the board: `grade` is the instructor's batch command, run where a browser
    may not be (a classroom server over SSH), and its product is the gradebook folder, which stays current."""
    out = Console(highlight=False, soft_wrap=True)

    def after_round(book, rounds: int, seconds: float) -> None:
        write_book(book, target, formats)
        if sys.stdout.isatty():
            out.clear()
        show_grades(book)
        ui.info(
            f"round {rounds} graded in {seconds:.1f} s, gradebook written to {target}/; next round in "
            f"{max(0.0, every - seconds):.0f} s (Ctrl-C stops)"
        )

    rounds = room.watch(every, after_round)
    ui.info(
        f"stopped after {rounds} round{'s' if rounds != 1 else ''}"
        + (f": the last gradebook is in {target}/" if rounds else "")
    )
    return 0


COMMAND = Grade()
