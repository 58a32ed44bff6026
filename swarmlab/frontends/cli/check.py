"""`swarmlab check`: the lesson's stages verified on a cluster, read-only, with the cause and fix of each failure."""

from rich.markup import escape

from ... import ui
from ...checking.registry import stages_of, validate
from ...checking.reports import JsonReport, JunitReport, TextReport
from ...checking.results import summary
from ...checks import run_checks
from ...transport.factory import open_cluster
from .base import (
    Command,
    access_of,
    lang,
    lang_of,
    out,
    output_file,
    part,
    recording,
    records,
    replay,
    source_of,
    stages,
    target,
    written,
)


class Check(Command):
    name, help = "check", "verify the lesson's stages (read-only)"
    options = (target, replay, part, stages, lang, recording, records)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", type=output_file, metavar="FILE", help="also the results as JSON (- for stdout)")
        parser.add_argument("--junit", type=output_file, metavar="FILE", help="also the results as JUnit XML")

    def run(self, args) -> int:
        chosen = validate(args.stages or stages_of(args.part), args.part)
        language = lang_of(args)
        with open_cluster(source_of(args, replayable=True), access_of(args, timeout=8)) as cluster:
            ui.info(f"checking part {args.part} ({', '.join(chosen)}) on {', '.join(cluster.names)} ({cluster.title})")
            results = run_checks(cluster, chosen, language, args.part)
        written(args.json, JsonReport().render(results, cluster.title))
        written(args.junit, JunitReport().render(results, cluster.title))
        if str(args.json) != "-":
            report = TextReport(language)
            for line in report.unreached(results):
                out.print(f"[red]{escape(line)}[/red]")
            out.print(report.table(results, cluster.title))
            out.print(report.counts(results))
        counts = summary(results)
        return 0 if counts["failed"] == counts["blocked"] == 0 else 1


COMMAND = Check()
