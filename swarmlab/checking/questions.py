"""The lesson's questions: what a student saw on their own cluster, registered by `@question(id, stages)` beside
the checks and judged against the same read-only batched read.

A question's function reads the facts and returns its Truth: what is right on this cluster, what is a near miss
and which wrong answers deserve their own feedback (a container's address given for the VIP is wrong, and the
feedback says why: that is the lesson's point). The Truth is plain data, so a wrong answer can be held against
another student's cluster too (a copied answer is right there, and is named in the integrity list). Answers and
everything the cluster says are hostile text: capped, made plain and masked before they are shown.
"""

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional

from .. import i18n
from ..errors import UsageError
from ..lesson.spec import PARTS, STAGES
from ..safe import one_line
from ..secrets import Masker
from ..state.reads import Reader
from .facts import Facts
from .results import CheckFailure

OUTCOMES = ("right", "near", "wrong", "not_applicable", "blocked", "unanswered")
CREDIT = {"right": 1.0, "near": 0.5, "not_applicable": 1.0}  # not applicable earns as a check that does not apply
LONGEST = 200  # characters of an answer: longer is refused (the answer file's loader says so)
SHOWN = 60  # characters of an answer or a value of the cluster repeated in feedback
CHANGES = ("fixed", "history")


@dataclass(frozen=True)
class Truth:
    """What is right on one cluster. `kind` one: the answer is one value; `kind` subset: a set of values, each
    one of `right` and at least `at_least` of them. `near` and `wrong` map a value to (words key, params)."""

    kind: str = "one"
    right: frozenset = frozenset()
    near: dict = field(default_factory=dict)
    wrong: dict = field(default_factory=dict)
    at_least: int = 1
    moved: frozenset = frozenset()  # right by the task history the read keeps, no longer now
    inapplicable: Optional[str] = None  # the words key saying why the question does not apply here

    def holds(self, answer: str) -> bool:
        return self.judged(answer)[0] == "right"

    def judged(self, answer: str) -> tuple:
        """(outcome, words key, params) of an answer already made canonical."""
        if self.inapplicable:
            return "not_applicable", self.inapplicable, {}
        if self.kind == "subset":
            return self._subset(answer)
        if answer in self.right:
            return "right", "question.right", {}
        if answer in self.moved:
            return "right", "question.moved", {}
        if answer in self.near:
            return ("near", *self.near[answer])
        if answer in self.wrong:
            return ("wrong", *self.wrong[answer])
        return "wrong", "question.wrong", {}

    def _subset(self, answer: str) -> tuple:
        given = [v for v in answer.split(",") if v]
        if not given:
            return "wrong", "question.wrong", {}
        for value in given:
            if value not in self.right:
                key, params = self.wrong.get(value) or ("question.not_among", {})
                return "wrong", key, {"value": value, **params}
        if len(set(given)) < min(self.at_least, len(self.right)):
            return "near", "question.too_few", {"count": len(set(given)), "wanted": self.at_least}
        return "right", "question.right", {}


@dataclass(frozen=True)
class Question:
    id: str
    stages: dict  # {part: the stage whose observation it asks about}
    points: float  # its weight where a rubric shares a number of points among the questions
    changes: str  # fixed: the value stays while the cluster does; history: the read's task history counts too
    canonical: Callable[[str], str]
    truth: Callable[[Facts], Truth]
    unique: bool  # its answers differ from cluster to cluster (IDs, addresses), unlike the lesson's node names

    def stage(self, part: int) -> Optional[str]:
        return self.stages.get(part)


@dataclass
class Verdict:
    """How one answer was judged: shown to the student at once, kept in the answer file, scored by the grader."""

    id: str
    stage: str
    outcome: str
    given: str = ""
    message: str = ""
    hint: str = ""
    credit: float = 0.0

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("id", "stage", "outcome", "given", "message", "hint", "credit")}


class Questions:
    def __init__(self) -> None:
        self._questions: Dict[str, Question] = {}

    def question(
        self,
        question_id: str,
        stages: dict,
        points: float = 1,
        changes: str = "fixed",
        canonical=None,
        unique: bool = False,
    ) -> Callable:
        """Register the decorated function of facts, which returns the Truth, as the question `question_id`."""
        if not set(stages) <= set(PARTS) or not set(stages.values()) <= set(STAGES) or changes not in CHANGES:
            raise ValueError(f"question {question_id!r}: parts {PARTS}, stages {STAGES}, changes {CHANGES}")

        def register(fn: Callable) -> Callable:
            if question_id in self._questions:
                raise ValueError(f"two questions have the id {question_id!r}")
            self._questions[question_id] = Question(
                question_id, dict(stages), float(points), changes, canonical or word, fn, unique
            )
            return fn

        return register

    def of(self, part: int) -> list:
        """The part's questions, in the lesson's order of stages."""
        return sorted(
            (q for q in self._questions.values() if part in q.stages), key=lambda q: STAGES.index(q.stages[part])
        )

    def get(self, question_id: str) -> Optional[Question]:
        return self._questions.get(question_id)

    def ids(self, part: Optional[int] = None) -> tuple:
        return tuple(q.id for q in (self.of(part) if part else self._questions.values()))


def asked(question_id: str, part: int) -> Question:
    """The question a student names, refused with the part's ids when it is none of them."""
    found = QUESTIONS.get(question_id)
    if found is None or part not in found.stages:
        shown = one_line(question_id)[:40]
        raise UsageError(f"{shown!r} is not a question of part {part}: use one of {', '.join(QUESTIONS.ids(part))}")
    return found


def word(value: str) -> str:
    """One value as compared: plain, on one line, no surrounding quotes, lower case."""
    return one_line(value).strip().strip("'\"`").lower()


def address(value: str) -> str:
    """An IPv4 address as `docker inspect` shows it or without its prefix length (10.0.1.26/24 and 10.0.1.26)."""
    return re.sub(r"/\d{1,2}$", "", word(value))


def values(value: str) -> str:
    """A set of values, separated by commas or spaces, in one canonical order (`a, b` and `b a` are the same)."""
    return ",".join(sorted({v for v in re.split(r"[\s,;]+", word(value)) if v}))


def truth_of(question: Question, facts: Facts):
    """The question's Truth on this cluster, or the CheckFailure (blocked: a fact it needs is missing)."""
    try:
        return question.truth(facts)
    except CheckFailure as failure:
        return failure


def judge(question: Question, facts: Facts, given: Optional[str], mask: Optional[Masker] = None, truth=None) -> Verdict:
    """One answer against the cluster the facts read; `truth` when it was already found."""
    lang, part = facts.lang, facts.part.number
    stage = question.stage(part) or ""
    found = truth_of(question, facts) if truth is None else truth
    shown = shorten(given or "")
    hint = i18n.tr(f"question.{question.id}.where", lang)
    if isinstance(found, CheckFailure):
        outcome, (message, hint) = found.outcome, found.render(lang)
    elif not found.inapplicable and (given is None or not given.strip()):
        outcome, message = "unanswered", i18n.tr("question.unanswered", lang)
    else:
        outcome, key, params = found.judged(question.canonical(given or ""))
        message = i18n.tr(key, lang, **{k: shorten(str(v)) for k, v in params.items()})
    if outcome in ("right", "not_applicable"):
        hint = ""
    masked = mask or Masker()
    return Verdict(
        question.id,
        stage,
        outcome,
        masked(shown),
        masked(one_line(message)),
        masked(one_line(hint)),
        CREDIT.get(outcome, 0.0),
    )


def judge_all(questions: Questions, reader: Reader, answers: dict, lang: str, part: int, mask=None) -> tuple:
    """(verdicts, truths) of every question of the part, answered or not, against one Reader: the verdicts in the
    lesson's order, the truths {id: Truth} for holding a wrong answer against another student's cluster."""
    facts = Facts(reader, part, lang)
    verdicts, truths = [], {}
    for question in questions.of(part):
        found = truth_of(question, facts)
        if isinstance(found, Truth):
            truths[question.id] = found
        verdicts.append(judge(question, facts, answers.get(question.id), mask, found))
    return tuple(verdicts), truths


def swarm_of(reader: Reader) -> str:
    """The cluster ID of the swarm the read found, binding an answer to it ("" when there is none)."""
    view = reader.snapshot().manager
    return "" if isinstance(view, Exception) else view.info.cluster_id or ""


def shorten(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def title(question_id: str, lang: str) -> str:
    return i18n.WORDS[lang].get(f"question.{question_id}") or question_id.replace("_", " ")


QUESTIONS = Questions()
question = QUESTIONS.question
