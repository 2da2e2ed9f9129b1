from faq import tokenize
from faq.thesaurus import Thesaurus

GROUPS = [
    ["绑定", "关联", "绑", "bind", "link"],
    ["解绑", "解除绑定", "unbind", "disconnect", "remove the binding", "取消…关联"],
    ["公众号", "订阅号", "服务号", "official account"],
]


def mentions(text: str) -> list[tuple[str, list[str]]]:
    """(group label, the words each mention covers) for a question."""
    words = tokenize.words(text)
    found = Thesaurus(GROUPS).find(tokenize.phrase_units(text), words)
    return [(m.concept.label, [w.text for w in words if m.covers(w)]) for m in found]


def test_a_member_is_mentioned_only_as_whole_words():
    assert mentions("再绑一个小程序") == [("绑定", ["绑"])]
    # The 绑 inside 解绑 is part of another word: unbinding, not binding.
    assert mentions("怎么解绑") == [("解绑", ["解绑"])]


def test_members_in_either_language_mention_the_same_group():
    assert mentions("how do I disconnect it") == [("解绑", ["disconnect"])]
    assert mentions("我们关联的是订阅号") == [("绑定", ["关联"]), ("公众号", ["订阅号"])]


def test_the_longest_member_wins_and_filler_inside_a_phrase_is_ignored():
    assert mentions("please remove the binding") == [("解绑", ["remove", "the", "binding"][::2])]


def test_a_gapped_member_covers_its_two_halves_and_not_what_is_between():
    assert mentions("取消小程序和腾讯云的关联") == [("解绑", ["取消", "关联"])]
    assert mentions("关联小程序以后取消") == [("绑定", ["关联"])]  # halves in the wrong order


def test_a_gap_longer_than_a_clause_allows_is_no_mention():
    found = mentions("取消" + "小程序腾讯云账号中心里面" * 2 + "关联")
    assert ("解绑", ["取消", "关联"]) not in found


def test_aliases_fold_to_the_same_form_as_the_questions_that_say_them_differently():
    thesaurus = Thesaurus(GROUPS)
    assert thesaurus.normalize(tokenize.phrase_units("关联的是公众号")) == thesaurus.normalize(
        tokenize.phrase_units("绑的是服务号")
    )
