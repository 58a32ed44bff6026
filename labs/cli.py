"""The `swarmlab` command.

Every failure a user can cause ends here as one line naming the problem and
the fix, with exit status 2 for usage and inventory errors and 1 otherwise.
"""

import argparse
import json
import os
import shlex
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

import docker
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import engine, grading, inventory, ui
from .errors import SwarmlabError, UsageError
from .lab import MAX_NODES, Lab
from .checking import DEFAULT_STAGES, LANGS, STAGES
from .lesson import STACKS, STEPS
from .state import default_inventory

out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ui.set_quiet(getattr(args, "quiet", False))
    try:
        return args.func(args) or 0
    except SwarmlabError as err:
        ui.console.print(f"[red]swarmlab: {err}[/red]", soft_wrap=True)
        return err.exit_code
    except docker.errors.DockerException as err:
        ui.console.print(f"[red]swarmlab: the Docker engine refused: {_first_line(err)}[/red]", soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        ui.console.print("[red]swarmlab: interrupted[/red]")
        return 130


def _first_line(err) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else type(err).__name__


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"swarmlab: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="no progress, only results and errors")
    parser = _Parser(prog="swarmlab", description="Teach, practise and grade the Docker Swarm lesson.",
                     parents=[common])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    lab = commands.add_parser("lab", help="the embedded 3-node lab on this machine", parents=[common])
    lab_commands = lab.add_subparsers(dest="lab_command", required=True, parser_class=_Parser)
    named = argparse.ArgumentParser(add_help=False)
    named.add_argument("--name", default="swarmlab", help="lab name (default: swarmlab)")

    up = lab_commands.add_parser("up", help="build the images if needed and start the nodes", parents=[common, named])
    up.add_argument("--nodes", type=int, default=3, help=f"number of nodes, 1 to {MAX_NODES} (default: 3)")
    up.add_argument("--images", choices=("lab", "upstream"), default="lab",
                    help="lab: stand-ins built here (default); upstream: nodes pull the lesson's images")
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
    down.add_argument("--purge", action="store_true", help="also remove the cached images")
    down.set_defaults(func=cmd_lab_down)

    target = argparse.ArgumentParser(add_help=False)
    target.add_argument("-i", "--inventory", help="inventory file (default: the embedded lab's)")
    target.add_argument("--lab", default="swarmlab", help="the embedded lab whose inventory to use (default: swarmlab)")
    target.add_argument("--accept-new-host-keys", action="store_true",
                        help="record the host keys of nodes met for the first time")

    lesson = commands.add_parser("lesson", help="perform the lesson's steps over SSH", parents=[common])
    lesson_commands = lesson.add_subparsers(dest="lesson_command", required=True, parser_class=_Parser)
    shown = argparse.ArgumentParser(add_help=False)
    shown.add_argument("-v", "--verbose", action="store_true", help="show every command and its output")
    shown.add_argument("--lesson-order", action="store_true",
                       help="deploy edge first so that its failure appears, then core and storage")
    run = lesson_commands.add_parser("run", help="every step in order, then wait for convergence",
                                     parents=[common, target, shown])
    run.add_argument("--through", choices=STEPS, default=STEPS[-1], help="stop after this step")
    run.set_defaults(func=cmd_lesson_run)
    one = lesson_commands.add_parser("step", help="one step", parents=[common, target, shown])
    one.add_argument("name", choices=STEPS + ("teardown",))
    one.add_argument("--stack", action="append", choices=STACKS + ("all",),
                     help="deploy: the stack(s) to deploy (default: all)")
    one.set_defaults(func=cmd_lesson_step)

    check = commands.add_parser("check", help="verify the lesson's stages (read-only)", parents=[common, target])
    check.add_argument("--stage", action="append", choices=STAGES,
                       help=f"stage(s) to check (default: all but teardown: {', '.join(DEFAULT_STAGES)})")
    check.add_argument("--lang", choices=LANGS, default="ru", help="language of messages and hints (default: ru)")
    check.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    check.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML")
    check.add_argument("--record-commands", metavar="FILE", help="append every command run on a node (JSON lines)")
    check.set_defaults(func=cmd_check)

    grading.register_cli(commands, [common])

    eng = commands.add_parser("engine", help="the local Docker engine the lab runs on", parents=[common])
    eng_commands = eng.add_subparsers(dest="engine_command", required=True, parser_class=_Parser)
    eng_commands.add_parser("start", help="install and start dockerd if none answers",
                            parents=[common]).set_defaults(func=cmd_engine_start)
    eng_commands.add_parser("stop", help="stop the dockerd that swarmlab started",
                            parents=[common]).set_defaults(func=cmd_engine_stop)
    return parser


def cmd_lab_up(args) -> int:
    lab = Lab(args.name)
    inv = lab.up(nodes=args.nodes, image_mode=args.images, exist_ok=args.exist_ok)
    ui.info(f"lab {lab.name!r} is up: {', '.join(f'{n.name} {n.address}' for n in inv.nodes)}")
    ui.info(f"inventory: {inv.path}")
    return 0


def cmd_lab_status(args) -> int:
    rows = Lab(args.name).status()
    if args.json:
        print(json.dumps({"nodes": [{k: v for k, v in asdict(r).items() if k != "problem"} for r in rows]}, indent=2))
    else:
        table = Table(title=f"lab {args.name}")
        for column in ("node", "address", "SSH", "engine", "swarm", "IPVS"):
            table.add_column(column)
        for r in rows:
            table.add_row(r.name, r.address, "yes" if r.ssh else f"[red]no[/red] {r.problem or ''}",
                          r.engine or "-", r.swarm or "-", "-" if r.ipvs is None else ("yes" if r.ipvs else "no"))
        out.print(table)
    return 0 if all(r.ssh for r in rows) else 1


def cmd_lab_ssh(args) -> int:
    from .cluster import Cluster

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
    with Cluster(inv) as cluster:
        return cluster.node(spec.name).stream(shlex.join(command) if len(command) > 1 else command[0])


def cmd_lab_down(args) -> int:
    lab = Lab(args.name)
    if not lab.down(purge=args.purge) and not args.purge:
        raise SwarmlabError(f"no lab named {lab.name!r} exists: nothing to remove")
    ui.info(f"lab {lab.name!r} removed" if not args.purge else "lab and cached images removed")
    return 0


def load_inventory(args):
    return inventory.load(args.inventory or default_inventory(args.lab))


def _show(result, verbose: bool) -> None:
    mark = "[yellow]changed[/yellow]" if result.changed else "[green]ok[/green]"
    out.print(f"{mark} {result.step}: {escape(result.summary)}")
    if verbose:
        for ran in result.ran:
            out.print(f"  [dim]{ran.node}$[/dim] {escape(ran.command)}  [dim](exit {ran.exit_status})[/dim]")
            for line in ran.output.splitlines():
                out.print(f"    {line}", markup=False)
    for note in result.notes:
        out.print(f"    {note}", markup=False)


def cmd_lesson_run(args) -> int:
    from .cluster import Cluster
    from .lesson import Lesson
    from .ssh import resolve

    inv = load_inventory(args)
    with Cluster(inv, accept_new_host_keys=args.accept_new_host_keys) as cluster:
        Lesson(cluster).run(through=args.through, lesson_order=args.lesson_order,
                            on_step=lambda r: _show(r, args.verbose))
    if args.through == STEPS[-1]:
        out.print("[green]the lesson's cluster has converged: every node serves the posts[/green]")
        out.print("open the pages in a browser (refresh to see the php-fpm host change):")
        for node in inv.nodes:
            out.print(f"  http://{resolve(node).hostname}/   ({node.name})")
    return 0


def cmd_lesson_step(args) -> int:
    from .cluster import Cluster
    from .lesson import Lesson

    options = {}
    if args.name == "deploy":
        options = {"stacks": tuple(args.stack or ("all",)), "lesson_order": args.lesson_order}
    with Cluster(load_inventory(args), accept_new_host_keys=args.accept_new_host_keys) as cluster:
        _show(Lesson(cluster).step(args.name, **options), args.verbose)
    return 0


def cmd_check(args) -> int:
    from . import checking
    from .reports import JsonReport, JunitReport, TextReport

    inv = load_inventory(args)
    stages = tuple(dict.fromkeys(args.stage)) if args.stage else DEFAULT_STAGES
    results = checking.run(inv.path, stages, args.lang, args.accept_new_host_keys,
                           Path(args.record_commands) if args.record_commands else None)
    if not results:
        raise SwarmlabError(f"no check ran for stages {', '.join(stages)}: see {checking.CHECKS_DIR}")
    title = inv.lab or inv.path.stem
    if args.json:
        JsonReport().write(results, title, args.json)
    if args.junit:
        JunitReport().write(results, title, args.junit)
    report = TextReport()
    out.print(report.table(results, title))
    counts = {o: sum(r.outcome == o for r in results) for o in ("passed", "failed", "blocked")}
    out.print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['blocked']} blocked")
    return 0 if counts["failed"] == counts["blocked"] == 0 else 1


def cmd_engine_start(args) -> int:
    client = engine.connect()
    ui.info(f"Docker engine {client.version()['Version']} answers")
    return 0


def cmd_engine_stop(args) -> int:
    ui.info("stopped the engine swarmlab started" if engine.stop() else "no engine started by swarmlab runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
