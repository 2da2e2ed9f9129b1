"""Every reply the core makes and every action it takes, with no chat platform in sight."""

import pytest

from cases.policy import Actor
from cases.services import case_open
from cases.states import Action, State
from faq.languages import Language
from supportbot.conversation import dispatch
from supportbot.conversation.grammar import parse_command
from supportbot.conversation.people import Person, remember_locale
from supportbot.conversation.replies import (
    ASSIGN_ME,
    AnswerDiagnosis,
    AnswerReply,
    CaseCard,
    CaseConfirmation,
    CaseFormErrors,
    CaseFormRequest,
    CaseList,
    CasePrefill,
    ChoicesReply,
    DiagnosisReply,
    GiveFeedback,
    HelpReply,
    MoveCase,
    NothingReply,
    Notice,
    OpenCase,
    Refusal,
    ShareAnswer,
    ShowTopic,
    StartDiagnosis,
)

pytestmark = pytest.mark.django_db

EN, ZH = Language.EN, Language.ZH
REPORTER = Person("echo", "w", "ureporter", "Li Hua")
AGENT = Person("echo", "w", "uagent")
STRANGER = Person("echo", "w", "ustranger")


def respond(text: str, person: Person = REPORTER, language: Language = EN):
    return dispatch.respond(parse_command(text), person=person, language=language)


def only(replies):
    (reply,) = replies.replies
    return reply


def actions_of(reply) -> list:
    return [button.action for button in reply.buttons if hasattr(button, "action")]


def test_help_lists_every_topic_and_offers_the_diagnosis(echo):
    reply = only(respond("help"))
    assert isinstance(reply, HelpReply)
    assert [t.slug for t in reply.topics] == ["bind", "unbind", "second-miniprogram", "reauthorize", "auth-exception"]
    assert actions_of(reply) == [StartDiagnosis(EN)]


def test_a_question_gets_an_answer_choices_or_nothing(echo):
    answered = respond("how do I unbind my mini program")
    assert isinstance(only(answered), AnswerReply)
    assert answered.answered.confident
    assert isinstance(only(respond("小程序", language=ZH)), ChoicesReply)
    nothing = respond("what's the weather in Shenzhen")
    assert isinstance(only(nothing), NothingReply)
    assert not nothing.answered.confident
    assert isinstance(actions_of(only(nothing))[0], OpenCase)


def test_only_the_authorization_exception_answer_offers_the_diagnosis(echo):
    assert only(respond("授权异常", language=ZH)).offers_diagnosis
    assert not only(respond("解绑", language=ZH)).offers_diagnosis


def test_topics_feedback_and_sharing(echo):
    shown = dispatch.act(ShowTopic("unbind", EN), person=REPORTER)
    assert only(shown).answer.entry.slug == "unbind"
    assert isinstance(only(dispatch.act(ShowTopic("gone", EN), person=REPORTER)), Notice)
    thanks = only(dispatch.act(GiveFeedback("unbind", True, "q", EN), person=REPORTER))
    assert thanks.text == "Glad it helped. Thanks for telling us!"
    sorry = only(dispatch.act(GiveFeedback("auth-exception", False, "q", EN), person=REPORTER))
    assert [type(a) for a in actions_of(sorry)] == [OpenCase, StartDiagnosis]
    shared = only(dispatch.act(ShareAnswer("unbind", EN), person=REPORTER))
    assert (shared.shared_by.user_id, shared.shared_by.name, shared.buttons) == ("ureporter", "Li Hua", ())


def test_the_diagnosis_walks_to_the_fix_or_to_a_case(echo):
    first = only(respond("diagnose"))
    assert isinstance(first, DiagnosisReply)
    found = only(dispatch.act(AnswerDiagnosis("not-linked", "no", (), EN), person=REPORTER))
    assert found.text == "Found the cause"
    assert actions_of(found)[0] == OpenCase(CasePrefill(EN, topic="auth-exception", cause="not-linked"))
    second = only(dispatch.act(AnswerDiagnosis("not-linked", "yes", (), EN), person=REPORTER))
    assert (second.progress, second.ruled_out) == ("Step 2 of 4", ("not-linked",))
    stale = only(dispatch.act(AnswerDiagnosis("no-such-step", "yes", (), EN), person=REPORTER))
    assert stale.text == "That button has expired. Please ask again."


def test_a_case_form_a_confirmation_and_errors(echo):
    form = only(dispatch.act(OpenCase(CasePrefill(EN, topic="unbind", question="q")), person=REPORTER))
    assert isinstance(form, CaseFormRequest)
    assert [f.name for f in form.fields] == ["description", "account_id", "appid", "account_kind"]
    errors = dispatch.submit_case_form(
        person=REPORTER, prefill=form.prefill, fields={"description": "x", "appid": "wx12"}, source_key="k1"
    )
    assert isinstance(errors, CaseFormErrors)
    assert set(errors.errors) == {"appid"}
    opened = dispatch.submit_case_form(
        person=REPORTER,
        prefill=form.prefill,
        fields={"description": "AppSecret 0123456789abcdef0123456789abcdef"},
        source_key="k2",
    )
    assert isinstance(opened, CaseConfirmation)
    assert "AppSecret" in opened.masked_notice
    assert (
        dispatch.submit_case_form(person=REPORTER, prefill=form.prefill, fields={"description": "y"}, source_key="k2")
        is None
    )
    assert isinstance(only(respond("case")), CaseFormRequest)


def test_my_cases_and_one_case_as_reporter_agent_and_stranger(echo):
    echo.agents.add("uagent")
    assert only(respond("cases")).text == "You have no open cases."
    case = case_open(reporter=Actor("echo:ureporter", "echo", "w", "ureporter"), description="still broken").case
    listed = only(respond("cases"))
    assert isinstance(listed, CaseList)
    assert [line.number for line in listed.lines] == [case.number]
    mine = only(respond(f"case {case.number}"))
    assert isinstance(mine, CaseCard)
    assert actions_of(mine) == [MoveCase(case.number, Action.RESOLVE)]
    theirs = only(respond(f"case {case.number}", person=AGENT))
    assert actions_of(theirs) == [MoveCase(case.number, ASSIGN_ME), MoveCase(case.number, Action.RESOLVE)]
    assert theirs.can_assign_to
    hidden = only(respond(f"case {case.number}", person=STRANGER))
    assert hidden.text == f"There is no case {case.number} you can see."


def test_moves_are_made_or_refused_in_the_persons_language(echo):
    echo.agents.add("uagent")
    case = case_open(reporter=Actor("echo:ureporter", "echo", "w", "ureporter"), description="x").case
    remember_locale(STRANGER, locale="zh-CN")
    refused = only(dispatch.act(MoveCase(case.number, Action.RESOLVE), person=STRANGER))
    assert isinstance(refused, Refusal)
    assert refused.text == f"没有执行：只有支持人员可以解决工单 {case.number}。"
    assert dispatch.act(MoveCase(case.number, ASSIGN_ME), person=AGENT).replies == ()
    case.refresh_from_db()
    assert (case.state, case.assignee_chat_id) == (State.ASSIGNED, "uagent")
    illegal = only(dispatch.act(MoveCase(case.number, Action.REOPEN), person=AGENT))
    assert illegal.text == f"Nothing changed: Case {case.number} is assigned; that move does not apply."
    gone = only(dispatch.act(MoveCase(999999, Action.RESOLVE), person=AGENT))
    assert gone.text == "Nothing changed: that case no longer exists"


@pytest.mark.parametrize(("language", "said"), [(ZH, "小程序 AppID 是"), (EN, "A Mini Program AppID is")])
def test_case_form_errors_are_in_the_reporters_language_not_the_admins(echo, settings, language, said):
    settings.LANGUAGE_CODE = "en" if language is ZH else "zh-hans"
    errors = dispatch.submit_case_form(
        person=REPORTER,
        prefill=CasePrefill(language, topic="unbind"),
        fields={"description": "x", "appid": "wx12"},
        source_key=f"form-{language}",
    )
    assert said in errors.errors["appid"]
