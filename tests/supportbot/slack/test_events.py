import time

import pytest

from faq.models import AnswerEvent
from supportbot.models import ChatEventReceipt
from tests.supportbot.slack.conftest import USER, assert_valid
from tests.supportbot.slack.test_command import wait_for_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mention_is_answered_in_its_thread(slack, standin, zh_user):
    assert slack.event().status == 200
    call = standin.wait_for("chat.postMessage")[0].payload
    assert call["channel"] == "C2147483705"
    assert call["thread_ts"] == "1515449522.000016"
    assert_valid(call["blocks"])
    assert call["blocks"][0]["text"]["text"] == "微信小程序授权异常怎么办"


def test_a_retried_event_causes_nothing_twice(slack, standin, zh_user):
    slack.event(event_id="EvRETRY1")
    standin.wait_for("chat.postMessage")
    assert slack.event(event_id="EvRETRY1", retry=1).status == 200
    assert slack.event(event_id="EvRETRY1", retry=2).status == 200
    time.sleep(0.5)
    assert len(standin.calls_to("chat.postMessage")) == 1
    assert ChatEventReceipt.objects.filter(event_id="EvRETRY1").count() == 1
    wait_for_event(AnswerEvent.Kind.SHOWN)
    time.sleep(1.5)  # a second flush would have written a duplicate by now
    assert AnswerEvent.objects.filter(kind=AnswerEvent.Kind.SHOWN).count() == 1


def test_a_direct_message_is_answered_in_the_conversation(slack, standin, zh_user):
    slack.event({"type": "message", "channel_type": "im", "channel": "D123", "text": "unbind"}, event_id="EvDM1")
    call = standin.wait_for("chat.postMessage")[0].payload
    assert call["channel"] == "D123"
    assert "thread_ts" not in call or call["thread_ts"] is None
    assert call["blocks"][0]["text"]["text"] == "如何解除微信小程序与腾讯云的绑定"


def test_messages_from_bots_are_ignored(slack, standin, zh_user):
    slack.event(
        {"type": "message", "channel_type": "im", "channel": "D1", "text": "unbind", "bot_id": "B9"}, event_id="EvBOT"
    )
    time.sleep(0.5)
    assert standin.calls_to("chat.postMessage") == []


def test_a_mention_from_an_unknown_user_asks_slack_once(slack, standin):
    standin.locales[USER] = "en-US"
    slack.event(event_id="EvNEW")
    call = standin.wait_for("chat.postMessage")[0].payload
    assert call["blocks"][0]["text"]["text"].startswith("What should I do")
    assert len(standin.calls_to("users.info")) == 1


def test_only_direct_messages_and_replies_under_case_cards_have_work_after_the_acknowledgement(settings):
    """Each has its own listener, so a lazy thread starts for them alone, not for every message in a channel."""
    from slack_bolt import BoltContext

    from cases.models import Case
    from cases.policy import Actor
    from cases.services import case_open
    from supportbot.slack.listeners import is_direct_message, is_reply_under_a_case_card

    context = BoltContext({"bot_user_id": "UBOT"})
    case = case_open(
        reporter=Actor(label="slack:U9", channel="slack", workspace_id="T1", user_id="U9"), description="x"
    )
    Case.objects.filter(pk=case.case.pk).update(card_platform="slack", card_conversation="CSUP", card_message="100.1")
    person = {"user": USER, "ts": "200.1"}
    assert is_direct_message({**person, "channel_type": "im", "channel": "D1"}, context)
    assert not is_direct_message({"user": "UBOT", "ts": "200.1", "channel_type": "im", "channel": "D1"}, context)
    assert is_reply_under_a_case_card({**person, "channel": "CSUP", "thread_ts": "100.1"}, context)
    assert not is_reply_under_a_case_card({**person, "channel": "CSUP"}, context)  # top-level post
    assert not is_reply_under_a_case_card({**person, "channel": "CSUP", "thread_ts": "150.1"}, context)  # other thread
    assert not is_reply_under_a_case_card({**person, "channel": "COTHER", "thread_ts": "100.1"}, context)
    assert not is_reply_under_a_case_card({**person, "channel": "CSUP", "thread_ts": "100.1", "bot_id": "B1"}, context)
