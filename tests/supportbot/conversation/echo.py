"""A whole chat front end in about a hundred lines: the proof that a platform needs only parsing,
rendering and a transport. Replies become plain dicts; the transport records what it would send."""

from __future__ import annotations

import itertools

from supportbot.conversation import dispatch
from supportbot.conversation.grammar import choose_language, parse_command
from supportbot.conversation.people import Person
from supportbot.conversation.platforms import Address, ChatPlatform, MessageRef
from supportbot.conversation.replies import (
    AnswerReply,
    Button,
    CaseCard,
    CaseFormErrors,
    CaseFormRequest,
    ChoicesReply,
    DiagnosisReply,
    LinkButton,
    NothingReply,
    ThreadNote,
)

PLATFORM = "echo"


def render(reply) -> dict:
    """Any core reply as a dict: its kind, its text and its buttons (text → the core action)."""
    shown = {"kind": type(reply).__name__}
    match reply:
        case AnswerReply(answer=answer):
            shown["text"] = answer.title
        case ChoicesReply() | NothingReply():
            offered = reply.choices if isinstance(reply, ChoicesReply) else reply.topics
            shown.update(text=reply.text, topics=[topic.slug for topic in offered])
        case DiagnosisReply():
            shown["text"] = f"{reply.progress} {reply.text}".strip()
        case CaseFormRequest():
            shown.update(text=reply.title, fields=[field.name for field in reply.fields], prefill=reply.prefill)
        case CaseCard():
            shown.update(text=reply.title, number=reply.number)
        case ThreadNote():
            shown["text"] = reply.text.replace("{actor}", reply.actor_label)
        case CaseFormErrors():
            shown["errors"] = reply.errors
        case _:
            shown["text"] = getattr(reply, "text", None) or getattr(reply, "intro", "")
    buttons = [b for b in getattr(reply, "buttons", ()) if isinstance(b, Button | LinkButton)]
    shown["buttons"] = {b.text: b.action for b in buttons if isinstance(b, Button)}
    return shown


class EchoPlatform(ChatPlatform):
    """The transport: remembers every message it was asked to send or update."""

    name = PLATFORM

    def __init__(self) -> None:
        self.sent: list[tuple[Address, dict]] = []
        self.updated: list[tuple[MessageRef, dict]] = []
        self.agents: set[str] = set()
        self._ids = itertools.count(1)

    def is_configured(self) -> bool:
        return True

    def is_agent(self, person) -> bool:
        return person.user_id in self.agents

    def support_address(self) -> Address:
        return Address(PLATFORM, "support")

    def direct_address(self, *, workspace: str, user_id: str, route: str = "") -> Address:
        return Address(PLATFORM, f"dm:{user_id}")

    def send(self, address: Address, reply) -> MessageRef:
        self.sent.append((address, render(reply)))
        return MessageRef(PLATFORM, address.conversation, f"m{next(self._ids)}")

    def update(self, ref: MessageRef, reply) -> None:
        self.updated.append((ref, render(reply)))


class EchoFrontEnd:
    """Payloads in (here: text, a clicked button, a filled form), core calls, rendered replies out."""

    def __init__(self, user_id: str, *, locale: str = "en") -> None:
        self.person = Person(PLATFORM, "workspace", user_id, name=user_id)
        self.locale = locale

    def type(self, text: str) -> list[dict]:
        command = parse_command(text)
        language = choose_language(explicit=command.language, locale=self.locale, question=command.question)
        return [render(reply) for reply in dispatch.respond(command, person=self.person, language=language).replies]

    def click(self, shown: dict, label: str) -> list[dict]:
        return [render(reply) for reply in dispatch.act(shown["buttons"][label], person=self.person).replies]

    def submit(self, form: dict, **fields: str) -> list[dict]:
        outcome = dispatch.submit_case_form(
            person=self.person, prefill=form["prefill"], fields=fields, source_key=f"echo:{id(form)}"
        )
        return [render(outcome)] if outcome is not None else []
