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
