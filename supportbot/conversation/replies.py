"""What the bot says, as data: every reply and every action a button can carry.

The core decides what to say and which buttons to offer; a front end lays a
reply out in its own format (Block Kit, an Adaptive Card, plain text) and
encodes each button's action in its own payloads. Renderers never query the
database and hold no product rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from faq.answers import Answer, Topic
from faq.document import Document
from faq.languages import Language

# Reading button data back: it came through a platform, so nothing about its shape is trusted.


def data_text(value, limit: int = 3000) -> str:
    """Text from button data: a string cut to ``limit``, anything else empty."""
    return value[:limit] if isinstance(value, str) else ""


def data_language(value) -> Language:
    """A language from button data: English for anything missing or unknown."""
    try:
        return Language.parse(value if isinstance(value, str) else None, default=Language.EN)
    except ValueError:
        return Language.EN


# Actions: what a button asks the core to do --------------------------------------


@dataclass(frozen=True)
class ShowTopic:
    slug: str
    language: Language


@dataclass(frozen=True)
class GiveFeedback:
    slug: str
    helpful: bool
    question: str
    language: Language


@dataclass(frozen=True)
class ShareAnswer:
    slug: str
    language: Language


@dataclass(frozen=True)
class StartDiagnosis:
    language: Language


@dataclass(frozen=True)
class AnswerDiagnosis:
    step: str  # the diagnosis step's key
    reply: str  # "yes" or "no"
    ruled_out: tuple[str, ...]
    language: Language


@dataclass(frozen=True)
class CasePrefill:
    """What the bot already knows when someone opens a case."""

    language: Language
    topic: str = ""  # FAQ entry slug
    question: str = ""
    ruled_out: tuple[str, ...] = ()
    cause: str = ""  # the diagnosis step found to be the cause

    def to_data(self) -> dict:
        """A compact form for a button's payload (short keys, empty values left out)."""
        data = {
            "l": self.language.value,
            "s": self.topic,
            "q": self.question,
            "r": list(self.ruled_out),
            "c": self.cause,
        }
        return {key: value for key, value in data.items() if value}

    @classmethod
    def from_data(cls, data: dict) -> CasePrefill:
        """Read ``to_data`` back, trusting nothing about its shape (it came through a platform)."""
        ruled_out = data.get("r") if isinstance(data.get("r"), list) else []
        return cls(
            language=data_language(data.get("l")),
            topic=data_text(data.get("s"), 64),
            question=data_text(data.get("q"), 3000),
            ruled_out=tuple(data_text(key, 64) for key in ruled_out[:20]),
            cause=data_text(data.get("c"), 64),
        )


@dataclass(frozen=True)
class OpenCase:
    prefill: CasePrefill


@dataclass(frozen=True)
class MoveCase:
    number: int
    move: str  # a cases.states.Action value, or ASSIGN_ME
    assignee: str = ""  # for "assign to…": the chosen person's id on the same platform


ASSIGN_ME = "assign_me"


@dataclass(frozen=True)
class RateCase:
    """The reporter's answer to "How did we do?" (1–5), with the comment typed beside it."""

    number: int
    score: int
    comment: str = ""


@dataclass(frozen=True)
class RouteMessage:
    """ "This message is about case N": for a message held while its writer has several open cases."""

    held: int  # the held message's id
    number: int


Action = (
    ShowTopic
    | GiveFeedback
    | ShareAnswer
    | StartDiagnosis
    | AnswerDiagnosis
    | OpenCase
    | MoveCase
    | RateCase
    | RouteMessage
)


@dataclass(frozen=True)
class Button:
    text: str
    action: Action
    primary: bool = False


@dataclass(frozen=True)
class LinkButton:
    text: str
    url: str


# Replies --------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpReply:
    language: Language
    intro: str
    topics: tuple[Topic, ...]
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class AnswerReply:
    """One FAQ entry answers the question."""

    answer: Answer
    buttons: tuple[Button | LinkButton, ...]
    also: tuple[Topic, ...] = ()  # a close runner-up, offered beside the answer
    entry_url: str | None = None  # the whole answer on the web, when chat cannot hold it
    shared_by: PersonMention | None = None  # the person who shared it in a channel

    @property
    def language(self) -> Language:
        return self.answer.language

    @property
    def offers_diagnosis(self) -> bool:
        return any(isinstance(b, Button) and isinstance(b.action, StartDiagnosis) for b in self.buttons)


@dataclass(frozen=True)
class ChoicesReply:
    """A few entries might answer it: the asker picks."""

    language: Language
    question: str
    text: str
    choices: tuple[Topic, ...]
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class NothingReply:
    """No entry answers it: every topic, and a case."""

    language: Language
    question: str
    text: str
    topics: tuple[Topic, ...]
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class DiagnosisReply:
    """One step of the guided diagnosis, the cause found, or every cause ruled out."""

    language: Language
    title: str
    text: str  # the question asked, "found the cause", or "none of the usual causes fits"
    progress: str = ""  # "Step 2 of 4"
    details: Document | None = None  # how to check, or the fix
    details_title: str = ""
    ruled_out: tuple[str, ...] = ()
    ruled_out_text: str = ""
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A short message in the bot's own words, optionally with topics to pick from."""

    language: Language
    text: str
    topics: tuple[Topic, ...] = ()
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class CaseFormRequest:
    """Ask for a case's details in a form, prefilled with what the bot knows."""

    prefill: CasePrefill
    title: str
    submit: str
    cancel: str
    about: tuple[str, ...]  # what the bot already knows, shown above the fields
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class FormField:
    name: str  # description, account_id, appid, account_kind
    label: str
    multiline: bool = False
    optional: bool = True
    hint: str = ""
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for a choice


@dataclass(frozen=True)
class CaseFormErrors:
    """What to fix in the form, by field name; nothing was opened."""

    errors: dict[str, str]


@dataclass(frozen=True)
class CaseConfirmation:
    language: Language
    number: int
    text: str
    masked_notice: str = ""


@dataclass(frozen=True)
class PersonMention:
    """Someone a message names: a platform renders a mention where it can, else the name."""

    platform: str
    user_id: str
    name: str


@dataclass(frozen=True)
class CaseCard:
    """A case as agents (or its reporter) see it, with the moves the viewer may make."""

    language: Language
    number: int
    title: str  # "Case 1042 · assigned"
    reporter: PersonMention | None
    assignee: PersonMention | None
    facts: tuple[tuple[str, str], ...]  # (label, value): topic, AppID, account, kind
    labels: dict[str, str]  # "reporter", "assignee", "ruled_out", "asked" in the card's language
    ruled_out: tuple[str, ...] = ()
    description: str = ""
    question: str = ""
    buttons: tuple[Button, ...] = ()
    can_assign_to: bool = False  # offer "Assign to…" (choose a person)
    assign_to_label: str = ""
    assignable: tuple[PersonMention, ...] = ()  # whom "Assign to…" offers, where the platform has no picker
    assign_label: str = ""  # the button that confirms the choice


@dataclass(frozen=True)
class CaseList:
    language: Language
    text: str
    lines: tuple[CaseLine, ...] = ()


@dataclass(frozen=True)
class CaseLine:
    number: int
    state: str
    summary: str


@dataclass(frozen=True)
class Refusal:
    language: Language
    text: str


@dataclass(frozen=True)
class ThreadNote:
    """A line under a case card: who moved it, from what to what."""

    actor: PersonMention | None
    actor_label: str
    text: str


@dataclass(frozen=True)
class Reminder:
    """A follow-up about a case, in the recipient's language, with what they can do about it."""

    language: Language
    text: str
    buttons: tuple[Button, ...] = ()
    broadcast: bool = False  # also show a reply in a thread to the whole channel


@dataclass(frozen=True)
class FileLink:
    """A file sent with a message, as a link the other side can open."""

    name: str
    url: str


@dataclass(frozen=True)
class RelayedMessage:
    """Someone's words passed on through a case: from an agent to the reporter, or back to the agents."""

    language: Language
    author: PersonMention  # shown as a mention where it is on the same platform, else by name
    header: str  # "{author} · case 1042", the author's place left for the renderer
    text: str  # plain text, as written (secrets masked)
    files: tuple[FileLink, ...] = ()
    files_label: str = ""


@dataclass(frozen=True)
class SatisfactionSurvey:
    """ "How did we do?" after a case is resolved: a rating button each for 1–5, and an optional comment."""

    language: Language
    number: int
    text: str
    comment_label: str
    comment_placeholder: str
    buttons: tuple[Button, ...]  # RateCase 1…5


@dataclass(frozen=True)
class Digest:
    """The week in support, for the support channel: a few figures, and the questions the FAQ should answer."""

    language: Language
    title: str
    figures: tuple[tuple[str, str], ...]  # (what, how much)
    unanswered_title: str
    unanswered: tuple[tuple[str, int], ...]  # (question, times asked)
    teach: LinkButton | None = None  # to the page where staff teach them


COMMENT_INPUT = "comment"  # the survey's comment field, as platforms name it in what a button sends back


Reply = (
    HelpReply
    | AnswerReply
    | ChoicesReply
    | NothingReply
    | DiagnosisReply
    | Notice
    | CaseFormRequest
    | CaseFormErrors
    | CaseConfirmation
    | CaseCard
    | CaseList
    | Refusal
    | ThreadNote
    | Reminder
    | RelayedMessage
    | SatisfactionSurvey
    | Digest
)


@dataclass(frozen=True)
class Replies:
    """What the core answers: replies to show the person, and what to count about them."""

    replies: tuple[Reply, ...]
    answered: AnswerRecord | None = None


@dataclass(frozen=True)
class AnswerRecord:
    entry_id: int | None
    confident: bool
    question: str
    language: Language = field(default=Language.EN)
    offered_choices: bool = False  # not confident, but the closest entries were offered
