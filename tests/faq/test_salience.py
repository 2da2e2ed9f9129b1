from faq.salience import is_misspelt, salience


def test_question_words_weigh_nothing_in_either_language():
    for word in ["请问", "怎么", "哪些地方", "在一起"]:
        assert salience(word, chinese=True) == 0, word
    for word in ["hey", "quick", "anyone", "steps"]:
        assert salience(word, chinese=False) == 0, word


def test_everyday_words_weigh_less_than_the_words_that_carry_a_topic():
    assert 0 < salience("公司", chinese=True) < salience("解绑", chinese=True)
    assert 0 < salience("company", chinese=False) < salience("unbind", chinese=False)
    assert salience("disconnect", chinese=False) > salience("use", chinese=False)


def test_only_words_that_are_not_english_are_taken_for_typos():
    assert is_misspelt("tencnet")
    assert is_misspelt("acount")
    assert not is_misspelt("know")
    assert not is_misspelt("account")
