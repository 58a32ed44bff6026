"""Running checks: each check of the selected stages called on one set of facts, its end made a CheckResult.

Every front end (`swarmlab check`, grading, `lesson run`'s converge, the dashboard, the magics, the pytest
plugin) runs the checks through `run`, so a check means the same thing everywhere: blocked only by a fact it
needs, failed with its cause, and a surprise inside a check is that check's error, not the run's. What a result
says leaves here already safe to show anywhere: control characters removed and every secret masked, the lesson's
and those the cluster itself holds (the password a student's own compose file set).
"""

from dataclasses import replace
from typing import Optional

from ..safe import plain
from ..secrets import Masker
from ..state.reads import Reader
from ..state.views import ManagerView, NodeView
from .facts import Facts
from .registry import Check, Registry, stages_of, validate
from .results import CheckFailure, CheckResult


def run(
    registry: Registry, reader: Reader, stages=None, lang: str = "ru", part: int = 1, mask: Optional[Masker] = None
) -> list:
    """The selected stages' checks (default: the part's) against one Reader; the results, in stage order."""
    chosen = validate(stages or stages_of(part), part)
    facts = Facts(reader, part, lang)
    results = [judge(check, facts) for check in registry.of(chosen)]
    shown = learnt(reader, mask)
    return [said(result, shown) for result in results]


def judge(check: Check, facts: Facts) -> CheckResult:
    try:
        check.run(facts)
    except CheckFailure as failure:
        return CheckResult.of(check.stage, check.id, facts.lang, failure)
    except Exception as err:  # a check that breaks reports itself, and the others still run
        text = f"{type(err).__name__}: {err}".strip().splitlines()[0][:300]
        return CheckResult.of(check.stage, check.id, facts.lang, CheckFailure("error", reason=text))
    return CheckResult.of(check.stage, check.id, facts.lang)


def learnt(reader: Reader, mask: Optional[Masker]) -> Masker:
    """The masker, knowing also every secret the cluster's read showed (its services' and containers' environments)."""
    found = Masker(*(mask.secrets if mask else ()))
    snapshot = reader.snapshot()
    views = [snapshot.manager, *snapshot.nodes.values()]
    for view in views:
        if isinstance(view, (ManagerView, NodeView)):
            for secret in view.secrets:
                found.add(secret)
    return found


def said(result: CheckResult, mask: Masker) -> CheckResult:
    def shown(text: str) -> str:
        return mask(plain(text))

    return replace(
        result,
        message=shown(result.message),
        hint=shown(result.hint),
        title=shown(result.title),
        evidence=[shown(line) for line in result.evidence],
    )
