"""A student's answers, kept in one small JSON file that the student hands in and the grader reads.

    {"version": 1, "answers": {"vip": {"value": "10.0.1.26/24", "cluster": "<swarm cluster ID>",
                                       "at": "2026-12-02T14:00:00+00:00", "outcome": "right"}}}

The file is the student's to write, so the grader takes nothing in it on trust: its size, its types, its
question ids and the length and characters of every value are checked, and a file that fails is refused with
one line naming what is wrong. The outcome kept is what the student was told; the grader judges every answer
again against the student's live cluster. The cluster ID kept with each answer binds it to the swarm it was
given on: a file handed in for another swarm is judged against that other swarm, and named as such.
"""

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from ..errors import UsageError
from ..paths import state_dir
from ..safe import CONTROL
from .questions import LONGEST, OUTCOMES, Questions

ENV = "SWARMLAB_ANSWERS"
NAME = "answers.json"
LARGEST = 64 * 1024  # bytes: a whole lesson's answers take a few hundred
CLUSTER_ID = re.compile(r"^[a-z0-9]{0,64}$")
STAMP = re.compile(r"^[0-9T:.+\-Z]{0,40}$")


class AnswerFileError(UsageError):
    """The answer file cannot be taken as it is: the message names the file and what to fix."""


@dataclass(frozen=True)
class Answer:
    value: str
    cluster: str = ""
    at: str = ""
    outcome: str = ""


@dataclass
class AnswerFile:
    path: Path
    answers: dict = field(default_factory=dict)  # {question id: Answer}

    def values(self) -> dict:
        return {qid: a.value for qid, a in self.answers.items()}

    def clusters(self) -> set:
        """The swarms the answers were given on (their cluster IDs)."""
        return {a.cluster for a in self.answers.values() if a.cluster}

    def keep(self, question_id: str, value: str, cluster: str, outcome: str) -> None:
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.answers[question_id] = Answer(value, cluster if CLUSTER_ID.match(cluster) else "", stamp, outcome)

    def save(self) -> None:
        """Written whole or not at all (a new file beside it, then renamed over it)."""
        data = {"version": 1, "answers": {qid: vars(a) for qid, a in sorted(self.answers.items())}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, staged = tempfile.mkstemp(prefix=".answers-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        os.replace(staged, self.path)


def default_path(folder: Optional[Path] = None) -> Path:
    """$SWARMLAB_ANSWERS, else answers.json in `folder` (a notebook's), else in swarmlab's state folder."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    return (folder if folder is not None else state_dir()) / NAME


def checked_value(value, where: str) -> str:
    """An answer as a student may give it: text, at most LONGEST characters, nothing a terminal would act on."""
    if not isinstance(value, str):
        raise AnswerFileError(f"{where}: the answer is a {type(value).__name__}, not text")
    if len(value) > LONGEST:
        raise AnswerFileError(f"{where}: the answer is {len(value)} characters long, more than {LONGEST}")
    if CONTROL.search(value) or "\n" in value or "\t" in value:
        raise AnswerFileError(f"{where}: the answer holds control characters: give it as plain text")
    return value


def load(path: Path, questions: Questions) -> AnswerFile:
    """The answers kept in `path` (none when it does not exist yet), refused with one line when malformed."""
    path = Path(path)
    if not path.exists():
        return AnswerFile(path)
    fix = "fix it or remove it (swarmlab answer writes it)"
    try:
        if not path.is_file():
            raise AnswerFileError(f"{path}: not a file: give an answer file ({NAME})")
        if path.stat().st_size > LARGEST:
            raise AnswerFileError(f"{path}: larger than {LARGEST // 1024} KiB, not an answer file: {fix}")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise AnswerFileError(f"{path}: not an answer file ({type(err).__name__}): {fix}") from None
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("answers"), dict):
        raise AnswerFileError(f'{path}: an answer file is {{"version": 1, "answers": {{...}}}}: {fix}')
    found = {}
    for qid, entry in data["answers"].items():
        if questions.get(qid) is None:
            shown = CONTROL.sub("", qid)[:40]
            raise AnswerFileError(f"{path}: {shown!r} is not a question (known: {', '.join(questions.ids())}): {fix}")
        if not isinstance(entry, dict):
            raise AnswerFileError(f"{path}, question {qid}: an answer is a mapping with value: {fix}")
        value = checked_value(entry.get("value"), f"{path}, question {qid}")
        cluster, at, outcome = entry.get("cluster", ""), entry.get("at", ""), entry.get("outcome", "")
        if not (isinstance(cluster, str) and CLUSTER_ID.match(cluster)):
            raise AnswerFileError(f"{path}, question {qid}: cluster is not a swarm's cluster ID: {fix}")
        if not (isinstance(at, str) and STAMP.match(at)) or outcome not in ("", *OUTCOMES):
            raise AnswerFileError(f"{path}, question {qid}: at or outcome is not as swarmlab writes it: {fix}")
        found[qid] = Answer(value, cluster, at, outcome)
    return AnswerFile(path, found)
