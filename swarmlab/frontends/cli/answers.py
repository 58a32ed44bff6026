"""`swarmlab answers`: the lesson's questions of a part, each with where to find it and the answer kept for it."""

from rich.markup import escape
from rich.table import Table

from ...checking import answers as answer_file
from ...checking.questions import shorten, title
from ...checks import QUESTIONS
from ...i18n import tr
from .base import Command, answers_file, lang, lang_of, out, part

STYLE = {"right": "green", "not_applicable": "green", "near": "yellow", "": "dim"}


class Answers(Command):
    name, help = "answers", "list the lesson's questions with the state of your answers"
    options = (part, lang, answers_file)

    def run(self, args) -> int:
        language = lang_of(args)
        path = args.answers or answer_file.default_path()
        kept = answer_file.load(path, QUESTIONS)
        table = Table(title=str(path))
        for column in tr("answer.head", language).split("|"):
            table.add_column(escape(column))
        for question in QUESTIONS.of(args.part):
            answer = kept.answers.get(question.id)
            state = answer.outcome if answer else ""
            style = STYLE.get(state, "red")
            note = tr("answer.history", language) if question.changes == "history" else ""
            table.add_row(
                escape(question.id),
                str(args.part),
                question.stages[args.part],
                f"[{style}]{escape(tr('answer.' + (state or 'unanswered'), language))}[/{style}]",
                escape(shorten(answer.value)) if answer else "",
                escape(f"{title(question.id, language)} — {tr(f'question.{question.id}.where', language)}{note}"),
            )
        out.print(table)
        return 0


COMMAND = Answers()
