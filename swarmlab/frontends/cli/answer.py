"""`swarmlab answer QUESTION VALUE`: one of the lesson's questions answered, judged at once against the cluster."""

from rich.markup import escape

from ...checking import answers as answer_file
from ...checking.questions import asked, swarm_of, title
from ...checks import QUESTIONS, judge_answer
from ...i18n import tr
from ...lesson.spec import reader
from ...transport.factory import open_cluster
from .base import Command, access_of, answers_file, lang, lang_of, out, part, replay, source_of, target

STYLE = {"right": "green", "not_applicable": "green", "near": "yellow"}


class Answer(Command):
    name, help = "answer", "answer one of the lesson's questions from your cluster; exit 0 when right"
    options = (target, replay, part, lang, answers_file)

    def add_arguments(self, parser) -> None:
        parser.add_argument("question", metavar="QUESTION", help=f"the question's id: {', '.join(QUESTIONS.ids())}")
        parser.add_argument("value", metavar="VALUE", help="your answer, as the lesson's command shows it")

    def run(self, args) -> int:
        language = lang_of(args)
        asked(args.question, args.part)
        value = answer_file.checked_value(args.value, f"the answer to {args.question}")
        path = args.answers or answer_file.default_path()
        kept = answer_file.load(path, QUESTIONS)
        with open_cluster(source_of(args, replayable=True), access_of(args, timeout=8)) as cluster:
            read = reader(cluster)
            verdict = judge_answer(read, args.question, value, language, args.part)
            swarm = swarm_of(read)
        style = STYLE.get(verdict.outcome, "red")
        head = f"{tr(f'answer.{verdict.outcome}', language)}: {title(verdict.id, language)}"
        out.print(f"[{style}]{escape(head)}[/{style}]")
        if verdict.outcome not in ("right", "not_applicable") or verdict.message != tr("question.right", language):
            out.print(escape(verdict.message))
        if verdict.hint:
            out.print(f"→ {escape(verdict.hint)}")
        kept.keep(verdict.id, value, swarm, verdict.outcome)
        kept.save()
        out.print(escape(tr("answer.kept", language, path=str(path))))
        return 0 if verdict.outcome in ("right", "not_applicable") else 1


COMMAND = Answer()
