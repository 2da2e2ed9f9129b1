import pytest

from faq.languages import Language
from supportbot.conversation.grammar import Intent, choose_language, parse_command


@pytest.mark.parametrize(
    ("text", "intent", "number"),
    [
        ("", Intent.HELP, None),
        ("help", Intent.HELP, None),
        ("帮助", Intent.HELP, None),
        ("diagnose", Intent.DIAGNOSE, None),
        ("排查", Intent.DIAGNOSE, None),
        ("cases", Intent.MY_CASES, None),
        ("我的工单", Intent.MY_CASES, None),
        ("case", Intent.NEW_CASE, None),
        ("工单", Intent.NEW_CASE, None),
        ("case 1042", Intent.SHOW_CASE, 1042),
        ("工单 #1042", Intent.SHOW_CASE, 1042),
        ("en case 1042", Intent.SHOW_CASE, 1042),
    ],
)
def test_commands(text, intent, number):
    command = parse_command(text)
    assert (command.intent, command.case_number) == (intent, number)


@pytest.mark.parametrize(
    "text",
    [
        "case study of binding",
        "工单 怎么提交",
        "case abc",
        "case -1",
        "工单 1001 x",
        "cases please",
        "case ١٢٣",  # digits, but not ASCII ones
        "case 99999999999999999999",
    ],
)
def test_anything_that_is_not_a_valid_command_is_a_question(text):
    command = parse_command(text)
    assert command.intent is Intent.QUESTION
    assert command.question == text


def test_a_language_word_first_chooses_the_answer_language():
    command = parse_command("zh how do I unbind")
    assert (command.language, command.question) == (Language.ZH, "how do I unbind")
    assert choose_language(explicit=None, locale="zh-TW") is Language.ZH
    assert choose_language(explicit=None, locale=None, question="怎么解绑") is Language.ZH
    assert choose_language(explicit=Language.EN, locale="zh-CN") is Language.EN


def test_nul_characters_are_no_part_of_a_command():
    command = parse_command("解绑\x00小程序\x00")
    assert command.question == "解绑 小程序"
