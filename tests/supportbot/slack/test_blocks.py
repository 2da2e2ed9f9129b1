"""Every builder gives valid Block Kit whatever the content."""

import dataclasses
import json

import pytest

from faq.answers import Answer, AnswerKind, Topic
from faq.document import parse
from faq.engine import Hit, SearchResult
from faq.languages import Language
from faq.models import Entry
from supportbot.conversation.dispatch import help_reply, reply_for
from supportbot.conversation.replies import Notice
from supportbot.conversation.wording import say
from supportbot.slack import blocks, payloads
from supportbot.slack.mrkdwn import escape, split
from tests.slack_standin import block_problems


def answer_for(entry: Entry, question: str = "q", **changes):
    """The core's reply for an answer with this entry, as a front end gets it."""
    return reply_for(
        Answer(question, Language.ZH, AnswerKind.ANSWER, SearchResult(question, (), None), entry, **changes)
    )


def entry(**fields) -> Entry:
    return Entry(**{"slug": "demo", "title_zh": "标题", "body_zh": "正文", **fields})


def valid(messages) -> None:
    for message in messages:
        problems = block_problems(message.blocks)
        assert not problems, problems


def test_escape_neutralises_mentions_and_links():
    assert escape("<!channel> <@U1> <https://x|y> a&b") == "&lt;!channel&gt; &lt;@U1&gt; &lt;https://x|y&gt; a&amp;b"


def test_split_never_cuts_inside_a_link_or_an_escape():
    text = ("&amp;" * 700) + " " + ("<https://example.com/a|label> " * 200)
    chunks = split(text, 3000)
    assert all(len(chunk) <= 3000 for chunk in chunks)
    joined = "".join(chunks)
    assert joined.count("<https://example.com/a|label>") == 200
    assert joined.count("&amp;") == 700


def test_a_line_longer_than_a_section_is_split():
    chunks = split("字" * 10_000, 3000)
    assert [len(c) for c in chunks] == [3000, 3000, 3000, 1000]


def test_a_30000_character_body_fits_in_valid_messages():
    body = "\n\n".join(f"{i}. " + "步骤说明 " * 400 for i in range(20))[:30_000]
    messages = blocks.answer_messages(answer_for(entry(body_zh=body)))
    valid(messages)
    shown = "".join(b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section")
    assert shown.count("步骤说明") >= body.count("步骤说明") - 2


def test_200_images_continue_over_messages_and_keep_their_order():
    body = "\n\n".join(f"![image {i}](https://img.example.com/{i}.png)" for i in range(200))
    messages = blocks.answer_messages(answer_for(entry(body_zh=body)))
    valid(messages)
    assert 1 < len(messages) <= blocks.MAX_MESSAGES
    urls = [b["image_url"] for m in messages for b in m.blocks if b["type"] == "image"]
    assert urls == [f"https://img.example.com/{i}.png" for i in range(200)]


def test_too_much_for_five_messages_ends_with_a_link_to_the_full_answer():
    body = "\n\n".join(f"![image {i}](https://img.example.com/{i}.png)" for i in range(400))
    reply = answer_for(entry(body_zh=body))
    messages = blocks.answer_messages(dataclasses.replace(reply, entry_url="https://wxbind.example.com/faq/demo/"))
    valid(messages)
    assert len(messages) == blocks.MAX_MESSAGES
    assert "<https://wxbind.example.com/faq/demo/|查看完整回答>" in json.dumps(messages[-1].blocks, ensure_ascii=False)
    assert "feedback:yes" in json.dumps(messages[-1].blocks)


def test_long_titles_and_alt_texts_are_cut_to_slacks_limits():
    long_title = "很长的标题" * 60
    alt = "说明" * 2000
    message = blocks.answer_messages(
        answer_for(entry(title_zh=long_title, body_zh=f"![{alt}](https://i.example.com/a.png)"))
    )[0]
    valid([message])
    assert len(message.blocks[0]["text"]["text"]) == 150
    alternatives = (Hit("x", long_title, long_title, 0.5),)
    choices = Answer(
        "q", Language.ZH, AnswerKind.CHOICES, SearchResult("q", alternatives, None), alternatives=alternatives
    )
    valid(blocks.render(reply_for(choices)))


def test_button_values_stay_under_2000_characters_with_any_question():
    value = payloads._value({"s": "unbind", "l": "zh", "q": "问" * 5000})
    assert len(value) <= 2000
    assert json.loads(value)["s"] == "unbind"


def test_a_3000_character_question_gives_valid_messages():
    valid(blocks.answer_messages(answer_for(entry(), question="问" * 3000)))


@pytest.mark.django_db
def test_help_with_many_topics_stays_within_limits():
    topics = tuple(Topic(f"t{i}", f"主题 {i}" * 20) for i in range(120))
    message = blocks.help_message(dataclasses.replace(help_reply(Language.EN), topics=topics))
    valid([message])
    buttons = [
        e
        for b in message.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("topic:")
    ]
    assert len(buttons) == blocks.MAX_TOPIC_BUTTONS


@pytest.mark.parametrize("key", ["case_none", "thanks_helpful", "stale_action", "unknown_topic"])
def test_notices_are_valid(key):
    notices = [Notice(language, say(key, language)) for language in Language]
    valid([blocks.notice_message(notice) for notice in notices])


def test_document_blocks_keep_links_and_drop_unsafe_ones():
    rendered = json.dumps(blocks.document_blocks(parse("[ok](https://a.example) [bad](javascript:x)")))
    assert "<https://a.example|ok>" in rendered
    assert "<javascript" not in rendered


def _relayed(text: str, files=()):
    from supportbot.conversation.replies import FileLink, PersonMention, RelayedMessage

    return RelayedMessage(
        language=Language.EN,
        author=PersonMention("teams", "6b1e7a4e", "Ada <!channel>"),
        header="Reporter {author} · case 1042",
        text=text,
        files=tuple(FileLink(*file) for file in files),
        files_label="Files:",
    )


def test_a_relayed_message_is_text_never_markup_and_its_files_are_links():
    hostile = "<!channel> see <https://evil.example|your bank> & *bold*"
    (message,) = blocks.render(_relayed(hostile, [("shot|1>.png", "https://example.com/a.png?x=<1>")]))
    assert block_problems(message.blocks) == []
    shown = json.dumps(message.blocks)
    assert "<!channel>" not in shown
    assert "<https://evil" not in shown
    assert escape(hostile) in shown
    assert "Ada &lt;!channel&gt;" in shown  # a name from another platform is text too
    assert "<https://example.com/a.png?x=%3C1%3E|" in shown
    assert "<!channel>" not in message.text


def test_a_long_relayed_message_is_split_never_cut():
    long = "长" * 9000
    (message,) = blocks.render(_relayed(long))
    assert block_problems(message.blocks) == []
    assert "".join(b["text"]["text"] for b in message.blocks if b["type"] == "section") == long


def test_the_survey_asks_with_five_buttons_and_a_comment_box():
    from cases.models import Case
    from supportbot.conversation.dispatch import satisfaction_survey

    (message,) = blocks.render(satisfaction_survey(Case(number=1042), language=Language.ZH))
    assert block_problems(message.blocks) == []
    (comment,) = [b for b in message.blocks if b["type"] == "input"]
    assert (comment["block_id"], comment["element"]["action_id"], comment["optional"]) == (
        blocks.SURVEY_BLOCK,
        "comment",
        True,
    )
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [payloads.decode(b).score for b in buttons] == [1, 2, 3, 4, 5]


def test_the_weekly_digest_is_valid_and_escapes_what_people_asked():
    from supportbot.conversation.replies import Digest, LinkButton

    digest = Digest(
        language=Language.EN,
        title="Support this week: 2026-11-16 to 2026-11-22",
        figures=tuple((f"Figure {n}", str(n)) for n in range(12)),
        unanswered_title="Top unanswered questions",
        unanswered=(("<!channel> 公众号菜单怎么设置 " + "长" * 400, 3),),
        teach=LinkButton("Teach the bot", "https://wxbind.example.org/admin/faq/unansweredquestion/"),
    )
    (message,) = blocks.render(digest)
    assert block_problems(message.blocks) == []
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert "<!channel>" not in shown
    assert sum(len(b.get("fields", [])) for b in message.blocks) == 12  # every figure, ten to a section
