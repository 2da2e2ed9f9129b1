"""Messages to the bot, posted through the live endpoint as Teams sends them; replies caught by the stand-in."""

import pytest

from faq.models import AnswerEvent
from supportbot.models import ChatUser
from supportbot.recorder import recorder
from tests.supportbot.teams.conftest import PERSONAL, REPORTER, assert_valid, button, buttons, settle, visible_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_question_in_personal_chat_gets_the_answer_card(teams, standin):
    reply = teams.message("how do I unbind my mini program from tencent cloud")
    assert (reply.status, reply.body) == (200, "")
    (sent,) = standin.wait_for(1)
    assert sent.method == "POST"
    assert sent.conversation == PERSONAL
    assert sent.body["replyToId"].startswith("1700000000001")
    assert sent.headers["authorization"] == "Bearer bot-token-from-the-stand-in"
    (card,) = sent.cards()
    assert_valid(card)
    text = visible_text(card)
    assert "unbind" in text.lower() or "解绑" in text
    titles = [b["title"] for b in buttons(card)]
    assert {"Yes", "No", "Open a case"} <= set(titles)
    assert button(card, "Yes")["data"]["wxbind"] == "yes"
    # The token came from the configured endpoint, with the bot's credentials, once.
    (asked,) = standin.token_requests
    assert asked["grant_type"] == "client_credentials"
    assert asked["client_id"] == "c9e1b0a3-0000-0000-0000-000000000b07"
    recorder.flush()
    assert AnswerEvent.objects.filter(kind=AnswerEvent.Kind.SHOWN).count() == 1


def test_a_mention_in_a_channel_is_answered_in_its_thread_in_the_senders_locale(teams, standin):
    assert teams.mention("小程序授权异常怎么办").status == 200
    (sent,) = standin.wait_for(1)
    assert sent.conversation == "19:devchannel@thread.tacv2;messageid=1700000000002"
    (card,) = sent.cards()
    assert_valid(card)
    assert "没解决" in visible_text(card)  # Chinese buttons: the activity's locale is zh-CN
    assert "一步步排查" in [b["title"] for b in buttons(card)]  # the diagnosis is offered on this topic


def test_wxbind_prefix_and_language_words_work_like_slack(teams, standin):
    teams.message("wxbind zh help", locale="en-US")
    (sent,) = standin.wait_for(1)
    text = visible_text(sent.cards()[0])
    assert "一步步排查" in text


def test_help_lists_topics_as_buttons(teams, standin):
    teams.message("help")
    (card,) = standin.wait_for(1)[0].cards()
    topics = [b for b in buttons(card) if b.get("data", {}).get("wxbind") == "topic"]
    assert len(topics) >= 5
    assert_valid(card)


def test_a_vague_question_offers_choices_and_nothing_found_offers_topics_and_a_case(teams, standin):
    teams.message("how to cook rice with a pressure cooker")
    (card,) = standin.wait_for(1)[0].cards()
    assert_valid(card)
    kinds = {b["data"]["wxbind"] for b in buttons(card)}
    assert {"topic", "open_case"} <= kinds
    recorder.flush()
    assert AnswerEvent.objects.filter(kind__in=AnswerEvent.UNANSWERED).count() == 1


def test_the_senders_locale_and_how_to_reach_them_are_kept(teams, standin):
    teams.message("help", locale="zh-CN")
    standin.wait_for(1)
    person = ChatUser.objects.get(platform="teams", user_id=REPORTER)
    assert person.locale == "zh-CN"
    assert person.display_name == "Ada Lovelace"
    assert PERSONAL in person.route
    assert standin.service_url in person.route


def test_a_repeated_activity_is_answered_once(teams, standin):
    activity = teams.activity("message_personal", text="help")
    assert teams.post(activity).status == 200
    assert teams.post(activity).status == 200
    standin.wait_for(1)
    settle(0.3)
    assert len(standin.sent) == 1


def test_typed_markup_stays_literal(teams, standin):
    teams.message("<at>Everyone</at> [click me](https://evil.example) <b>bold</b> **x**")
    (card,) = standin.wait_for(1)[0].cards()
    assert_valid(card)
    assert "msteams" not in card or "entities" not in card["msteams"]
    for element in card["body"]:
        assert element["type"] != "TextBlock" or "evil" not in element["text"]
    text = visible_text(card)
    assert "[click me](https://evil.example)" in text  # shown as typed, in a text run (never Markdown)
    assert "<at>Everyone" not in text  # a typed mention cannot become one
