"""Two students who handed in one cluster: what their clusters share, flagged for the instructor, never zeroed.

Each graded cluster leaves its identity: its swarm's cluster ID, the fingerprint of its CA, its nodes' IDs and the
address the grader reached its manager at. A value two students share, within the class or with a class graded
before (`--compare-with OLD/gradebook.json`), is flagged on both, in gradebook.json (`integrity`), the report and
the class board. The instructor decides what a flag means: two students can sit behind one address, but no two
swarms share a CA or a node's ID unless one cluster was handed in twice. A student with root can forge any of
these; a flag catches the cluster that was copied, not the one that was faked.

Answers are held to the same standard: an answer file kept on another swarm than the student's is named (whose
swarm, when it is a classmate's), and so is a wrong answer that is right on a classmate's cluster, for the
questions whose answers differ from cluster to cluster (IDs and addresses; node names are the lesson's own
everywhere, and overlay addresses are handed out in order, so the instructor weighs an address's flag).
"""

import json
from pathlib import Path

from ..checks import QUESTIONS
from ..errors import UsageError

KINDS = ("cluster", "ca", "node", "address")


def values(identity: dict) -> list:
    """(kind, value) pairs an identity holds."""
    found = [(kind, identity.get(kind)) for kind in ("cluster", "ca", "address") if identity.get(kind)]
    return found + [("node", node) for node in identity.get("nodes") or ()]


def flags(identities: dict, earlier=()) -> dict:
    """{student id: [{"with": other, "shared": kind, "value": value}, ...]} for every value two clusters share;
    `identities` is {student id: identity}, `earlier` (label, identity) pairs of a class graded before."""
    owners: dict = {}
    for student, identity in identities.items():
        for pair in values(identity):
            owners.setdefault(pair, []).append(student)
    for label, identity in earlier:
        for pair in values(identity):
            if pair in owners:
                owners[pair].append(label)
    found: dict = {student: [] for student in identities}
    for (kind, value), who in owners.items():
        for student in who:
            if student not in found:
                continue
            for other in dict.fromkeys(who):
                if other != student:
                    found[student].append({"with": other, "shared": kind, "value": value})
    return found


def earlier_class(path) -> list:
    """(label, identity) of every student of an earlier gradebook.json: `OLD-roster:id`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UsageError(f"--compare-with {path}: not a gradebook.json swarmlab wrote ({err})") from None
    roster = Path(str(data.get("roster", path.parent.name))).name
    return [
        (f"{roster}:{s.get('id')}", s.get("identity") or {}) for s in data.get("students", []) if isinstance(s, dict)
    ]


def answer_flags(grades) -> dict:
    """{student id: [flag, ...]} from the answers: kept on another swarm, or right for another student's cluster."""
    swarms = {g.identity.get("cluster"): g.id for g in grades if g.identity.get("cluster")}
    found: dict = {g.id: [] for g in grades}
    for grade in grades:
        own = grade.identity.get("cluster")
        for cluster in grade.answered_on:
            if own and cluster != own:
                other = swarms.get(cluster)
                kind = "answers_from" if other else "answers_elsewhere"
                found[grade.id].append({"with": other or "", "shared": kind, "value": cluster})
        for verdict in grade.answers:
            question = QUESTIONS.get(verdict.id)
            if question is None or not question.unique or verdict.outcome not in ("wrong", "near"):
                continue
            given = question.canonical(verdict.given)
            for other in grades:
                truth = other.truths.get(verdict.id)
                if other.id != grade.id and truth is not None and truth.holds(given):
                    found[grade.id].append({"with": other.id, "shared": "answer", "value": verdict.id})
    return found
