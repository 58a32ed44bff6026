"""`swarmlab dashboard`: a live web page of a cluster and the lesson's checks (read-only), or the class board."""

import os

from rich.console import Console
from rich.markup import escape

from ... import resources, safe, ui
from ...errors import UsageError
from ...secrets import Masker, lesson_passwords
from ...transport.factory import open_cluster
from ..dashboard import app as web
from ..dashboard.data import ClusterSource
from .base import (
    Command,
    access_of,
    class_options,
    interval,
    lang,
    lang_of,
    part,
    records,
    replay,
    source_of,
    stages,
    target,
)
from .grade import CLASS_INTERVAL, answers_option, classroom

CLUSTER_INTERVAL = 5.0  # a student's change shows within seconds; one read costs the cluster about a second


class Dashboard(Command):
    name = "dashboard"
    help = "a live web page of a cluster and the lesson's checks (read-only); with --roster, the class board"
    options = (target, replay, part, stages, lang, class_options, records, interval)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--roster", help="show the class board of this roster (CSV or YAML, as for `grade`)")
        answers_option(parser)
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1, this machine only)"
        )
        parser.add_argument(
            "--port", type=int, default=8080, help="port to serve on; 0 picks a free one (default: 8080)"
        )
        parser.set_defaults(part=None)  # with --roster, the rubric's part unless --part says which

    def run(self, args) -> int:
        if args.roster and (args.lab or args.inventory or args.replay):
            given = [
                f for f, v in (("--inventory", args.inventory), ("--lab", args.lab), ("--replay", args.replay)) if v
            ]
            raise UsageError(
                f"{' and '.join(given)} and --roster: show one cluster (--inventory, --lab or --replay) "
                f"or one class (--roster), not both"
            )
        if not args.roster:
            given = (("--rubric", args.rubric), ("--known-hosts", args.known_hosts), ("--answers", args.answers))
            extra = [flag for flag, value in given if value]
            if extra:
                raise UsageError(f"{extra[0]} is for the class board: add --roster ROSTER, or leave it out")
        if not 0 <= args.port <= 65535:
            raise UsageError(f"--port {args.port}: give a port from 1 to 65535 (or 0 for a free one)")
        language = lang_of(args)
        cluster = None
        if args.roster:
            source = classroom(args)
            every = args.interval or CLASS_INTERVAL
            what = f"class {source.roster.path.name} ({len(source.roster.students)} students)"
        else:
            cluster = open_cluster(source_of(args, replayable=True), access_of(args, timeout=8))
            source = ClusterSource(cluster, cluster.title, args.part or 1, language)
            every = args.interval or CLUSTER_INTERVAL
            what = f"cluster {cluster.title}"
        sock = web.bind(args.host, args.port)
        host = sock.getsockname()[0]
        url = f"http://{f'[{host}]' if ':' in host else host}:{sock.getsockname()[1]}/"
        print(
            f"swarmlab dashboard: {url}  ({what}, part {args.part or 1}, every {every:g} s; Ctrl-C stops)", flush=True
        )
        quiet = args.quiet
        ui.set_quiet(True)  # the grader's spinners would draw over the server's own lines
        terminal = Console(file=os.fdopen(os.dup(2), "w", buffering=1), highlight=False, soft_wrap=True)
        refresher = web.Refresher(
            source, every, Masker(*lesson_passwords(resources.level6())), None if quiet else rounds_told(terminal)
        )
        try:
            web.serve(web.create_app(refresher, source.kind, language), sock)
        except KeyboardInterrupt:
            pass  # uvicorn raises the Ctrl-C it caught again once it has shut down: the stop asked for
        finally:
            sock.close()
            if cluster is not None:
                cluster.close()
        if not quiet:
            terminal.print("dashboard stopped")
        return 0


def rounds_told(terminal: Console):
    """What the server says of its rounds on the terminal: the first read, each class round, and a lasting
    error once (not every round)."""
    failing = [None]

    def report(data: dict, seconds: float) -> None:
        meta = data["refresh"]
        changed, failing[0] = meta["error"] != failing[0], meta["error"]
        if meta["error"] or changed:
            if changed:
                terminal.print(
                    f"[red]round {meta['round']}: {escape(safe.plain(meta['error']))}[/red]"
                    if meta["error"]
                    else f"round {meta['round']}: read again"
                )
        elif data.get("kind") == "class":
            terminal.print(f"round {meta['round']}: {len(data['students'])} students graded in {seconds:.1f} s")
        elif meta["round"] == 1:
            counts = data["checks"]["summary"]
            terminal.print(
                f"first read in {seconds:.1f} s: "
                + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if v)
            )

    return report


COMMAND = Dashboard()
