import json

from django.core.management.base import BaseCommand, CommandError

from faq.answers import AnswerKind, answer_entry, answer_question, topics
from faq.engine import MAX_QUERY_CHARS
from faq.languages import Language
from faq.renderers import render_text

_TEXT = {
    Language.ZH: {
        "choices": "没有找到确定的答案。你想问的是不是：",
        "nothing": "没有找到相关的常见问题。可以看看这些主题：",
        "also": "也可能相关：",
        "more": "查看某个主题：python manage.py wxbind <方括号里的名称>",
    },
    Language.EN: {
        "choices": "No confident answer. Did you mean one of these?",
        "nothing": "No FAQ entry matches that question. These are the topics:",
        "also": "Also related:",
        "more": "To read one: python manage.py wxbind <name in brackets>",
    },
}


class Command(BaseCommand):
    help = "Answer a question about binding a WeChat mini program to Tencent Cloud, as the bot would."

    def add_arguments(self, parser) -> None:
        parser.add_argument("question", help="the question, in Chinese or English")
        parser.add_argument("--lang", choices=Language.values, help="answer language (default: the question's)")
        parser.add_argument("--json", action="store_true", help="print the search result as JSON")

    def handle(self, *args, question: str, lang: str | None, json: bool, **options) -> None:
        if not question.strip():
            raise CommandError('Ask a question, e.g. python manage.py wxbind "怎么解绑小程序"')
        if len(question) > MAX_QUERY_CHARS:
            raise CommandError(f"The question is {len(question)} characters long; keep it under {MAX_QUERY_CHARS}.")
        language = Language(lang) if lang else Language.of_text(question)
        answer = answer_entry(slug=question.strip(), language=language, question=question) if not json else None
        answer = answer or answer_question(question=question, language=language)
        if json:
            self.stdout.write(_json_dumps(answer.result.as_dict(language)))
            return
        self.stdout.write(self._render(answer))

    def _render(self, answer) -> str:
        text = _TEXT[answer.language]
        if answer.kind is AnswerKind.ANSWER:
            lines = [
                self.style.MIGRATE_HEADING(answer.title),
                "",
                render_text(answer.document, answer.language).rstrip(),
            ]
            if answer.alternatives:
                lines += ["", text["also"]] + [
                    f"  • {hit.title(answer.language)}  [{hit.slug}]" for hit in answer.alternatives
                ]
            return "\n".join(lines)
        if answer.kind is AnswerKind.CHOICES:
            options = [f"  • {hit.title(answer.language)}  [{hit.slug}]" for hit in answer.alternatives]
            return "\n".join([text["choices"], *options, "", text["more"]])
        options = [f"  • {topic.title}  [{topic.slug}]" for topic in topics(language=answer.language)]
        return "\n".join([text["nothing"], *options, "", text["more"]])


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
