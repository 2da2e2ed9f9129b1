import json

import pytest

from faq.models import AnswerEvent, Entry
from supportbot.models import ChatUser
from tests.supportbot.slack.conftest import USER, all_text, assert_valid, rendered_texts

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_event(*kinds: str, count: int = 1):
    """Events of any of these kinds, once ``count`` of them are recorded."""
    import time

    deadline = time.time() + 10
    while time.time() < deadline:
        events = list(AnswerEvent.objects.filter(kind__in=kinds))
        if len(events) >= count:
            return events
        time.sleep(0.05)
    raise AssertionError(f"no {' or '.join(kinds)} event recorded")


def action_ids(blocks) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


@pytest.mark.parametrize("text", ["", "help", "帮助"])
def test_help_lists_one_button_per_published_entry_in_admin_order(slack, zh_user, text):
    Entry.objects.filter(slug="reauthorize").update(is_published=False)
    Entry.objects.filter(slug="auth-exception").update(display_order=1)
    Entry.objects.get(slug="bind").save()  # refresh the index generation
    reply = slack.command(text)
    assert reply.status == 200
    data = reply.json()
    assert data["response_type"] == "ephemeral"
    assert_valid(data["blocks"])
    topics = [a for a in action_ids(data["blocks"]) if a.startswith("topic:")]
    assert topics == ["topic:auth-exception", "topic:bind", "topic:unbind", "topic:second-miniprogram"]
    assert "/wxbind" in data["blocks"][0]["text"]["text"]


def test_a_question_gets_the_answer_in_the_acknowledgement(slack, standin, zh_user):
    reply = slack.command("怎么解绑小程序")
    data = reply.json()
    blocks = data["blocks"]
    assert_valid(blocks)
    assert data["response_type"] == "ephemeral"
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "如何解除微信小程序与腾讯云的绑定", "emoji": True},
    }
    text = all_text(blocks)
    assert "1. 打开<https://console.cloud.tencent.com/developer|腾讯云账号中心>" in text
    images = [b["image_url"] for b in blocks if b["type"] == "image"]
    assert images == [
        "https://mc.qcloudimg.com/static/img/587c7da6255ed85359dd6c0027921c72/jiebang.jpg",
        "https://mc.qcloudimg.com/static/img/10e412a1e58bfdd7944641a84f827c36/jiebang-wx.jpg",
    ]
    caveats = [b for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("> :warning:")]
    assert len(caveats) == 1
    assert "腾讯云一侧仍会保留" in caveats[0]["text"]["text"]
    assert action_ids(blocks)[:4] == ["feedback:yes", "feedback:no", "case:open", "answer:share"]
    event = wait_for_event(AnswerEvent.Kind.SHOWN)[0]
    assert (event.entry.slug, event.question, event.channel, event.user_id) == (
        "unbind",
        "怎么解绑小程序",
        "slack",
        USER,
    )
    assert standin.calls_to("users.info") == []  # the locale was known: no lookup


def test_language_override_answers_in_english(slack, zh_user):
    blocks = slack.command("en 怎么解绑小程序").json()["blocks"]
    assert blocks[0]["text"]["text"] == "How do I unbind a WeChat mini program from Tencent Cloud?"


def test_first_contact_looks_up_the_locale_after_acknowledging(slack, standin):
    standin.locales[USER] = "zh-TW"
    reply = slack.command("unbind")
    assert reply.status == 200
    assert reply.body == ""  # nothing to wait for before the ack
    posted = standin.wait_for("response_url")[0].payload
    assert posted["response_type"] == "ephemeral"
    assert posted["blocks"][0]["text"]["text"] == "如何解除微信小程序与腾讯云的绑定"
    assert len(standin.calls_to("users.info")) == 1
    assert ChatUser.objects.get(user_id=USER).locale == "zh-TW"

    again = slack.command("unbind")  # now known: answered in the acknowledgement, no second lookup
    assert again.json()["blocks"][0]["text"]["text"] == "如何解除微信小程序与腾讯云的绑定"
    assert len(standin.calls_to("users.info")) == 1


def test_an_english_locale_gets_english(slack, standin):
    standin.locales[USER] = "en-GB"
    slack.command("解绑")
    posted = standin.wait_for("response_url")[0].payload
    assert posted["blocks"][0]["text"]["text"].startswith("How do I unbind")


def test_a_vague_question_offers_the_closest_entries(slack, zh_user):
    blocks = slack.command("小程序").json()["blocks"]
    assert_valid(blocks)
    topics = [a for a in action_ids(blocks) if a.startswith("topic:")]
    assert len(topics) == 3
    assert "case:open" in action_ids(blocks)
    assert wait_for_event(AnswerEvent.Kind.CHOICES)[0].question == "小程序"  # recorded apart from no answer


def test_an_unrelated_question_says_so_and_offers_topics(slack, zh_user):
    blocks = slack.command("报销流程").json()["blocks"]
    assert "没有找到" in all_text(blocks)
    assert len([a for a in action_ids(blocks) if a.startswith("topic:")]) == 5
    assert "case:open" in action_ids(blocks)
    wait_for_event(AnswerEvent.Kind.NO_MATCH)


def test_user_text_cannot_ping_or_forge_links(slack, zh_user):
    hostile = "解绑 <!channel> <!here> <@U999> <https://evil.example|click> &"
    blocks = slack.command(hostile).json()["blocks"]
    text = all_text(blocks)
    for forbidden in ("<!channel>", "<!here>", "<@U999>", "<https://evil.example|click>"):
        assert forbidden not in text
    assert "&lt;!channel&gt;" in text
    assert "&amp;" in text


def test_a_huge_question_still_gives_valid_blocks(slack, zh_user):
    blocks = slack.command("解绑 " + "很长的问题" * 600).json()["blocks"]
    assert_valid(blocks)
    assert all(len(e.get("value", "")) <= 2000 for b in blocks if b["type"] == "actions" for e in b["elements"])


def test_a_huge_entry_with_many_images_continues_in_follow_up_messages(slack, standin, zh_user):
    images = "\n\n".join(f"![图 {i}](https://img.example.com/{i}.png)" for i in range(200))
    body = ("很长的一段说明。" * 500 + "\n\n") * 7 + images
    Entry.objects.create(slug="huge", title_zh="超长条目" * 30, body_zh=body[:60_000], keywords_zh="超长条目")
    reply = slack.command("超长条目")
    first = reply.json()
    messages = [first] + [c.payload for c in standin.wait_for("response_url", 1)]
    import time

    time.sleep(0.5)
    messages = [first] + [c.payload for c in standin.calls_to("response_url")]
    assert standin.rejected == []
    for message in messages:
        assert_valid(message["blocks"])
    shown = [b["image_url"] for m in messages for b in m["blocks"] if b["type"] == "image"]
    assert shown == [f"https://img.example.com/{i}.png" for i in range(len(shown))]
    assert len(shown) >= 150
    assert len(first["blocks"][0]["text"]["text"]) <= 150
    assert "feedback:yes" in action_ids(messages[-1]["blocks"])


def test_the_authorization_exception_answer_offers_the_diagnosis(slack, zh_user):
    blocks = slack.command("授权异常").json()["blocks"]
    assert "diagnosis:start" in action_ids(blocks)


def test_admin_markdown_cannot_mention_anyone(slack, zh_user):
    Entry.objects.create(
        slug="sneaky",
        title_zh="危险条目",
        keywords_zh="危险条目",
        body_zh="<!channel> 请看 [链接](javascript:alert(1)) 和 <@U1>",
    )
    text = all_text(slack.command("危险条目").json()["blocks"])
    assert "<!channel>" not in text
    assert "<@U1>" not in text
    assert "javascript:" not in text.replace("[链接](javascript:alert(1))", "")


def test_answers_link_to_the_full_page_which_opens_for_whoever_got_it(slack, zh_user, settings, client):
    settings.WXBIND_BASE_URL = "https://wxbind.example.com"
    blocks = slack.command("解绑").json()["blocks"]
    (url,) = [e.get("url") for b in blocks if b["type"] == "actions" for e in b["elements"] if e.get("url")]
    assert url.startswith("https://wxbind.example.com/faq/unbind/?t=")
    assert client.get(url.removeprefix("https://wxbind.example.com")).status_code == 200  # no account needed


def test_the_ack_payload_is_json_with_fallback_text(slack, zh_user):
    data = json.loads(slack.command("解绑").body)
    assert data["text"].startswith("如何解除")


@pytest.mark.parametrize(
    "text",
    [
        "case study of binding",
        "工单 怎么提交",
        "case abc",
        "cases please",
        "case -1",
        "工单 1001 x",
        "case 99999999999",
    ],
)
def test_text_that_only_starts_like_a_case_command_is_answered_as_a_question(slack, zh_user, text):
    reply = slack.command(text)
    assert reply.status == 200
    data = reply.json()  # answered in the acknowledgement, never an empty one
    assert_valid(data["blocks"])
    assert "case:open" in action_ids(data["blocks"]) or any(a.startswith("topic:") for a in action_ids(data["blocks"]))
    assert wait_for_event(AnswerEvent.Kind.NO_MATCH, AnswerEvent.Kind.CHOICES, AnswerEvent.Kind.SHOWN)


@pytest.mark.parametrize(
    "text",
    ["<!channel> 解绑", "解绑 <@U0ADMIN> <!here>", "<https://evil.example|官方> 怎么解绑", "公众号菜单 <!everyone>"],
)
def test_pings_and_links_a_user_types_stay_text_everywhere_slack_renders(slack, zh_user, text):
    texts = rendered_texts(slack.command(text).json())
    for markup in ("<!channel>", "<!here>", "<@U0ADMIN>", "<https://evil", "<!everyone>"):
        assert not [shown for shown in texts if markup in shown], markup
    assert any("&lt;" in shown for shown in texts)  # said back, escaped


def test_a_staff_title_with_markup_stays_text_in_the_fallback(slack, zh_user):
    from faq.models import Entry

    entry = Entry.objects.get(slug="unbind")
    entry.title_zh = "解绑 <!channel> <javascript:alert(1)|点我>"
    entry.save()
    data = slack.command("解绑").json()
    assert data["text"].startswith("解绑 &lt;!channel&gt; &lt;javascript:alert(1)|点我&gt;")
