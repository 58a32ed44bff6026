"""The lesson's checks, registered by `@check(stage, id)` on plain functions of `facts`.

A check's id is stable (the gradebook's key, the rubric's, the JUnit case's name) whatever its function is
called; its title is the words `title.<id>` of each language. The registry is the one list of checks: the
native runner, the pytest plugin, the rubric's validation and the grader's not-checked rows all read it.
"""

from dataclasses import dataclass
from typing import Callable, Dict, Optional

from ..errors import UsageError
from ..lesson.spec import ON_REQUEST, PART_STAGES, PARTS, STAGES


@dataclass(frozen=True)
class Check:
    stage: str
    id: str
    run: Callable
    module: str


class Registry:
    def __init__(self) -> None:
        self._checks: Dict[str, Check] = {}

    def check(self, stage: str, check_id: str) -> Callable:
        """Register the decorated function as the check `check_id` of `stage`."""
        if stage not in STAGES:
            raise ValueError(f"{stage!r} is not a stage of the lesson ({', '.join(STAGES)})")

        def register(fn: Callable) -> Callable:
            if check_id in self._checks:
                raise ValueError(f"two checks have the id {check_id!r}")
            self._checks[check_id] = Check(stage, check_id, fn, fn.__module__)
            return fn

        return register

    def of(self, stages=None) -> list:
        """The checks of the stages (all when None), in the lesson's order of stages, each stage as written."""
        wanted = STAGES if stages is None else stages
        return [c for stage in STAGES if stage in wanted for c in self._checks.values() if c.stage == stage]

    def ids(self, part: Optional[int] = None) -> dict:
        """{stage: (check id, ...)} of a part (teardown included), or of every stage."""
        stages = STAGES if part is None else stages_of(part) + ON_REQUEST
        found: dict = {}
        for check in self.of(stages):
            found.setdefault(check.stage, []).append(check.id)
        return {stage: tuple(ids) for stage, ids in found.items()}


def stages_of(part: int) -> tuple:
    if part not in PARTS:
        raise UsageError(f"part {part} is not a part of the lesson: use {' or '.join(map(str, PARTS))}")
    return PART_STAGES[part]


def validate(stages, part: int) -> tuple:
    """The stages asked for, in the lesson's order; a stage the part does not have is a usage error."""
    known = stages_of(part) + ON_REQUEST
    unknown = [s for s in stages if s not in known]
    if unknown:
        raise UsageError(f"stage {', '.join(unknown)} is not a stage of part {part}: use {', '.join(known)}")
    return tuple(s for s in STAGES if s in stages)


REGISTRY = Registry()
check = REGISTRY.check
