"""Every card the product sends is a valid Adaptive Card 1.5 under Teams' size limit, whatever the content."""

import dataclasses
import json

import pytest

from cases.models import Case, CaseEvent
from faq.answers import Answer, AnswerKind, Topic
from faq.document import parse
from faq.engine import Hit, SearchResult
from faq.languages import Language
from faq.models import Entry
from supportbot.conversation import case_views
from supportbot.conversation.dispatch import case_form, help_reply, reply_for
from supportbot.conversation.replies import (
    Button,
    CaseConfirmation,
    CaseFormErrors,
    CaseLine,
    CaseList,
    CasePrefill,
    DiagnosisReply,
    MoveCase,
    Notice,
    Refusal,
    Reminder,
)
from supportbot.conversation.wording import say
from supportbot.teams import cards
from tests.conftest import shared_file
from tests.supportbot.teams.conftest import assert_valid, buttons, visible_text
from tests.teams_standin import MAX_CARD_BYTES, card_problems

HOSTILE = "<at>Everyone</at> [click](https://evil.example) <b>x</b> **bold** _i_ ![img](https://evil.example/p.png)"


@pytest.fixture(autouse=True)
def _schema():
    shared_file("schemas/adaptive-card-1.5.json")  # skips, saying why, where the shared schema is absent


def valid(found) -> None:
    for card in found:
        assert card.size() <= MAX_CARD_BYTES
        problems = card_problems(card.content)
        assert not problems, problems


def entry(**fields) -> Entry:
    return Entry(**{"slug": "demo", "title_zh": "标题", "body_zh": "正文", **fields})


def answer_for(entry: Entry, question: str = "q", **changes):
    return reply_for(
        Answer(question, Language.ZH, AnswerKind.ANSWER, SearchResult(question, (), None), entry, **changes)
    )


def runs(found) -> str:
    return "".join(
        run["text"]
        for card in found
        for element in card.content["body"]
        if element["type"] == "RichTextBlock"
        for run in element["inlines"]
    )


def test_a_30000_character_body_continues_over_valid_cards_and_loses_nothing():
    body = "\n\n".join(f"{i}. " + "步骤说明 " * 400 for i in range(20))[:30_000]
    found = cards.answer_cards(answer_for(entry(body_zh=body)))
    valid(found)
    assert 1 < len(found) <= cards.MAX_CARDS
    assert runs(found).count("步骤说明") == body.count("步骤说明")
    last = json.dumps(found[-1].content, ensure_ascii=False)
    assert '"wxbind": "yes"' in last  # the feedback buttons end the answer


def test_200_images_keep_their_order_over_valid_cards():
    body = "\n\n".join(f"![image {i}](https://img.example.com/{i}.png)" for i in range(200))
    found = cards.answer_cards(answer_for(entry(body_zh=body)))
    valid(found)
    urls = [e["url"] for card in found for e in card.content["body"] if e["type"] == "Image"]
    assert urls == [f"https://img.example.com/{i}.png" for i in range(200)]


def test_too_much_for_six_cards_ends_with_the_full_answer_link():
    body = "\n\n".join(f"![image {i}](https://img.example.com/{i}/{'x' * 200}.png)" for i in range(600))
    reply = dataclasses.replace(answer_for(entry(body_zh=body)), entry_url="https://wxbind.example.com/faq/demo/")
    found = cards.answer_cards(reply)
    valid(found)
    assert len(found) == cards.MAX_CARDS
    last = json.dumps(found[-1].content, ensure_ascii=False)
    assert "https://wxbind.example.com/faq/demo/" in last
    assert '"wxbind": "yes"' in last


@pytest.mark.django_db
def test_a_3000_character_question_gives_valid_cards():
    found = cards.answer_cards(answer_for(entry(), question="问" * 3000))
    valid(found)
    nothing = Answer("问" * 3000, Language.ZH, AnswerKind.NOTHING, SearchResult("q", (), None))
    valid(cards.render(reply_for(nothing)))


def test_long_titles_and_alt_texts_are_cut():
    found = cards.answer_cards(
        answer_for(entry(title_zh="很长的标题" * 200, body_zh=f"![{'说明' * 3000}](https://i.example.com/a.png)"))
    )
    valid(found)
    alternatives = (Hit("x", "很长的标题" * 200, "long" * 200, 0.5),)
    choices = Answer(
        "q", Language.ZH, AnswerKind.CHOICES, SearchResult("q", alternatives, None), alternatives=alternatives
    )
    valid(cards.render(reply_for(choices)))


def test_the_document_keeps_safe_links_as_links_and_unsafe_ones_as_text():
    found = cards.document_elements(parse("**Bold** [ok](https://a.example) [bad](javascript:alert(1)) `code`"))
    inlines = found[0]["inlines"]
    linked = [run for run in inlines if "selectAction" in run]
    assert [(run["text"], run["selectAction"]["url"]) for run in linked] == [("ok", "https://a.example")]
    assert "javascript" not in json.dumps([run.get("selectAction") for run in inlines])  # kept, as words only
    assert any(run.get("weight") == "Bolder" and run["text"] == "Bold" for run in inlines)
    assert any(run.get("fontType") == "Monospace" for run in inlines)


def test_a_caveat_is_set_apart():
    found = cards.document_elements(parse("> 解绑后无法恢复"))
    assert found[0]["type"] == "Container"
    assert found[0]["style"] == "warning"


@pytest.mark.django_db
def test_hostile_text_in_every_place_a_person_types_stays_literal():
    question = HOSTILE
    found = cards.answer_cards(answer_for(entry(), question=question))
    found += cards.render(reply_for(Answer(question, Language.EN, AnswerKind.NOTHING, SearchResult("q", (), None))))
    found += cards.render(CaseList(Language.EN, "Your cases", (CaseLine(1001, "open", HOSTILE),)))
    valid(found)
    for card in found:
        for element in card.content["body"]:
            if element["type"] == "TextBlock":  # the only element Teams reads as Markdown
                assert "evil" not in element["text"]
                assert "<at>" not in element["text"]
        assert "entities" not in card.content["msteams"]
    text = runs(found)
    assert "[click](https://evil.example)" in text
    assert "<at>Everyone" not in text
    assert "<\u2060at>Everyone" in text


@pytest.mark.django_db
def test_help_with_many_topics_stays_valid():
    topics = tuple(Topic(f"t{i}", f"主题 {i}" * 20) for i in range(120))
    valid([cards.help_card(dataclasses.replace(help_reply(Language.EN), topics=topics))])


@pytest.mark.parametrize("key", ["case_none", "thanks_helpful", "stale_action", "unknown_topic"])
def test_notices_are_valid(key):
    valid([cards.notice_card(Notice(language, say(key, language))) for language in Language])


def test_replies_about_cases_are_valid():
    language = Language.EN
    replies = [
        CaseConfirmation(language, 1001, say("case_opened", language, number="1001"), masked_notice="masked"),
        Refusal(language, say("case_refused", language, reason="x")),
        CaseList(language, "Your open cases", tuple(CaseLine(1000 + i, "open", HOSTILE * 3) for i in range(20))),
        Reminder(language, "Is case 1001 fixed?", (Button("Resolved", MoveCase(1001, "resolve"), primary=True),)),
        DiagnosisReply(language, "Diagnosis", "Is it linked?", progress="Step 1 of 4", details=parse("1. a\n2. b")),
    ]
    for reply in replies:
        valid(cards.render(reply))


@pytest.mark.django_db
def test_the_case_form_and_its_errors_are_valid():
    form = case_form(CasePrefill(Language.ZH, topic="auth-exception", question="问" * 3000, ruled_out=("a",) * 20))
    valid(cards.render(form))
    errors = CaseFormErrors({"appid": "AppID 格式不对" * 20, "description": "请描述"})
    shown = cards.form_errors_card(form, errors, {"appid": "wx" + "1" * 5000, "description": HOSTILE * 100})
    valid([shown])
    assert "AppID 格式不对" in visible_text(shown.content)


@pytest.mark.django_db
def test_a_case_card_with_the_longest_description_is_valid(django_user_model):
    case = Case.objects.create(
        number=1042,
        channel="teams",
        workspace_id="t",
        reporter_id="6b1e7a4e",
        reporter_name=HOSTILE,
        description="描述" * 2500,
        question=HOSTILE * 30,
        ruled_out=["not-linked", "wrong-account"],
    )
    card = cards.render(case_views.case_card(case, language=Language.ZH, platform_name="teams"))
    valid(card)
    (entity,) = card[0].content["msteams"]["entities"]
    assert "<" not in entity["mentioned"]["name"]
    assert "[" not in entity["mentioned"]["name"]
    event = CaseEvent(case=case, actor="teams:6b1e7a4e", from_state="open", to_state="assigned", note=HOSTILE)
    valid(cards.render(case_views.thread_note(event, language=Language.EN)))


def _relayed(text: str, files=()):
    from supportbot.conversation.replies import FileLink, PersonMention, RelayedMessage

    return RelayedMessage(
        language=Language.EN,
        author=PersonMention("slack", "UAGENT1", "Grace <at>Everyone</at>"),
        header="{author} · case 1042",
        text=text,
        files=tuple(FileLink(*file) for file in files),
        files_label="Files:",
    )


def test_a_relayed_message_is_shown_as_typed_with_its_files_as_buttons():
    hostile = "<at>Everyone</at> {{DATE(2026-01-01T00:00:00Z)}} **bold**"
    files = [("a.png", "https://example.com/a.png"), ("evil", "javascript:alert(1)")]
    (card,) = cards.render(_relayed(hostile, files))
    assert_valid(card.content)
    shown = json.dumps(card.content, ensure_ascii=False)
    assert "<at>Everyone</at>" not in shown
    assert "{{DATE" not in shown
    assert "entities" not in card.content or not card.content["entities"]
    urls = [a["url"] for a in buttons(card.content) if a["type"] == "Action.OpenUrl"]
    assert urls == ["https://example.com/a.png"]


def test_a_long_relayed_message_continues_on_more_cards():
    long = "长" * 10_000
    found = cards.render(_relayed(long))
    assert len(found) > 1
    for card in found:
        assert_valid(card.content)
    assert sum(visible_text(card.content).count("长") for card in found) == 10_000


def test_the_survey_card_has_a_comment_box_and_five_scores():
    from cases.models import Case
    from supportbot.conversation.dispatch import satisfaction_survey

    (card,) = cards.render(satisfaction_survey(Case(number=1042), language=Language.EN))
    assert_valid(card.content)
    scores = [a for a in buttons(card.content) if a.get("data", {}).get("wxbind") == "rate"]
    assert [a["data"]["score"] for a in scores] == [1, 2, 3, 4, 5]
    assert '"id": "comment"' in json.dumps(card.content)


def test_the_weekly_digest_card_is_valid_and_shows_what_people_asked_as_text():
    from supportbot.conversation.replies import Digest, LinkButton

    digest = Digest(
        language=Language.ZH,
        title="支持周报",
        figures=(("提问", "3"), ("工单：新开 / 解决", "1 / 1")),
        unanswered_title="没能回答的问题",
        unanswered=(("<at>Everyone</at> 公众号菜单怎么设置", 2),),
        teach=LinkButton("教机器人回答它们", "https://wxbind.example.org/admin/faq/unansweredquestion/"),
    )
    (card,) = cards.render(digest)
    assert_valid(card.content)
    assert "<at>Everyone</at>" not in json.dumps(card.content, ensure_ascii=False)
    assert "公众号菜单怎么设置" in visible_text(card.content)
    assert [a["url"] for a in buttons(card.content)] == ["https://wxbind.example.org/admin/faq/unansweredquestion/"]
