"""How a check ends: passed, failed (with the cause, the evidence and the fix), blocked by a missing fact it
needs, or not applicable to this cluster (a cross-node ping on a one-node cluster).

A check is blocked only by a fact it needs and cannot get (the manager does not
answer, the gateway has no task on that node), never because another check
failed: a student loses no marks for something a check does not need.
"""

from dataclasses import asdict, dataclass, field
from typing import Optional

from . import catalog

OUTCOMES = ("passed", "failed", "blocked", "not_applicable")


class CheckFailure(AssertionError):
    """The check's claim does not hold: a catalog key, the parameters of its message and the evidence."""

    outcome = "failed"

    def __init__(self, key: str, evidence=(), **params):
        if not catalog.known(key):
            raise KeyError(f"no words for the catalog key {key!r} in every language (swarmlab/i18n)")
        self.key, self.params, self.evidence = key, params, [str(e) for e in evidence if e]
        super().__init__(self.render("en")[0])

    def render(self, lang: str) -> tuple:
        return catalog.render(self.key, lang, self.params)

    @property
    def step(self) -> Optional[str]:
        return catalog.step(self.key)


class Blocked(CheckFailure):
    """A fact the check needs is missing; the message names it."""

    outcome = "blocked"


class NotApplicable(CheckFailure):
    """The check does not apply to this cluster (it needs two nodes, and there is one)."""

    outcome = "not_applicable"


def expect(condition, key: str, evidence=(), **params) -> None:
    """A check's assertion: when `condition` is false, fail with the catalog's message, hint and evidence."""
    if not condition:
        raise CheckFailure(key, evidence, **params)


@dataclass
class CheckResult:
    stage: str
    id: str
    outcome: str
    message: str = ""
    hint: str = ""
    step: Optional[str] = None
    evidence: list = field(default_factory=list)
    key: Optional[str] = None
    title: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, stage: str, check_id: str, lang: str, failure: Optional[CheckFailure] = None) -> "CheckResult":
        name = catalog.title(check_id, lang)
        if failure is None:
            return cls(stage, check_id, "passed", title=name)
        message, hint = failure.render(lang)
        return cls(stage, check_id, failure.outcome, message, hint, failure.step, failure.evidence, failure.key, name)


def summary(results) -> dict:
    counts = dict.fromkeys(OUTCOMES, 0)
    for result in results:
        counts[result.outcome] += 1
    return counts
