"""Block Kit drawn as HTML for staff: the bot's real messages and modal, with nothing from the text able to
become markup, a mention or a link that mrkdwn did not make."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faq.answers import answer_question
from faq.languages import Language
from supportbot.conversation import dispatch
from supportbot.conversation.replies import CasePrefill
from supportbot.slack import blocks, html, payloads
from tests.supportbot.trybot.conftest import slack_buttons


def test_mrkdwn_formatting_becomes_html():
    assert html.mrkdwn("*绑定* 与 _unbind_ ~old~") == "<strong>绑定</strong> 与 <em>unbind</em> <s>old</s>"
    assert html.mrkdwn("`wx0123` and ```a\nb```") == (
        '<code class="sk-code">wx0123</code> and <pre class="sk-pre">a\nb</pre>'
    )
    assert html.mrkdwn("> quoted\nplain") == '<blockquote class="sk-quote">quoted</blockquote>plain'
    assert html.mrkdwn("one\ntwo") == "one<br>two"
    assert html.mrkdwn(":warning: 注意 :unknown_code:") == "⚠️ 注意 :unknown_code:"


def test_links_and_mentions_are_drawn_and_only_web_links_are_links():
    drawn = html.mrkdwn("<https://cloud.tencent.com/a_b_c|控制台> <@U123> <!here> <javascript:alert(1)|x>")
    assert '<a class="sk-link" href="https://cloud.tencent.com/a_b_c"' in drawn
    assert ">控制台</a>" in drawn
    assert '<span class="sk-mention">@U123</span>' in drawn
    assert '<span class="sk-mention">@here</span>' in drawn
    assert "javascript:" in drawn
    assert 'href="javascript' not in drawn


def test_escaped_text_stays_text():
    # The bot escapes what people typed (&lt;script&gt;); it must come out as text, never as a tag.
    drawn = html.mrkdwn("&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt; \ue0000\ue001")
    assert "<script>" not in drawn
    assert "&lt;script&gt;" in drawn
    assert "&amp;lt;" in drawn
    assert "\ue000" not in drawn


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&\"'*_~`|@!#:/ah\n\ue000\ue001")), max_size=60))
def test_no_text_makes_a_tag_of_its_own(text):
    drawn = html.mrkdwn(text)
    allowed = (
        "<strong>",
        "</strong>",
        "<em>",
        "</em>",
        "<s>",
        "</s>",
        "<br>",
        "<code ",
        "</code>",
        "<pre ",
        "</pre>",
        "<blockquote ",
        "</blockquote>",
        "<span ",
        "</span>",
        "<a ",
        "</a>",
    )
    position = drawn.find("<")
    while position != -1:
        assert drawn.startswith(allowed, position), drawn
        position = drawn.find("<", position + 1)
    assert 'href="javascript' not in drawn.lower()


@pytest.mark.django_db
def test_every_block_of_a_real_answer_is_drawn_and_its_buttons_decode(faq_content):
    found = answer_question(question="小程序授权异常怎么办", language=Language.ZH)
    messages = blocks.render(dispatch.reply_for(found))
    drawn = "".join(html.message(message.blocks) for message in messages)
    assert "sk-unknown" not in drawn
    assert 'class="sk-header"' in drawn
    buttons = slack_buttons(drawn)
    assert buttons
    for button in buttons:  # each goes back to the core as the same action Slack would send
        assert payloads.decode({"action_id": button["action_id"], "value": button["value"]}) is not None


def test_the_case_modal_is_drawn_with_its_inputs_and_metadata():
    form = dispatch.case_form(CasePrefill(Language.EN, topic="auth-exception", question="why <b>?"))
    drawn = html.modal(blocks.case_modal(form))
    for name in dispatch.FORM_FIELDS:
        assert f'data-block-id="{name}"' in drawn
    assert 'name="description"' in drawn
    assert "<textarea" in drawn
    assert "<select" in drawn
    assert 'value="main"' in drawn
    assert "why &lt;b&gt;" in drawn or "why &amp;lt;b&amp;gt;" in drawn
    assert "<b>" not in drawn
    assert 'data-private-metadata="' in drawn
