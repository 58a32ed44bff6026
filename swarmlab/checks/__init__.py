"""The lesson's checks, one module per stage: `pytest --pyargs swarmlab.checks --inventory F -m STAGE`.

Importing this package registers every check; `run_checks` runs them natively and the pytest plugin
(swarmlab.frontends.pytest_plugin) makes pytest items of the same registry.
"""

from functools import lru_cache
from typing import Union

from .. import resources
from ..checking import runner
from ..checking.facts import Facts
from ..checking.questions import QUESTIONS, Verdict, asked, judge_all
from ..checking.questions import judge as judge_one
from ..checking.registry import REGISTRY
from ..lesson.spec import reader
from ..secrets import Masker, lesson_passwords
from ..state.reads import Reader
from ..transport.cluster import Cluster
from . import (  # noqa: F401  (each module registers its stage's checks; questions, the lesson's questions)
    questions,
    test_connectivity,
    test_init,
    test_join,
    test_labels,
    test_network,
    test_pages,
    test_panel,
    test_placement,
    test_stacks,
    test_sync,
    test_teardown,
    test_vip,
)


def run_checks(source: Union[Cluster, Reader], stages=None, lang: str = "ru", part: int = 1) -> list:
    """The lesson's checks against a cluster, or against a Reader shared with another user of the same read; what
    they say is masked (the lesson's secrets and the cluster's own) and free of control characters."""
    found = source if isinstance(source, Reader) else reader(source)
    return runner.run(REGISTRY, found, stages, lang, part, lesson_masker())


@lru_cache(maxsize=None)
def lesson_masker() -> Masker:
    return Masker(*lesson_passwords(resources.level6()))


def known_checks(part=None) -> dict:
    """{stage: (check id, ...)} of a part, or of every stage (no cluster needed)."""
    return REGISTRY.ids(part)


def judge(part: int = 1, lang: str = "en"):
    """The lesson's checks of a part as `lesson run`'s converge asks for them: a function of one Reader."""
    return lambda found: run_checks(found, None, lang, part)


def judge_answers(source: Union[Cluster, Reader], answers: dict, lang: str = "ru", part: int = 1) -> tuple:
    """(verdicts, truths) of the part's questions, {id: value} answered, against one read of the cluster (the
    checks' own, when given their Reader); what the verdicts say is masked as the checks' results are."""
    found = source if isinstance(source, Reader) else reader(source)
    return judge_all(QUESTIONS, found, answers, lang, part, runner.learnt(found, lesson_masker()))


def judge_answer(reader_: Reader, question_id: str, value: str, lang: str = "ru", part: int = 1) -> Verdict:
    """One answer at once (a student's `swarmlab answer` or `%answer`), from the part of the read it needs."""
    return judge_one(
        asked(question_id, part), Facts(reader_, part, lang), value, runner.learnt(reader_, lesson_masker())
    )
