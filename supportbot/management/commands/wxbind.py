import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from faq.engine import MAX_QUERY_CHARS
from faq.languages import Language
from faq.search import search
from faq.selectors import entry_by_slug
from supportbot import terminal
from supportbot.conversation import dispatch
from supportbot.conversation.grammar import choose_language, parse_command
from supportbot.conversation.people import Person


class Command(BaseCommand):
    help = "Ask the bot as a chat user would: a question, a topic's name, help or diagnose."

    def add_arguments(self, parser) -> None:
        parser.add_argument("question", help="what you would type after /wxbind, in Chinese or English")
        parser.add_argument("--lang", choices=Language.values, help="answer language (default: the question's)")
        parser.add_argument("--json", action="store_true", help="print the search result as JSON")

    def handle(self, *args, question: str, lang: str | None, json: bool, **options) -> None:
        if not question.strip():
            raise CommandError('Ask a question, e.g. python manage.py wxbind "怎么解绑小程序"')
        if len(question) > MAX_QUERY_CHARS:
            raise CommandError(f"The question is {len(question)} characters long; keep it under {MAX_QUERY_CHARS}.")
        command = parse_command(question)
        language = choose_language(
            explicit=Language(lang) if lang else command.language, locale=None, question=question
        )
        if json:
            self.stdout.write(_json_dumps(search(command.question or question).as_dict(language)))
            return
        if entry_by_slug(question.strip()) is not None:
            replies = dispatch.topic_replies(slug=question.strip(), language=language)
        else:
            replies = dispatch.respond(command, person=Person("cli", "local", getpass.getuser()), language=language)
        for reply in replies.replies:
            self.stdout.write(terminal.render(reply, heading=self.style.MIGRATE_HEADING))


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
