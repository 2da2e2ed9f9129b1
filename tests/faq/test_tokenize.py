from faq import tokenize


def test_traditional_chinese_folds_to_simplified():
    assert tokenize.terms("授權異常") == tokenize.terms("授权异常")


def test_variant_and_full_width_spellings_fold_together():
    assert tokenize.terms("帳號 ＡｐｐＩＤ") == tokenize.terms("账号 appid")


def test_product_words_stay_whole():
    terms = tokenize.terms("小程序怎么绑定腾讯云")
    assert "小程序" in terms
    assert "腾讯云" in terms


def test_question_words_are_dropped():
    assert tokenize.terms("怎么 如何 what is the") == []


def test_english_words_are_stemmed_so_forms_meet():
    assert tokenize.terms("cancelled permissions") == tokenize.terms("cancel permission")


def test_prefixed_hyphenation_is_one_word():
    assert tokenize.terms("re-authorize") == tokenize.terms("reauthorize")


def test_joined_product_names_split_like_spaced_ones():
    assert tokenize.terms("miniprogram") == tokenize.terms("mini program")


def test_alias_phrase_is_found_only_as_a_whole_run():
    phrase = tokenize.alias_terms("关联了公众号")[-1]
    assert tokenize.phrases_in("我关联了公众号怎么办", {phrase}) == [phrase]
    assert tokenize.phrases_in("公众号关联了", {phrase}) == []


def test_alias_phrase_ignores_english_filler_words():
    phrase = tokenize.alias_terms("link mini program")[-1]
    assert tokenize.phrases_in("how do I link my mini program", {phrase}) == [phrase]


def test_pipeline_version_is_stable():
    assert tokenize.pipeline_version() == tokenize.pipeline_version()
    assert len(tokenize.pipeline_version()) == 16


def test_words_come_once_each_with_the_spans_phrases_use():
    words = tokenize.words("小程序怎么解绑")
    assert [w.text for w in words] == ["小程序", "怎么", "解绑"]
    assert [(w.start, w.end) for w in words] == [(0, 3), (3, 5), (5, 7)]
    assert words[1].terms == ()  # a stopword takes its place but is no term


def test_a_story_before_the_question_is_marked_as_context():
    words = tokenize.words("项目下线了，要怎么解绑？")
    assert {w.text: w.asked for w in words if w.terms} == {"项目": False, "下线": False, "解绑": True}
    # With no clause that asks, everything is the question.
    assert all(w.asked for w in tokenize.words("项目下线了，解绑小程序"))


def test_quoted_words_are_marked():
    quoted = {w.text: w.quoted for w in tokenize.words("开发者工具报“授权异常”，点【关联】没用")}
    assert quoted["授权异常"]
    assert quoted["关联"]
    assert not quoted["开发者工具"]


def test_a_negation_stays_in_a_phrase():
    assert tokenize.phrase_units("no mini program linked") != tokenize.phrase_units("mini program linked")
    assert tokenize.phrase_units("没有关联小程序") == tokenize.phrase_units("没关联小程序")


def test_lists_staff_type_split_on_any_separator():
    typed = " 解绑，解除绑定、 unbind;\n\ndisconnect "
    assert tokenize.split_list(typed) == ["解绑", "解除绑定", "unbind", "disconnect"]
