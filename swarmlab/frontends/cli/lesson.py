"""`swarmlab lesson run|step`: the lesson's steps performed over SSH, on the lab or a student's VMs."""

from rich.markup import escape

from ... import checks, safe
from ...lesson.context import Options
from ...lesson.driver import Lesson
from ...lesson.steps import STEPS, TEARDOWN
from ...transport.factory import open_cluster
from .base import Command, Group, access_of, lang_of, out, part, recording, records, source_of, target
from .base import lang as lang_option

STEP_NAMES = tuple(s.name for s in STEPS)


def reseed(parser) -> None:
    parser.add_argument(
        "--reseed",
        action="store_true",
        help="start the db's data afresh: remove the storage stack and every copy of its volume (each "
        "named), deploy it again and seed it",
    )


def shown(parser) -> None:
    parser.add_argument("-v", "--verbose", action="store_true", help="show every command and its output")
    parser.add_argument(
        "--lesson-order",
        action="store_true",
        help="deploy edge first so that its failure appears, then core and storage",
    )


def show(result, verbose: bool) -> None:
    mark = "[yellow]changed[/yellow]" if result.changed else "[green]ok[/green]"
    out.print(f"{mark} {result.step}: {escape(result.summary)}")
    if verbose:
        for ran in result.ran:
            out.print(f"  [dim]{escape(ran.node)}$[/dim] {escape(ran.command)}  [dim](exit {ran.exit_status})[/dim]")
            for line in ran.output.splitlines():
                out.print(f"    {safe.plain(line)}", markup=False)
    for note in result.notes:
        out.print(f"    {safe.plain(note)}", markup=False)


class Run(Command):
    name, help = "run", "every step in order, then converge and check"
    options = (target, part, shown, reseed, lang_option, recording, records)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--through", choices=STEP_NAMES, default="seed_data", help="stop after this step")

    def run(self, args) -> int:
        with open_cluster(source_of(args), access_of(args)) as cluster:
            lesson = Lesson(cluster, part=args.part, judge=checks.judge(args.part, lang_of(args)))
            lesson.run(
                through=args.through,
                options=Options(lesson_order=args.lesson_order, reseed=args.reseed),
                on_step=lambda r: show(r, args.verbose),
            )
            if args.through == "seed_data":
                out.print(f"[green]the lesson's cluster (part {args.part}) has converged: every check passes[/green]")
                out.print("open the pages in a browser (refresh to see the php-fpm host change):")
                for node in lesson.ingress_nodes():
                    out.print(f"  http://{cluster.address(node)}/   ({node})")
                if args.part == 2:
                    out.print(f"  the panel: https://{cluster.address(cluster.inventory.manager.name)}:9443/")
        return 0


class Step(Command):
    name, help = "step", "one step"
    options = (target, part, shown, reseed, lang_option, recording, records)

    def add_arguments(self, parser) -> None:
        parser.add_argument("step", choices=STEP_NAMES + (TEARDOWN.name,))
        parser.add_argument("--stack", action="append", help="deploy: the stack(s) to deploy (default: all)")

    def run(self, args) -> int:
        options = Options(stacks=tuple(args.stack or ("all",)), lesson_order=args.lesson_order, reseed=args.reseed)
        with open_cluster(source_of(args), access_of(args)) as cluster:
            show(Lesson(cluster, part=args.part).step(args.step, options), args.verbose)
        return 0


class LessonCommands(Group):
    name, help = "lesson", "perform the lesson's steps over SSH"
    commands = (Run(), Step())


COMMAND = LessonCommands()
