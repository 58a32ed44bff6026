"""The `swarmlab` command.

Every failure a user can cause ends here as one line naming the problem and
the fix, with exit status 2 for usage and input errors and 1 otherwise.
"""

import argparse
import json
import logging
import os
import shlex
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import ui
from ..errors import SwarmlabError, UsageError
from ..i18n import LANGS
from ..lesson.spec import PART_STAGES, PARTS, STAGES
from ..paths import default_inventory
from ..transport import inventory

out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
STEP_NAMES = ("init", "join", "network", "sync", "labels", "deploy", "seed_data")
CLUSTER_INTERVAL = 5.0  # a student's change shows within seconds; one read costs the cluster about a second
CLASS_INTERVAL = 30.0  # a round grades the whole class, so it is paced by the class, not the student


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ui.set_quiet(getattr(args, "quiet", False))
    # paramiko logs a failed handshake as a traceback on stderr besides raising it; the raise is explained.
    logging.getLogger("paramiko").setLevel(logging.CRITICAL + 1)
    try:
        return args.func(args) or 0
    except SwarmlabError as err:
        ui.console.print(f"[red]swarmlab: {escape(str(err))}[/red]", soft_wrap=True)
        return err.exit_code
    except KeyboardInterrupt:
        ui.console.print("[red]swarmlab: interrupted[/red]")
        return 130
    except Exception as err:
        import docker

        if isinstance(err, docker.errors.DockerException):
            ui.console.print(f"[red]swarmlab: the Docker engine refused: {escape(_first_line(err))}[/red]",
                             soft_wrap=True)
            return 1
        raise


def _first_line(err) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else type(err).__name__


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"swarmlab: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    from ..grading import DEFAULT_JOBS, DEFAULT_TIMEOUT
    from ..grading import FORMATS
    from ..lab import DEFAULT_ENGINE, ENGINES, MAX_NODES

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="no progress, only results and errors")
    parser = _Parser(prog="swarmlab", description="Teach, practise and grade the Docker Swarm lesson.",
                     parents=[common])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    lab = commands.add_parser("lab", help="the embedded lab on this machine", parents=[common])
    lab_commands = lab.add_subparsers(dest="lab_command", required=True, parser_class=_Parser)
    named = argparse.ArgumentParser(add_help=False)
    named.add_argument("--name", default="swarmlab", help="lab name (default: swarmlab)")

    up = lab_commands.add_parser("up", help="build the images if needed and start the nodes", parents=[common, named])
    up.add_argument("--nodes", type=int, default=3, help=f"number of nodes, 1 to {MAX_NODES} (default: 3)")
    up.add_argument("--images", choices=("lab", "upstream"), default="lab",
                    help="lab: stand-ins built here (default); upstream: nodes pull the lesson's images")
    up.add_argument("--engine", choices=ENGINES, default=None,
                    help=f"the Docker Engine inside the nodes, as Debian ships it (default: {DEFAULT_ENGINE})")
    up.add_argument("--exist-ok", action="store_true", help="succeed without change if the lab already runs")
    up.set_defaults(func=cmd_lab_up)

    status = lab_commands.add_parser("status", help="nodes, SSH, engine, swarm state, IPVS", parents=[common, named])
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(func=cmd_lab_status)

    ssh = lab_commands.add_parser("ssh", help="a shell or one command on a node", parents=[common, named])
    ssh.add_argument("node")
    ssh.add_argument("cmd", nargs=argparse.REMAINDER, help="-- COMMAND ... (omit for an interactive shell)")
    ssh.set_defaults(func=cmd_lab_ssh)

    down = lab_commands.add_parser("down", help="remove the lab's containers, volumes and network",
                                   parents=[common, named])
    down.add_argument("--purge", action="store_true", help="also remove the cached images and node stores")
    down.set_defaults(func=cmd_lab_down)

    target = argparse.ArgumentParser(add_help=False)
    target.add_argument("-i", "--inventory", help="inventory file (default: the embedded lab's)")
    target.add_argument("--lab", default="swarmlab", help="the embedded lab whose inventory to use (default: swarmlab)")
    target.add_argument("--accept-new-host-keys", action="store_true",
                        help="record the host keys of nodes met for the first time")
    part = argparse.ArgumentParser(add_help=False)
    part.add_argument("--part", type=int, choices=PARTS, default=1, help="the lesson's part (default: 1)")

    lesson = commands.add_parser("lesson", help="perform the lesson's steps over SSH", parents=[common])
    lesson_commands = lesson.add_subparsers(dest="lesson_command", required=True, parser_class=_Parser)
    shown = argparse.ArgumentParser(add_help=False)
    shown.add_argument("-v", "--verbose", action="store_true", help="show every command and its output")
    shown.add_argument("--lesson-order", action="store_true",
                       help="deploy edge first so that its failure appears, then core and storage")
    run = lesson_commands.add_parser("run", help="every step in order, then converge and check",
                                     parents=[common, target, part, shown])
    run.add_argument("--through", choices=STEP_NAMES, default="seed_data", help="stop after this step")
    run.set_defaults(func=cmd_lesson_run)
    one = lesson_commands.add_parser("step", help="one step", parents=[common, target, part, shown])
    one.add_argument("name", choices=STEP_NAMES + ("teardown",))
    one.add_argument("--stack", action="append", help="deploy: the stack(s) to deploy (default: all)")
    one.set_defaults(func=cmd_lesson_step)

    check = commands.add_parser("check", help="verify the lesson's stages (read-only)",
                                parents=[common, target, part])
    check.add_argument("--stage", action="append", choices=STAGES,
                       help="stage(s) to check (default: every stage of the part but teardown)")
    check.add_argument("--lang", choices=LANGS, default="ru", help="language of messages and hints (default: ru)")
    check.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    check.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML")
    check.add_argument("--record-commands", metavar="FILE", help="append every command run on a node (JSON lines)")
    check.add_argument("--record", metavar="FILE", help="keep everything read as a recording, for --replay")
    check.add_argument("--replay", metavar="FILE", help="check a recording instead of a live cluster")
    check.set_defaults(func=cmd_check)

    grade = commands.add_parser("grade", parents=[common, part],
                                help="check every student's cluster of a roster (read-only) and write a gradebook")
    grade.add_argument("roster", help="CSV or YAML: id,name,manager,user,port,key[,workers,become,known_hosts,email,"
                                      "idnumber,username,section] (see fixtures/roster.example.csv)")
    grade.add_argument("--rubric", metavar="FILE",
                       help="points per stage and check (default: the part's rubric shipped with swarmlab, 100 points)")
    grade.add_argument("--stages", nargs="+", action="extend", choices=STAGES, metavar="STAGE",
                       help=f"stages to grade, among {', '.join(STAGES)} (default: the rubric's)")
    grade.add_argument("--out", metavar="DIR", default="gradebook",
                       help="where to write gradebook.csv, gradebook.json, report.html, junit/ (default: ./gradebook)")
    grade.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help=f"students graded at once (default: {DEFAULT_JOBS})")
    grade.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                       help=f"longest time one student's grading may take (default: {DEFAULT_TIMEOUT:g} s)")
    grade.add_argument("--known-hosts", metavar="FILE",
                       help="host keys of students whose row names no known_hosts (default: ~/.ssh/known_hosts)")
    grade.add_argument("--accept-new-host-keys", action="store_true",
                       help="record host keys met for the first time (a changed key is still refused)")
    grade.add_argument("--lang", choices=LANGS, default="ru", help="language of messages and hints (default: ru)")
    grade.add_argument("--record-commands", metavar="FILE",
                       help="append every command run on a student's node (JSON lines: student, node, command)")
    grade.add_argument("--lms", action="append", choices=FORMATS, default=[],
                       help="also write moodle.csv or canvas.csv for the LMS's grade import (give it twice for both)")
    grade.add_argument("--watch", action="store_true",
                       help="grade again every --interval seconds, reprinting the table and rewriting the gradebook "
                            "(Ctrl-C stops); `swarmlab dashboard --roster` shows the same in a browser")
    grade.add_argument("--interval", type=float, metavar="S",
                       help=f"with --watch: seconds from one round's start to the next (default: {CLASS_INTERVAL:g})")
    grade.set_defaults(func=cmd_grade)

    dash = commands.add_parser("dashboard", parents=[common, part],
                               help="a live web page of a cluster and the lesson's checks (read-only); "
                                    "with --roster, the class board")
    dash.add_argument("-i", "--inventory", help="inventory file (default: the embedded lab's)")
    dash.add_argument("--lab", help="the embedded lab to show (default: swarmlab)")
    dash.add_argument("--replay", metavar="FILE", help="show a recorded cluster instead of a live one")
    dash.add_argument("--roster", help="show the class board of this roster (CSV or YAML, as for `grade`)")
    dash.add_argument("--rubric", metavar="FILE", help="with --roster: points per stage and check "
                                                       "(default: the part's rubric shipped with swarmlab)")
    dash.add_argument("--jobs", type=int, default=DEFAULT_JOBS,
                      help=f"with --roster: students graded at once (default: {DEFAULT_JOBS})")
    dash.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                      help=f"with --roster: longest time one student's grading may take "
                           f"(default: {DEFAULT_TIMEOUT:g} s)")
    dash.add_argument("--known-hosts", metavar="FILE",
                      help="with --roster: host keys of students whose row names no known_hosts "
                           "(default: ~/.ssh/known_hosts)")
    dash.add_argument("--accept-new-host-keys", action="store_true",
                      help="record host keys met for the first time (a changed key is still refused)")
    dash.add_argument("--record-commands", metavar="FILE",
                      help="append every command run on a node (JSON lines: at, node, command; with --roster: "
                           "student, node, command)")
    dash.add_argument("--lang", choices=LANGS, default="ru", help="language of the page and the checks (default: ru)")
    dash.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1, this machine only)")
    dash.add_argument("--port", type=int, default=8080, help="port to serve on; 0 picks a free one (default: 8080)")
    dash.add_argument("--interval", type=float, metavar="S",
                      help=f"seconds from one refresh's start to the next (default: {CLUSTER_INTERVAL:g}, "
                           f"with --roster {CLASS_INTERVAL:g}); a slower read delays the next, never overlaps it")
    dash.set_defaults(func=cmd_dashboard)

    eng = commands.add_parser("engine", help="the local Docker engine the lab runs on", parents=[common])
    eng_commands = eng.add_subparsers(dest="engine_command", required=True, parser_class=_Parser)
    eng_commands.add_parser("start", help="install and start dockerd if none answers",
                            parents=[common]).set_defaults(func=cmd_engine_start)
    eng_commands.add_parser("stop", help="stop the dockerd that swarmlab started",
                            parents=[common]).set_defaults(func=cmd_engine_stop)
    return parser


# -- lab ---------------------------------------------------------------------------------------

def cmd_lab_up(args) -> int:
    from ..lab.lab import Lab

    lab = Lab(args.name)
    inv = lab.up(nodes=args.nodes, image_mode=args.images, exist_ok=args.exist_ok, engine=args.engine)
    ui.info(f"lab {lab.name!r} is up: {', '.join(f'{n.name} {n.address}' for n in inv.nodes)}")
    ui.info(f"inventory: {inv.path}")
    return 0


def cmd_lab_status(args) -> int:
    from ..lab.lab import Lab

    rows = Lab(args.name).status()
    if args.json:
        print(json.dumps({"nodes": [{k: v for k, v in asdict(r).items() if k != "problem"} for r in rows]}, indent=2))
    else:
        table = Table(title=f"lab {args.name}")
        for column in ("node", "address", "SSH", "engine", "swarm", "IPVS"):
            table.add_column(column)
        for r in rows:
            table.add_row(r.name, r.address, "yes" if r.ssh else f"[red]no[/red] {escape(r.problem or '')}",
                          r.engine or "-", r.swarm or "-", "-" if r.ipvs is None else ("yes" if r.ipvs else "no"))
        out.print(table)
    return 0 if all(r.ssh for r in rows) else 1


def cmd_lab_ssh(args) -> int:
    from ..lab.lab import Lab
    from ..transport.cluster import Cluster

    lab = Lab(args.name)
    if not lab.is_complete():
        raise SwarmlabError(f"no lab named {lab.name!r} runs: start it with `swarmlab lab up --name {lab.name}`")
    inv = inventory.load(lab.inventory_path)
    spec = inv.node(args.node)
    command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not command:
        if shutil.which("ssh") is None:
            raise UsageError("an interactive shell needs the OpenSSH client (apt-get install openssh-client)")
        os.execvp("ssh", ["ssh", "-F", str(lab.ssh_config_path), spec.name])
    with Cluster.over_ssh(inv) as cluster:
        return cluster.node(spec.name).stream(shlex.join(command) if len(command) > 1 else command[0])


def cmd_lab_down(args) -> int:
    from ..lab.lab import Lab

    lab = Lab(args.name)
    if not lab.down(purge=args.purge) and not args.purge:
        raise SwarmlabError(f"no lab named {lab.name!r} exists: nothing to remove")
    ui.info(f"lab {lab.name!r} removed" if not args.purge else "lab, cached images and node stores removed")
    return 0


# -- lesson and check ------------------------------------------------------------------------------

def load_inventory(args):
    return inventory.load(args.inventory or default_inventory(args.lab))


def _show(result, verbose: bool) -> None:
    mark = "[yellow]changed[/yellow]" if result.changed else "[green]ok[/green]"
    out.print(f"{mark} {result.step}: {escape(result.summary)}")
    if verbose:
        for ran in result.ran:
            out.print(f"  [dim]{escape(ran.node)}$[/dim] {escape(ran.command)}  [dim](exit {ran.exit_status})[/dim]")
            for line in ran.output.splitlines():
                out.print(f"    {line}", markup=False)
    for note in result.notes:
        out.print(f"    {note}", markup=False)


def cmd_lesson_run(args) -> int:
    from ..lesson.driver import Lesson
    from ..transport.cluster import Cluster

    inv = load_inventory(args)
    with Cluster.over_ssh(inv, accept_new_host_keys=args.accept_new_host_keys) as cluster:
        lesson = Lesson(cluster, part=args.part)
        lesson.run(through=args.through, lesson_order=args.lesson_order, on_step=lambda r: _show(r, args.verbose))
        if args.through == "seed_data":
            out.print(f"[green]the lesson's cluster (part {args.part}) has converged: every check passes[/green]")
            out.print("open the pages in a browser (refresh to see the php-fpm host change):")
            for node in lesson.ingress_nodes():
                out.print(f"  http://{cluster.address(node)}/   ({node})")
            if args.part == 2:
                out.print(f"  the panel: https://{cluster.address(inv.manager.name)}:9443/")
    return 0


def cmd_lesson_step(args) -> int:
    from ..lesson.driver import Lesson
    from ..transport.cluster import Cluster

    options = {}
    if args.name == "deploy":
        options = {"stacks": tuple(args.stack or ("all",)), "lesson_order": args.lesson_order}
    with Cluster.over_ssh(load_inventory(args), accept_new_host_keys=args.accept_new_host_keys) as cluster:
        _show(Lesson(cluster, part=args.part).step(args.name, **options), args.verbose)
    return 0


def cmd_check(args) -> int:
    from ..checking import runner
    from ..checking.reports import JsonReport, JunitReport, TextReport
    from ..checking.results import summary
    from ..transport.cluster import Cluster

    stages = runner.validate(tuple(dict.fromkeys(args.stage)) if args.stage else PART_STAGES[args.part], args.part)
    if args.replay:
        cluster, title = Cluster.replayed(args.replay), Path(args.replay).name.split(".")[0]
    else:
        inv = load_inventory(args)
        cluster, title = Cluster.over_ssh(inv, timeout=8, accept_new_host_keys=args.accept_new_host_keys), \
            inv.lab or inv.path.stem
    with cluster:
        checked, recording = runner.observed(cluster, args.record, args.record_commands)
        results = runner.run_cluster(checked, stages, args.lang, args.part)
    if recording is not None:
        recording.save(Path(args.record))
    if args.json:
        JsonReport().write(results, title, args.json)
    if args.junit:
        JunitReport().write(results, title, args.junit)
    report = TextReport(args.lang)
    out.print(report.table(results, title))
    out.print(report.counts(results))
    counts = summary(results)
    return 0 if counts["failed"] == counts["blocked"] == 0 else 1


# -- grade ---------------------------------------------------------------------------------------

def cmd_grade(args) -> int:
    from ..grading import grader
    from .dashboard.data import ClassSource

    if args.interval is not None and not args.watch:
        raise UsageError("--interval paces --watch: add --watch, or leave --interval out")
    interval = _interval(args.interval, CLASS_INTERVAL)
    target = Path(args.out)
    existing = next(p for p in (target.absolute(), *target.absolute().parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--out {target}: {existing} is not a folder you can write to: give another --out DIR")
    source = ClassSource(*_class(args, args.roster), args.jobs)
    if args.watch:
        return _watch_grades(source, target, interval, args.lms)
    book = source.book(grader.grade(source.roster, source.plan, args.jobs))
    write_book(book, target, args.lms)
    _show_grades(book)
    ui.info(f"gradebook written to {target}/: gradebook.csv, gradebook.json, report.html, junit/<id>.xml")
    return 0


def write_book(book, target: Path, formats) -> None:
    """The gradebook, and beside it the LMS exports asked for (all rendered before anything is written)."""
    from ..grading import gradebook, lms

    exports = lms.exports(book, formats)
    gradebook.write(book, target)
    lms.write(exports, target)
    if exports:
        ui.info(lms.note(book, exports))


def _class(args, roster_path) -> tuple:
    """(roster, plan) from the grading options, every one checked before any cluster is contacted."""
    from .. import resources
    from ..grading import grader, lms, roster as roster_file, rubric as rubric_file
    from ..secrets import Masker, lesson_passwords

    if args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: grade at least 1 student at a time")
    if args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout:g}: give the seconds one student's grading may take")
    roster = roster_file.load(roster_path)
    rubric = rubric_file.load(args.rubric or rubric_file.default(args.part))
    if args.rubric and rubric.part != args.part and "--part" in sys.argv:
        raise UsageError(f"--rubric {args.rubric} grades part {rubric.part}, not --part {args.part}")
    stages = rubric.select(getattr(args, "stages", None))
    lms.check(roster, getattr(args, "lms", []))
    known_hosts = Path(args.known_hosts or Path.home() / ".ssh" / "known_hosts").expanduser().resolve()
    if args.known_hosts and not known_hosts.is_file() and not args.accept_new_host_keys:
        raise UsageError(f"--known-hosts {args.known_hosts}: no such file: give an existing known_hosts file, "
                         f"or add --accept-new-host-keys to record the students' host keys in it")
    plan = grader.Plan(stages=stages, rubric=rubric, lang=args.lang, timeout=args.timeout, known_hosts=known_hosts,
                       accept_new_host_keys=args.accept_new_host_keys,
                       mask=Masker(*lesson_passwords(resources.level6())),
                       record_commands=Path(args.record_commands).absolute() if args.record_commands else None)
    return roster, plan


def _interval(given, default: float) -> float:
    if given is not None and given <= 0:
        raise UsageError(f"--interval {given:g}: give the seconds between refreshes (more than 0)")
    return default if given is None else given


def _watch_grades(source, target: Path, interval: float, formats) -> int:
    """The class graded round after round, the table reprinted and the gradebook rewritten after each.

    A terminal table rather than the board: `grade` is the instructor's batch command, run where a
    browser may not be (a classroom server over SSH), and its product is the gradebook folder, which
    stays current; `swarmlab dashboard --roster` serves the same rounds as the board."""
    import time

    from ..grading import grader

    rounds = 0
    try:
        while True:
            started = time.monotonic()
            book = _interruptible(lambda: source.book(grader.grade(source.roster, source.plan, source.jobs)))
            write_book(book, target, formats)
            rounds += 1
            if sys.stdout.isatty():
                out.clear()
            _show_grades(book)
            ui.info(f"round {rounds} graded in {time.monotonic() - started:.1f} s, gradebook written to {target}/; "
                    f"next round in {max(0.0, interval - (time.monotonic() - started)):.0f} s (Ctrl-C stops)")
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        ui.info(f"stopped after {rounds} round{'s' if rounds != 1 else ''}"
                + (f": the last gradebook is in {target}/" if rounds else ""))
    return 0


def _interruptible(fn):
    """fn() in a daemon thread, so that Ctrl-C stops at once instead of after the round's slowest student (the
    grader's pool would finish every student it was given before letting go)."""
    import threading

    found = {}

    def call():
        try:
            found["value"] = fn()
        except BaseException as err:  # handed to the waiting thread, which raises it
            found["error"] = err

    worker = threading.Thread(target=call, name="grading-round", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
    if "error" in found:
        raise found["error"]
    return found["value"]


# -- dashboard -----------------------------------------------------------------------------------

def cmd_dashboard(args) -> int:
    from .. import resources
    from ..secrets import Masker, lesson_passwords
    from ..transport.cluster import Cluster
    from ..transport.recording import CommandLog
    from .dashboard import app as web
    from .dashboard.data import ClassSource, ClusterSource, stamped_log

    given = [flag for flag, value in (("--inventory", args.inventory), ("--lab", args.lab),
                                      ("--replay", args.replay), ("--roster", args.roster)) if value]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)}: show one cluster (--inventory, --lab or --replay) or one class "
                         f"(--roster), not both")
    if not args.roster:
        extra = [flag for flag, value in (("--rubric", args.rubric), ("--known-hosts", args.known_hosts)) if value]
        if extra:
            raise UsageError(f"{extra[0]} is for the class board: add --roster ROSTER, or leave it out")
    interval = _interval(args.interval, CLASS_INTERVAL if args.roster else CLUSTER_INTERVAL)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: give a port from 1 to 65535 (or 0 for a free one)")
    cluster = None
    if args.roster:
        source = ClassSource(*_class(args, args.roster), args.jobs)
        what = f"class {source.roster.path.name} ({len(source.roster.students)} students)"
    else:
        if args.replay:
            cluster, title = Cluster.replayed(args.replay), Path(args.replay).name.split(".")[0]
        else:
            inv = load_inventory(argparse.Namespace(inventory=args.inventory, lab=args.lab or "swarmlab"))
            cluster, title = Cluster.over_ssh(inv, timeout=8, accept_new_host_keys=args.accept_new_host_keys), \
                inv.lab or inv.path.stem
        logged = cluster
        if args.record_commands:
            sink = stamped_log(Path(args.record_commands))
            logged = cluster.wrapped(lambda node: CommandLog(node, sink))
        source = ClusterSource(logged, title, args.part, args.lang,
                               {name: cluster.address(name) for name in cluster.names})
        what = f"cluster {title}"
    sock = web.bind(args.host, args.port)
    host = sock.getsockname()[0]
    url = f"http://{f'[{host}]' if ':' in host else host}:{sock.getsockname()[1]}/"
    print(f"swarmlab dashboard: {url}  ({what}, part {args.part}, every {interval:g} s; Ctrl-C stops)", flush=True)
    quiet = args.quiet
    ui.set_quiet(True)  # the grader's spinners would draw over the server's own lines
    # The checks run under pytest, whose capture holds fd 2 while they run: the server's own lines go to a
    # copy of the terminal taken now, or a Ctrl-C during a read would lose "dashboard stopped".
    terminal = Console(file=os.fdopen(os.dup(2), "w", buffering=1), highlight=False, soft_wrap=True)

    failing = [None]  # the last read's error: a lasting one is told once, not every round

    def report(data: dict, seconds: float) -> None:
        meta = data["refresh"]
        changed, failing[0] = meta["error"] != failing[0], meta["error"]
        if quiet:
            return
        if meta["error"] or changed:
            if changed:
                terminal.print(f"[red]round {meta['round']}: {escape(meta['error'])}[/red]" if meta["error"]
                               else f"round {meta['round']}: read again")
        elif data.get("kind") == "class":
            terminal.print(f"round {meta['round']}: {len(data['students'])} students graded in {seconds:.1f} s")
        elif meta["round"] == 1:
            counts = data["checks"]["summary"]
            terminal.print(f"first read in {seconds:.1f} s: " + ", ".join(f"{v} {k.replace('_', ' ')}"
                                                                          for k, v in counts.items() if v))

    try:
        web.serve(web.create_app(web.Refresher(source, interval, Masker(*lesson_passwords(resources.level6())),
                                               report), source.kind, args.lang), sock)
    except KeyboardInterrupt:
        pass  # uvicorn raises the Ctrl-C it caught again once it has shut down: the stop asked for
    finally:
        sock.close()
        if cluster is not None:
            cluster.close()
    if not quiet:
        terminal.print("dashboard stopped")
    return 0


def _show_grades(book) -> None:
    from ..grading.rubric import number

    table = Table(title=f"{book.roster}: {len(book.grades)} students")
    for column in ("id", "name", f"total ({number(book.total_max)})", "status"):
        table.add_column(column)
    for g in book.grades:
        style = "green" if g.total >= book.total_max else "red" if g.reason else "yellow"
        table.add_row(escape(g.id), escape(g.name), f"[{style}]{number(g.total)}[/{style}]", escape(g.status))
    Console(highlight=False, soft_wrap=True).print(table)


# -- engine --------------------------------------------------------------------------------------

def cmd_engine_start(args) -> int:
    from ..lab import engine

    client = engine.connect()
    ui.info(f"Docker engine {client.version()['Version']} answers")
    return 0


def cmd_engine_stop(args) -> int:
    from ..lab import engine

    ui.info("stopped the engine swarmlab started" if engine.stop() else "no engine started by swarmlab runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
