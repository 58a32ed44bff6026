"""The rubric: points per check, validated against the checks' own ids before any cluster is contacted.

    version: 1
    part: 1          # the lesson's part it grades (default 1)
    total: 100       # optional: what the points must add up to
    stages:
      init: 10                       # a number: shared evenly by the stage's checks
      join:                          # or a mapping: check id (as `swarmlab check --json` reports it) -> points
        every_inventory_node_is_in_the_swarm: 5

A passed check earns its points, and so does one that does not apply to the
cluster (a cross-node ping on the homework's one-node cluster): the student
cannot do it there. A failed or blocked check earns none.

The lesson's questions (`swarmlab answers`) earn points only where a course wants them:

    questions: 20                    # a number: shared by the part's questions in proportion to their weights
    questions:                       # or a mapping: question id -> points
      vip: 5

A right answer earns its points, a near miss half of them, a question that does not apply all of them.
"""

from dataclasses import dataclass, field
from pathlib import Path

from .. import resources, yamlfile
from ..checks import QUESTIONS, known_checks
from ..errors import RubricError
from ..lesson.spec import PART_STAGES, PARTS, STAGES
from ..transport.inventory import yaml_line

EARNING = ("passed", "not_applicable")


def default(part: int = 1) -> Path:
    return resources.rubric(part)


def number(points: float) -> str:
    return f"{round(points, 2):g}"


@dataclass(frozen=True)
class Rubric:
    path: Path
    part: int
    points: dict  # {stage: {check id: points}}, stages in the lesson's order
    questions: dict = field(default_factory=dict)  # {question id: points}; empty: answers earn nothing

    def select(self, stages) -> tuple:
        """The stages to grade: those asked for (each must earn points here), else all the rubric's."""
        if not stages:
            return tuple(self.points)
        for stage in stages:
            if stage not in self.points:
                raise RubricError(
                    f"{self.path}: stage {stage} earns no points in this rubric: add it under "
                    f"`stages` or leave it out of --stages (graded here: {', '.join(self.points)})"
                )
        return tuple(s for s in STAGES if s in stages)

    def earned(self, results, stages) -> dict:
        earned = dict.fromkeys(stages, 0.0)
        for r in results:
            if r.outcome in EARNING and r.stage in earned:
                earned[r.stage] += self.points[r.stage].get(r.id, 0.0)
        return earned

    def answered(self, verdicts) -> float:
        return sum(self.questions.get(v.id, 0.0) * v.credit for v in verdicts)

    def worth(self, stage: str, check: str) -> float:
        return float(self.points.get(stage, {}).get(check, 0.0))


def load(path) -> Rubric:
    path = Path(path)
    if not path.is_file():
        raise RubricError(f"{path}: no such rubric file: pass --rubric FILE (see {default()})")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RubricError(f"{path}: cannot be read ({err}): save it as UTF-8 text") from None
    data = yamlfile.load(text, path, RubricError)

    def fail(where, key, field, problem):
        line = yaml_line(where, key)
        raise RubricError(f"{path}{f', line {line}' if line else ''}, field {field}: {problem}")

    def points_at(where, key, field) -> float:
        value = where[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            fail(where, key, field, f"{value!r} is not a number of points (0 or more)")
        return float(value)

    if not isinstance(data, dict) or not isinstance(data.get("stages"), dict) or not data["stages"]:
        raise RubricError(
            f"{path}: a rubric is a mapping with `stages`, each a number of points or a mapping "
            f"of checks to points (see {default()})"
        )
    for key in data:
        if key not in ("version", "part", "total", "stages", "questions"):
            fail(data, key, key, "unknown field (known: version, part, total, stages, questions)")
    if data.get("version", 1) != 1:
        fail(data, "version", "version", "only version 1 is known")
    part = data.get("part", 1)
    if part not in PARTS:
        fail(data, "part", "part", f"{part!r} is not a part of the lesson (1 or 2)")
    checks = known_checks(part)
    stages, points = data["stages"], {}
    for stage, value in stages.items():
        if stage not in checks:
            fail(stages, stage, stage, f"unknown stage for part {part} (known: {', '.join(checks)})")
        if not isinstance(value, dict):
            points[stage] = dict.fromkeys(checks[stage], points_at(stages, stage, stage) / len(checks[stage]))
            continue
        points[stage] = {}
        for check_id in value:
            if check_id not in checks[stage]:
                fail(
                    value,
                    check_id,
                    f"{stage}.{check_id}",
                    f"stage {stage} has no such check (its checks: {', '.join(checks[stage])})",
                )
            points[stage][check_id] = points_at(value, check_id, f"{stage}.{check_id}")
    questions = questions_of(data, part, points_at, fail)
    if "total" in data:
        total = points_at(data, "total", "total")
        added = sum(sum(p.values()) for p in points.values()) + sum(questions.values())
        if abs(added - total) > 1e-6:
            fail(
                data,
                "total",
                "total",
                f"the stages' points add up to {number(added)}, not {number(total)}: fix the points or the total",
            )
    order = PART_STAGES[part] + ("teardown",)
    return Rubric(path, part, {stage: points[stage] for stage in order if stage in points}, questions)


def questions_of(data: dict, part: int, points_at, fail) -> dict:
    """{question id: points} of the rubric's `questions`: a number shared by weight, or a mapping."""
    if "questions" not in data:
        return {}
    asked = QUESTIONS.of(part)
    value = data["questions"]
    if not isinstance(value, dict):
        total, weights = points_at(data, "questions", "questions"), sum(q.points for q in asked) or 1
        return {q.id: total * q.points / weights for q in asked}
    known = [q.id for q in asked]
    for question_id in value:
        if question_id not in known:
            problem = f"part {part} asks no such question (its questions: {', '.join(known)})"
            fail(value, question_id, f"questions.{question_id}", problem)
    return {question_id: points_at(value, question_id, f"questions.{question_id}") for question_id in value}
