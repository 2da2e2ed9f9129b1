import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("wxbind", *args, stdout=out)
    return out.getvalue()


def test_prints_the_answer_in_the_questions_language(faq_content):
    text = run("怎么解绑小程序")
    assert text.startswith("如何解除微信小程序与腾讯云的绑定")
    assert "1. 打开腾讯云账号中心 <https://console.cloud.tencent.com/developer>" in text
    assert "⚠ 注意" in text


def test_lang_switches_the_answer_language(faq_content):
    text = run("怎么解绑小程序", "--lang", "en")
    assert text.startswith("How do I unbind")
    assert "[Image: The Unbind button" in text


def test_json_prints_the_search_result(faq_content):
    data = json.loads(run("unbind", "--json", "--lang", "en"))
    assert data["best"] == "unbind"
    assert data["results"][0]["title"].startswith("How do I unbind")


def test_a_vague_question_offers_choices(faq_content):
    text = run("小程序")
    assert text.startswith("我不确定你问的是哪一个")
    assert "[second-miniprogram]" in text


def test_an_unrelated_question_lists_the_topics(faq_content):
    text = run("what's the weather in Shenzhen")
    assert text.startswith("I found no answer to that")
    for slug in ("bind", "unbind", "second-miniprogram", "reauthorize", "auth-exception"):
        assert f"[{slug}]" in text


def test_a_topic_name_opens_that_entry(faq_content):
    assert run("second-miniprogram", "--lang", "en").startswith("My Tencent Cloud account was registered")


@pytest.mark.parametrize("question", ["", "   ", "x" * 501])
def test_empty_or_huge_questions_are_refused(faq_content, question):
    with pytest.raises(CommandError):
        run(question)


def test_migrate_then_import_gives_a_usable_faq(db):
    call_command("import_faq", stdout=io.StringIO())
    assert json.loads(run("解绑", "--json"))["best"] == "unbind"


def test_the_command_reads_what_people_type_with_the_chat_grammar(faq_content):
    assert run("help").startswith("I answer questions")
    assert "[auth-exception]" in run("zh help")
    assert run("en diagnose").splitlines()[1] == "Step 1 of 4"
    assert run("case").startswith("Open a case from chat")
    # Not valid case commands: answered as questions, as in chat.
    for text in ["case study of binding", "case abc", "工单 怎么提交"]:
        assert not run(text).startswith(("Open a case", "在聊天中输入")), text
