"""The conversation core: a command or an action from a person in, replies out.

Front ends (Slack, Teams, the command line) parse their payloads into a
``Command`` (``grammar.parse_command``) or an action (``replies``), call
``respond`` or ``act`` here, then render and send the replies. Every product
rule of the conversation lives here: what answers a question, which buttons
an answer offers, what a case form asks, who may move a case.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import AccountKind, Case
from cases.policy import NotAllowed, may_see
from cases.services import case_move, case_open, case_rate
from cases.states import Action, IllegalMove
from faq.answers import Answer, AnswerKind, Topic, answer_entry, answer_question, topics
from faq.languages import Language
from faq.links import answer_link
from faq.models import DiagnosisStep
from faq.search import GenerationCache
from supportbot.conversation import case_views, recording, relay
from supportbot.conversation.grammar import Command, Intent
from supportbot.conversation.people import Person, actor_of, language_of, linked_site_user, reporter_actor
from supportbot.conversation.replies import (
    ASSIGN_ME,
    AnswerDiagnosis,
    AnswerRecord,
    AnswerReply,
    Button,
    CaseConfirmation,
    CaseFormErrors,
    CaseFormRequest,
    CasePrefill,
    ChoicesReply,
    DiagnosisReply,
    FormField,
    GiveFeedback,
    HelpReply,
    LinkButton,
    MoveCase,
    NothingReply,
    Notice,
    OpenCase,
    PersonMention,
    RateCase,
    Refusal,
    Replies,
    RouteMessage,
    SatisfactionSurvey,
    ShareAnswer,
    ShowTopic,
    StartDiagnosis,
)
from supportbot.conversation.wording import say
from supportbot.logs import log_context

# The entry whose problem the guided diagnosis walks through: answers on it offer the diagnosis.
DIAGNOSIS_TOPIC = "auth-exception"
MAX_MY_CASES = 20
FORM_FIELDS = ("description", "account_id", "appid", "account_kind")
# Case fields as the form names them.
_FIELD_OF = {
    "description": "description",
    "tencent_account_id": "account_id",
    "appid": "appid",
    "account_kind": "account_kind",
}


def respond(command: Command, *, person: Person | None, language: Language) -> Replies:
    """The replies to something typed. Questions, help and diagnosis are the same for everyone (cacheable):
    only the personal ones (``is_personal``, a new case) need the person."""
    with log_context(**_about(person)):
        return _respond(command, person=person, language=language)


def _about(person: Person | None) -> dict[str, str]:
    """What log lines say about whose bot work they are part of."""
    return {"platform": person.platform, "user": person.user_id} if person else {}


def _respond(command: Command, *, person: Person | None, language: Language) -> Replies:
    match command.intent:
        case Intent.HELP:
            return Replies((help_reply(language),))
        case Intent.DIAGNOSE:
            return Replies((start_diagnosis(language),))
        case Intent.MY_CASES:
            return Replies((my_cases(person, language),))
        case Intent.SHOW_CASE:
            return Replies((one_case(person, command.case_number, language),))
        case Intent.NEW_CASE:
            return Replies((case_form(CasePrefill(language=language)),))
    return answer_replies(question=command.question, language=language)


def is_personal(command: Command) -> bool:
    """Whether the reply depends on who asks (their cases), so it must not be shared between people."""
    return command.intent in {Intent.MY_CASES, Intent.SHOW_CASE}


def act(action, *, person: Person) -> Replies:
    """The replies to a button."""
    with log_context(**_about(person), case=getattr(action, "number", "")):
        return _act(action, person=person)


def _act(action, *, person: Person) -> Replies:
    match action:
        case ShowTopic(slug=slug, language=language):
            return topic_replies(slug=slug, language=language)
        case GiveFeedback():
            return Replies((feedback(action, person),))
        case ShareAnswer(slug=slug, language=language):
            found = answer_entry(slug=slug, language=language)
            if found is None:
                return Replies((Notice(language, say("unknown_topic", language)),))
            sharer = PersonMention(person.platform, person.user_id, person.name)
            return Replies((answer_reply(found, with_feedback=False, shared_by=sharer),))
        case StartDiagnosis(language=language):
            return Replies((start_diagnosis(language),))
        case AnswerDiagnosis():
            return Replies((continue_diagnosis(action),))
        case OpenCase(prefill=prefill):
            return Replies((case_form(prefill),))
        case MoveCase():
            return move(action, person)
        case RateCase():
            return rate(action, person)
        case RouteMessage():
            return relay.route_held(action, person=person)
    raise TypeError(f"not an action: {action!r}")


# Questions --------------------------------------------------------------------

_answers = GenerationCache(maxsize=4096)


def answer(*, question: str, language: Language) -> Answer:
    """Search's answer; repeated questions are answered from memory until the FAQ changes."""
    return _answers.get_or_compute((question, language), lambda: answer_question(question=question, language=language))


def answer_replies(*, question: str, language: Language) -> Replies:
    found = answer(question=question, language=language)
    record = AnswerRecord(
        entry_id=found.entry.pk if found.entry else None,
        confident=found.kind is AnswerKind.ANSWER,
        question=found.question,
        language=language,
        offered_choices=found.kind is AnswerKind.CHOICES,
    )
    return Replies((reply_for(found),), answered=record)


def topic_replies(*, slug: str, language: Language) -> Replies:
    found = answer_entry(slug=slug, language=language)
    if found is None:
        return Replies((Notice(language, say("unknown_topic", language)),))
    record = AnswerRecord(entry_id=found.entry.pk, confident=True, question="", language=language)
    return Replies((reply_for(found),), answered=record)


def reply_for(found: Answer):
    language = found.language
    prefill = CasePrefill(language=language, question=found.question)
    open_case = Button(say("open_case", language), OpenCase(prefill))
    if found.kind is AnswerKind.ANSWER:
        return answer_reply(found)
    if found.kind is AnswerKind.CHOICES:
        choices = tuple(Topic(hit.slug, hit.title(language)) for hit in found.alternatives)
        return ChoicesReply(language, found.question, say("choices", language), choices, (open_case,))
    return NothingReply(
        language, found.question, say("nothing", language), tuple(topics(language=language)), (open_case,)
    )


def answer_reply(found: Answer, *, with_feedback: bool = True, shared_by: PersonMention | None = None) -> AnswerReply:
    language = found.language
    slug = found.entry.slug
    buttons: list[Button | LinkButton] = []
    if with_feedback:
        buttons += [
            Button(say("yes", language), GiveFeedback(slug, True, found.question, language), primary=True),
            Button(say("no", language), GiveFeedback(slug, False, found.question, language)),
            Button(say("open_case", language), OpenCase(CasePrefill(language, topic=slug, question=found.question))),
            Button(say("share", language), ShareAnswer(slug, language)),
        ]
        if offers_diagnosis(slug):
            buttons.append(Button(say("diagnose", language), StartDiagnosis(language)))
    url = entry_url(slug)
    if url and with_feedback:
        buttons.append(LinkButton(say("full_answer", language), url))
    also = tuple(Topic(hit.slug, hit.title(language)) for hit in found.alternatives)
    return AnswerReply(found, tuple(buttons), also=also, entry_url=url, shared_by=shared_by)


def offers_diagnosis(slug: str) -> bool:
    return slug == DIAGNOSIS_TOPIC


def entry_url(slug: str) -> str | None:
    """The full answer's page, for whoever got the reply: signed for this entry, it opens without an account
    until it expires (faq.links); staff who are signed in may open it anyway."""
    base = settings.WXBIND_BASE_URL
    return f"{base}{answer_link(slug)}" if base else None


def help_reply(language: Language) -> HelpReply:
    return HelpReply(
        language=language,
        intro=say("help_intro", language),
        topics=tuple(topics(language=language)),
        buttons=(Button(say("diagnose", language), StartDiagnosis(language)),),
    )


def feedback(action: GiveFeedback, person: Person) -> Notice:
    recording.record_verdict(
        slug=action.slug, helpful=action.helpful, question=action.question, language=action.language, person=person
    )
    language = action.language
    if action.helpful:
        return Notice(language, say("thanks_helpful", language))
    prefill = CasePrefill(language, topic=action.slug, question=action.question)
    buttons = [Button(say("open_case", language), OpenCase(prefill), primary=True)]
    if offers_diagnosis(action.slug):
        buttons.append(Button(say("diagnose", language), StartDiagnosis(language)))
    return Notice(language, say("sorry_not_helpful", language), buttons=tuple(buttons))


# The guided diagnosis ---------------------------------------------------------


def _steps() -> list[DiagnosisStep]:
    return list(DiagnosisStep.objects.filter(is_published=True).order_by("display_order", "key"))


def start_diagnosis(language: Language) -> DiagnosisReply | Notice:
    steps = _steps()
    if not steps:
        return Notice(language, say("no_diagnosis", language))
    return _step_reply(steps[0], number=1, total=len(steps), ruled_out=(), language=language)


def continue_diagnosis(action: AnswerDiagnosis) -> DiagnosisReply | Notice:
    """Move on from the step the asker answered: to the fix, the next step, or a case."""
    language = action.language
    steps = _steps()
    keys = [step.key for step in steps]
    if action.step not in keys or action.reply not in DiagnosisStep.YesNo.values:
        return Notice(language, say("stale_action", language))
    position = keys.index(action.step)
    step = steps[position]
    known = tuple(key for key in action.ruled_out if key in keys)
    title = say("diagnosis_title", language)
    start_over = Button(say("start_over", language), StartDiagnosis(language))
    if step.is_cause(action.reply):
        prefill = CasePrefill(language, topic=DIAGNOSIS_TOPIC, ruled_out=known, cause=step.key)
        return DiagnosisReply(
            language=language,
            title=title,
            text=say("diagnosis_found", language),
            details=step.fix(language),
            ruled_out=known,
            ruled_out_text=say("ruled_out", language),
            buttons=(Button(say("open_case", language), OpenCase(prefill)), start_over),
        )
    known = (*known, step.key) if step.key not in known else known
    if position + 1 < len(steps):
        return _step_reply(
            steps[position + 1], number=position + 2, total=len(steps), ruled_out=known, language=language
        )
    prefill = CasePrefill(language, topic=DIAGNOSIS_TOPIC, ruled_out=known)
    return DiagnosisReply(
        language=language,
        title=title,
        text=say("diagnosis_exhausted", language),
        ruled_out=known,
        ruled_out_text=say("ruled_out", language),
        buttons=(Button(say("open_case", language), OpenCase(prefill), primary=True), start_over),
    )


def _step_reply(
    step: DiagnosisStep, *, number: int, total: int, ruled_out: tuple[str, ...], language: Language
) -> DiagnosisReply:
    return DiagnosisReply(
        language=language,
        title=say("diagnosis_title", language),
        text=step.question(language),
        progress=say("diagnosis_step", language, number=str(number), total=str(total)),
        details=step.how_to_check(language),
        details_title=say("how_to_check", language),
        ruled_out=ruled_out,
        ruled_out_text=say("ruled_out", language),
        buttons=(
            Button(say("yes", language), AnswerDiagnosis(step.key, "yes", ruled_out, language)),
            Button(say("no", language), AnswerDiagnosis(step.key, "no", ruled_out, language)),
        ),
    )


# Cases ----------------------------------------------------------------------


def case_form(prefill: CasePrefill) -> CaseFormRequest:
    language = prefill.language
    about = []
    if prefill.topic:
        about.append(say("case_topic", language) + prefill.topic)
    if prefill.ruled_out:
        about.append(say("ruled_out", language) + ", ".join(prefill.ruled_out))
    if prefill.question:
        about.append(say("you_asked", language) + prefill.question[:300])
    kinds = tuple((kind.value, say(f"kind_{kind.value}", language)) for kind in AccountKind)
    return CaseFormRequest(
        prefill=prefill,
        title=say("case_modal_title", language),
        submit=say("case_submit", language),
        cancel=say("cancel", language),
        about=tuple(about),
        fields=(
            FormField(
                "description",
                say("case_description", language),
                multiline=True,
                optional=False,
                hint=say("case_description_hint", language),
            ),
            FormField("account_id", say("case_account_id", language), placeholder="100012345678"),
            FormField("appid", say("case_appid", language), placeholder="wx0123456789abcdef"),
            FormField("account_kind", say("case_account_kind", language), options=kinds),
        ),
    )


def submit_case_form(
    *, person: Person, prefill: CasePrefill, fields: dict[str, str], source_key: str, chat_channel: str = ""
) -> CaseFormErrors | CaseConfirmation | None:
    """Open the case the form describes, once per ``source_key``; or say what to fix, opening nothing.

    None: this very form had opened its case already (a double submit, a platform retry); nothing more to say.
    """
    language = prefill.language
    values = {name: str(fields.get(name) or "").strip() for name in FORM_FIELDS}
    if not values["description"]:
        return CaseFormErrors({"description": say("case_describe", language)})
    # The case's own field rules say what is wrong: in the reporter's language, not the admin's.
    with translation.override(django_language(language)):
        try:
            opened = case_open(
                reporter=reporter_actor(person),
                reporter_name=person.name,
                description=values["description"],
                tencent_account_id=values["account_id"],
                appid=values["appid"],
                account_kind=values["account_kind"] if values["account_kind"] in AccountKind.values else "",
                topic_slug=prefill.topic,
                answer_slug=prefill.topic,
                question=prefill.question,
                ruled_out=list(prefill.ruled_out),
                chat_channel_id=chat_channel,
                source_key=source_key,
            )
        except ValidationError as error:
            found = {_FIELD_OF[f]: " ".join(m) for f, m in error.message_dict.items() if f in _FIELD_OF}
            return CaseFormErrors(found or {"description": " ".join(error.messages)})
    if not opened.created:
        return None
    masked = ""
    if opened.masked:
        masked = say("case_masked", language, kinds=", ".join(opened.masked))
    return CaseConfirmation(
        language=language,
        number=opened.case.number,
        text=say("case_opened", language, number=str(opened.case.number)),
        masked_notice=masked,
    )


def my_cases(person: Person, language: Language):
    found = list(
        Case.objects.active().of_reporter(
            channel=person.platform, workspace_id=person.workspace, user_id=person.user_id
        )[:MAX_MY_CASES]
    )
    return case_views.case_list(found, language=language)


def one_case(person: Person, number: int | None, language: Language):
    case = Case.objects.select_related("topic", "assignee").filter(number=number).first() if number else None
    actor = actor_of(person)
    if case is None or not may_see(actor, case):
        return Notice(language, say("case_not_found", language, number=str(number or "")))
    return case_views.case_card(case, language=language, for_agents=actor.is_agent, platform_name=person.platform)


def move(action: MoveCase, person: Person) -> Replies:
    """A case move from a button: applied, or refused with the reason; the card follows on its own."""
    language = language_of(person, default=agent_language())
    actor = actor_of(person)
    extra: dict = {}
    move_name = action.move
    if move_name == Action.ASSIGN and not action.assignee:
        return Replies((Refusal(language, say("choose_assignee", language)),))
    if move_name == ASSIGN_ME or action.assignee:
        chosen = action.assignee or person.user_id
        chosen_person = Person(person.platform, person.workspace, chosen)
        move_name = "assign"
        extra = {"assignee_chat_id": chosen, "assignee": linked_site_user(chosen_person)}
    try:
        case_move(number=action.number, action=move_name, actor=actor, **extra)
    except Case.DoesNotExist:
        reason = say("case_gone", language)
    except NotAllowed:
        reason = say("refused_not_agent", language, number=str(action.number), move=_move_name(move_name, language))
    except IllegalMove as error:
        state = case_views.state_label(error.state, language)
        reason = say("refused_illegal", language, number=str(action.number), state=state)
    except ValidationError as error:
        with translation.override(django_language(language)):
            reason = " ".join(error.messages)
    else:
        return Replies(())
    return Replies((Refusal(language, say("case_refused", language, reason=reason)),))


def satisfaction_survey(case: Case, *, language: Language) -> SatisfactionSurvey:
    """ "How did we do?" for a resolved case's reporter."""
    return SatisfactionSurvey(
        language=language,
        number=case.number,
        text=say("survey", language, number=str(case.number)),
        comment_label=say("survey_comment", language),
        comment_placeholder=say("survey_placeholder", language),
        buttons=tuple(Button(str(score), RateCase(case.number, score)) for score in range(1, 6)),
    )


def rate(action: RateCase, person: Person) -> Replies:
    """The reporter's rating, kept once: thanks in place of the survey, or why it was not kept."""
    language = language_of(person, default=agent_language())
    number = str(action.number)
    try:
        _, kept = case_rate(
            number=action.number, reporter=reporter_actor(person), score=action.score, comment=action.comment
        )
    except (Case.DoesNotExist, NotAllowed):
        return Replies((Refusal(language, say("case_not_found", language, number=number)),))
    except ValidationError:
        return Replies((Notice(language, say("survey_not_yet", language, number=number)),))
    text = say("survey_thanks" if kept else "survey_once", language, number=number, score=str(action.score))
    return Replies((Notice(language, text),))


def _move_name(move_name: str, language: Language) -> str:
    return say(f"verb_{move_name}", language)


def django_language(language: Language) -> str:
    """Django's code for a chat language, for what the domain words itself (a field's validation message)."""
    return "zh-hans" if language is Language.ZH else "en"


def agent_language() -> Language:
    """What agents read: the deployment's admin language."""
    return Language.ZH if settings.LANGUAGE_CODE.startswith("zh") else Language.EN
