"""A graded class, and the files an instructor keeps or sends back: CSV, JSON, JUnit, one HTML page.

Everything here is already masked and scored (grader.py does that); this
module only renders. The HTML page inlines its styles and needs no script, so it
opens offline, from a mail attachment or a USB stick, exactly as it was written.
"""

import csv
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Optional

from .. import i18n
from ..checking.reports import JunitReport
from ..checking.results import summary
from .rubric import EARNING, number


@dataclass(frozen=True)
class Grade:
    id: str
    name: str
    manager: str
    user: str
    results: tuple  # CheckResult, in stage order
    earned: dict  # {stage: points}
    status: str
    reason: Optional[str]  # why the checks could not run (refused, auth, timeout, ...); None when they ran
    seconds: float
    student: Optional[object] = None  # the roster's row, for the LMS exports

    @property
    def total(self) -> float:
        return sum(self.earned.values())


@dataclass(frozen=True)
class Gradebook:
    grades: tuple
    stages: tuple
    points: dict  # {stage: {check id: points}}: the rubric, for the graded stages
    roster: str
    rubric: str
    lang: str
    graded_at: str

    def stage_max(self, stage: str) -> float:
        return sum(self.points[stage].values())

    @property
    def total_max(self) -> float:
        return sum(self.stage_max(stage) for stage in self.stages)


def csv_text(book: Gradebook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "name", "total", *book.stages, "status"])
    for grade in book.grades:
        writer.writerow(
            [
                grade.id,
                grade.name,
                number(grade.total),
                *(number(grade.earned[stage]) for stage in book.stages),
                grade.status,
            ]
        )
    return buffer.getvalue()


def json_data(book: Gradebook) -> dict:
    return {
        "roster": book.roster,
        "rubric": book.rubric,
        "graded_at": book.graded_at,
        "lang": book.lang,
        "stages": list(book.stages),
        "max": {"total": book.total_max, **{stage: book.stage_max(stage) for stage in book.stages}},
        "students": [
            {
                "id": g.id,
                "name": g.name,
                "manager": g.manager,
                "user": g.user,
                "total": round(g.total, 2),
                "stages": {stage: round(g.earned[stage], 2) for stage in book.stages},
                "status": g.status,
                "reason": g.reason,
                "seconds": round(g.seconds, 1),
                "summary": summary(g.results),
                "checks": [
                    {**r.as_dict(), "points": _worth(book, r) if r.outcome in EARNING else 0.0, "max": _worth(book, r)}
                    for r in g.results
                ],
            }
            for g in book.grades
        ],
    }


def _worth(book: Gradebook, result) -> float:
    return float(book.points.get(result.stage, {}).get(result.id, 0))


STYLE = """
body{font:15px/1.45 system-ui,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;padding:24px 32px;
  color:#1d232a;background:#f6f7f9}
h1{margin:0 0 4px;font-size:26px}h2{font-size:19px;margin:0 0 6px}
.meta{color:#5b6670;margin:0 0 18px;font-size:13px;overflow-wrap:anywhere}
table{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08);margin-bottom:14px;width:100%}
th,td{padding:6px 10px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
th{background:#eef1f4;font-size:13px;white-space:nowrap}th small{display:block;font-weight:normal;color:#5b6670}
td.who{min-width:8em}td.tag{white-space:nowrap}td.text{overflow-wrap:anywhere}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.full{background:#e3f6e8}td.part{background:#fff4d6}td.zero{background:#fde4e1}td.na{background:#eceff2;color:#7a848d}
td.status{min-width:14em;font-size:13px;overflow-wrap:anywhere}
td.status div{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.bar{display:inline-block;width:64px;height:8px;background:#e3e6ea;border-radius:4px;margin-left:8px;
  vertical-align:middle}
.bar i{display:block;height:8px;border-radius:4px;background:#2f9e55}
.student{background:#fff;border-left:5px solid #2f9e55;padding:14px 18px;margin:18px 0;
  box-shadow:0 1px 2px rgba(0,0,0,.08)}
.student.some{border-color:#e0a400}.student.none{border-color:#d64532}.student.unreached{border-color:#7a848d}
.student table{box-shadow:none}
.status{margin:0 0 10px;overflow-wrap:anywhere}.hint{color:#1f5f99}
.evidence{color:#5b6670;font:12px/1.4 ui-monospace,Menlo,monospace;white-space:pre-wrap;margin-top:4px}
.failed{color:#b3261e;font-weight:600}.blocked{color:#8a6d00}
details summary{cursor:pointer;color:#5b6670}
a{color:#1f5f99}
"""


def html_text(book: Gradebook) -> str:
    t = i18n.family("book", book.lang)
    best = book.total_max or 1
    head = "".join(f"<th>{escape(stage)}<small>{number(book.stage_max(stage))}</small></th>" for stage in book.stages)
    rows = []
    for g in book.grades:
        cells = "".join(_cell(g, g.earned[stage], book.stage_max(stage)) for stage in book.stages)
        rows.append(
            f'<tr><td class="tag"><a href="#student-{escape(g.id)}">{escape(g.id)}</a></td>'
            f'<td class="who">{escape(g.name)}</td><td class="num">{number(g.total)}<span class="bar">'
            f'<i style="width:{100 * g.total / best:.0f}%"></i></span></td>{cells}'
            f'<td class="status"><div>{escape(g.status)}</div></td></tr>'
        )
    average = sum(g.total for g in book.grades) / len(book.grades) if book.grades else 0
    return (
        f'<!DOCTYPE html>\n<html lang="{book.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{t['title']}: {escape(Path(book.roster).name)}</title><style>{STYLE}</style></head><body>"
        f'<h1>{t["title"]}</h1><p class="meta">{t["roster"]}: {escape(book.roster)} · {t["rubric"]}: '
        f"{escape(book.rubric)} · {t['graded']}: {escape(book.graded_at)} · {len(book.grades)} {t['students']}"
        f" · {t['average']}: {number(average)} / {number(book.total_max)}</p>"
        f"<table><thead><tr><th>id</th><th>{t['name']}</th>"
        f"<th>{t['total']}<small>{number(book.total_max)}</small></th>"
        f"{head}<th>{t['status']}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{''.join(_section(g, book, t) for g in book.grades)}</body></html>\n"
    )


def _cell(g: Grade, earned: float, most: float) -> str:
    kind = "na" if g.reason else "full" if earned >= most else "zero" if earned <= 0 else "part"
    return f'<td class="num {kind}">{number(earned)}</td>'


def _section(g: Grade, book: Gradebook, t: dict) -> str:
    """The student's page: what failed with the hint and evidence; what was blocked, once per cause."""
    kind = "unreached" if g.reason else "all" if g.total >= book.total_max else "none" if g.total <= 0 else "some"
    rows = [
        _row(r.stage, r.id.replace("_", " "), t["failed"], "failed", _worth(book, r), r.message, r.hint, r.evidence)
        for r in g.results
        if r.outcome == "failed"
    ]
    blocked = {}
    for r in g.results:
        if r.outcome == "blocked":
            blocked.setdefault((r.stage, r.message, r.hint), []).append(r)
    for (stage, message, hint), group in blocked.items():
        rows.append(
            _row(
                stage,
                ", ".join(r.id.replace("_", " ") for r in group),
                t["blocked"],
                "blocked",
                sum(_worth(book, r) for r in group),
                message,
                hint,
                (),
            )
        )
    if g.reason:
        hint = next((r.hint for r in g.results if r.hint), "")
        body = f'<p class="hint">→ {escape(hint)}</p>' if hint else ""
    elif rows:
        body = (
            f"<table><thead><tr><th>{t['stage']}</th><th>{t['check']}</th><th>{t['outcome']}</th>"
            f"<th>{t['points']}</th><th>{t['detail']}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    else:
        body = f"<p>{t['all_passed']}</p>"
    passed = [r for r in g.results if r.outcome == "passed"]
    if passed:
        listing = "".join(f"<li>{escape(r.stage)}: {escape(r.id.replace('_', ' '))}</li>" for r in passed)
        body += f"<details><summary>{t['passed_list']}: {len(passed)}</summary><ul>{listing}</ul></details>"
    return (
        f'<section class="student {kind}" id="student-{escape(g.id)}"><h2>{escape(g.id)} · {escape(g.name)}'
        f' · {number(g.total)} / {number(book.total_max)}</h2><p class="status">{escape(g.status)}</p>'
        f"{body}</section>"
    )


def _row(stage, checks, outcome, style, worth, message, hint, evidence) -> str:
    shown = "".join(f"{escape(line[:300])}\n" for line in evidence[:6])
    shown = f'<div class="evidence">{shown}</div>' if shown else ""
    return (
        f'<tr><td class="tag">{escape(stage)}</td><td>{escape(checks)}</td>'
        f'<td class="tag {style}">{outcome}</td>'
        f'<td class="num">0 / {number(worth)}</td>'
        f'<td class="text">{escape(message)}<div class="hint">→ {escape(hint)}</div>{shown}</td></tr>'
    )


def write(book: Gradebook, out: Path) -> None:
    """Render everything into a staging folder first, so that no file in `out` is ever half-written."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".gradebook-", dir=out))
    try:
        (staging / "gradebook.csv").write_text(csv_text(book), encoding="utf-8")
        (staging / "gradebook.json").write_text(
            json.dumps(json_data(book), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (staging / "report.html").write_text(html_text(book), encoding="utf-8")
        (staging / "junit").mkdir()
        for grade in book.grades:
            JunitReport().write(grade.results, grade.id, staging / "junit" / f"{grade.id}.xml")
        if (out / "junit").is_dir():
            shutil.rmtree(out / "junit")
        for name in ("junit", "gradebook.csv", "gradebook.json", "report.html"):
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
