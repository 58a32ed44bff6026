"""One cluster's check results, rendered for a person (text), a program (JSON) or CI (JUnit), in one language."""

import json
import os
import xml.etree.ElementTree as ET

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..i18n import tr
from .results import summary

OUTCOME_STYLE = {"passed": "green", "failed": "red", "blocked": "yellow", "not_applicable": "dim"}


class Report:
    def render(self, results, title: str) -> str:
        raise NotImplementedError

    def write(self, results, title: str, path) -> None:
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.render(results, title))


class TextReport(Report):
    def __init__(self, lang: str = "ru"):
        self.lang = lang

    def table(self, results, title: str) -> Table:
        table = Table(title=title, show_lines=False)
        for column in ("stage", "check", "outcome", "detail"):
            table.add_column(tr(f"column.{column}", self.lang))
        causes: dict = {}
        for r in results:
            if r.outcome == "blocked":
                causes.setdefault((r.message, r.hint), []).append(r)
        for r in results:
            if r.outcome == "blocked" and causes[(r.message, r.hint)][0] is not r:
                continue  # one cause, said once: the checks it stops are counted on its row
            detail = (
                ""
                if r.outcome == "passed"
                else escape(r.message)
                if r.outcome == "not_applicable"
                else f"{escape(r.message)}\n[dim]→ {escape(r.hint)}[/dim]"
            )
            for line in r.evidence[:4]:
                detail += f"\n[dim]  {escape(line[:200])}[/dim]"
            style = OUTCOME_STYLE[r.outcome]
            outcome = tr(f"outcome.{r.outcome}", self.lang)
            name = r.title or r.id.replace("_", " ")
            stopped = len(causes.get((r.message, r.hint), ())) if r.outcome == "blocked" else 1
            if stopped > 1:
                name += " " + tr("report.more", self.lang, count=stopped - 1)
            table.add_row(r.stage, escape(name), f"[{style}]{outcome}[/{style}]", detail)
        return table

    def unreached(self, results) -> list:
        """One line per node that could not be read, with its cause and the number of checks it kept from running."""
        found: dict = {}
        for r in results:
            if r.key in ("blocked.unreachable", "init.unreachable", "join.worker_unreachable"):
                found.setdefault(r.message, []).append(r)
        return [
            tr("report.unreached", self.lang, message=message, count=len(group)) for message, group in found.items()
        ]

    def counts(self, results) -> str:
        counts = summary(results)
        line = tr("summary", self.lang, passed=counts["passed"], failed=counts["failed"], blocked=counts["blocked"])
        if counts["not_applicable"]:
            line += tr("summary.not_applicable", self.lang, count=counts["not_applicable"])
        return line

    def render(self, results, title: str) -> str:
        with open(os.devnull, "w") as sink:
            console = Console(record=True, width=160, file=sink)
            console.print(self.table(results, title))
            console.print(self.counts(results))
            return console.export_text()


class JsonReport(Report):
    def data(self, results, title: str) -> dict:
        return {"cluster": title, "checks": [r.as_dict() for r in results], "summary": summary(results)}

    def render(self, results, title: str) -> str:
        return json.dumps(self.data(results, title), ensure_ascii=False, indent=2) + "\n"


class JunitReport(Report):
    """One testsuite per stage; blocked and not-applicable checks are skipped with the reason."""

    def render(self, results, title: str) -> str:
        suites = ET.Element("testsuites", name=title)
        for stage in dict.fromkeys(r.stage for r in results):
            mine = [r for r in results if r.stage == stage]
            counts = summary(mine)
            suite = ET.SubElement(
                suites,
                "testsuite",
                name=f"{title}.{stage}",
                tests=str(len(mine)),
                failures=str(counts["failed"]),
                skipped=str(counts["blocked"] + counts["not_applicable"]),
                errors="0",
            )
            for r in mine:
                case = ET.SubElement(suite, "testcase", classname=f"{title}.{stage}", name=r.id)
                if r.outcome == "failed":
                    failure = ET.SubElement(case, "failure", message=r.message)
                    failure.text = "\n".join([f"hint: {r.hint}", *r.evidence])
                elif r.outcome != "passed":
                    ET.SubElement(case, "skipped", message=r.message)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
