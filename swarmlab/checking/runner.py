"""Running checks: each check of the selected stages called on one set of facts, its end made a CheckResult.

Every front end (`swarmlab check`, grading, `lesson run`'s converge, the dashboard, the magics, the pytest
plugin) runs the checks through `run`, so a check means the same thing everywhere: blocked only by a fact it
needs, failed with its cause, and a surprise inside a check is that check's error, not the run's.
"""

from ..state.reads import Reader
from .facts import Facts
from .registry import Check, Registry, stages_of, validate
from .results import CheckFailure, CheckResult


def run(registry: Registry, reader: Reader, stages=None, lang: str = "ru", part: int = 1) -> list:
    """The selected stages' checks (default: the part's) against one Reader; the results, in stage order."""
    chosen = validate(stages or stages_of(part), part)
    facts = Facts(reader, part, lang)
    return [judge(check, facts) for check in registry.of(chosen)]


def judge(check: Check, facts: Facts) -> CheckResult:
    try:
        check.run(facts)
    except CheckFailure as failure:
        return CheckResult.of(check.stage, check.id, facts.lang, failure)
    except Exception as err:  # a check that breaks reports itself, and the others still run
        text = f"{type(err).__name__}: {err}".strip().splitlines()[0][:300]
        return CheckResult.of(check.stage, check.id, facts.lang, CheckFailure("error", reason=text))
    return CheckResult.of(check.stage, check.id, facts.lang)
