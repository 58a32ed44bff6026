"""One cluster's check results, rendered for a person (text), a program (JSON) or CI (JUnit)."""

import json
import xml.etree.ElementTree as ET

from rich.console import Console
from rich.markup import escape
from rich.table import Table

OUTCOME_STYLE = {"passed": "green", "failed": "red", "blocked": "yellow"}


def summary(results) -> dict:
    counts = {"passed": 0, "failed": 0, "blocked": 0}
    for result in results:
        counts[result.outcome] += 1
    return counts


class Report:
    """Renders a list of CheckResult as text; `write` saves it."""

    def render(self, results, title: str) -> str:
        raise NotImplementedError

    def write(self, results, title: str, path) -> None:
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.render(results, title))


class TextReport(Report):
    def table(self, results, title: str) -> Table:
        table = Table(title=title, show_lines=False)
        for column in ("stage", "check", "outcome", "what is wrong → what to do"):
            table.add_column(column)
        for r in results:
            detail = "" if r.outcome == "passed" else f"{escape(r.message)}\n[dim]→ {escape(r.hint)}[/dim]"
            for line in r.evidence[:4]:
                detail += f"\n[dim]  {escape(line[:200])}[/dim]"
            style = OUTCOME_STYLE[r.outcome]
            table.add_row(r.stage, r.id.replace("_", " "), f"[{style}]{r.outcome}[/{style}]", detail)
        return table

    def render(self, results, title: str) -> str:
        console = Console(record=True, width=160, file=open("/dev/null", "w"))
        console.print(self.table(results, title))
        counts = summary(results)
        console.print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['blocked']} blocked")
        return console.export_text()


class JsonReport(Report):
    def data(self, results, title: str) -> dict:
        return {
            "cluster": title,
            "checks": [{"stage": r.stage, "id": r.id, "outcome": r.outcome, "message": r.message, "hint": r.hint,
                        "step": r.step, "evidence": r.evidence} for r in results],
            "summary": summary(results),
        }

    def render(self, results, title: str) -> str:
        return json.dumps(self.data(results, title), ensure_ascii=False, indent=2) + "\n"


class JunitReport(Report):
    """One testsuite per stage; blocked checks are skipped with the stage that blocked them."""

    def render(self, results, title: str) -> str:
        suites = ET.Element("testsuites", name=title)
        for stage in dict.fromkeys(r.stage for r in results):
            mine = [r for r in results if r.stage == stage]
            counts = summary(mine)
            suite = ET.SubElement(suites, "testsuite", name=f"{title}.{stage}", tests=str(len(mine)),
                                  failures=str(counts["failed"]), skipped=str(counts["blocked"]), errors="0")
            for r in mine:
                case = ET.SubElement(suite, "testcase", classname=f"{title}.{stage}", name=r.id)
                if r.outcome == "failed":
                    failure = ET.SubElement(case, "failure", message=r.message)
                    failure.text = "\n".join([f"hint: {r.hint}", *r.evidence])
                elif r.outcome == "blocked":
                    ET.SubElement(case, "skipped", message=r.message)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
