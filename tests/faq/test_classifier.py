"""The example questions' model on its own: trained on a handful of questions, no database."""

import pytest

from faq.classifier import OFF_TOPIC, SOLVER, Example, QuestionClassifier, character_ngrams, exact_form


def features(question: str):
    words = question.lower().replace("?", " ").split()
    return words, character_ngrams(question)


EXAMPLES = [
    Example("how do I unbind the mini program", "unbind"),
    Example("remove the mini program from our cloud account", "unbind"),
    Example("disconnect our mini program please", "unbind"),
    Example("how do I bind a mini program", "bind"),
    Example("link the mini program to the cloud account", "bind"),
    Example("connect our mini program to the cloud", "bind"),
    Example("how do I set up the official account menu", OFF_TOPIC),
    Example("refund for a cloud server order", OFF_TOPIC),
    Example("open WeChat Pay for the mini program", OFF_TOPIC),
]


@pytest.fixture(scope="module")
def model() -> QuestionClassifier:
    return QuestionClassifier.train(EXAMPLES, features)


def likeliest(model: QuestionClassifier, question: str) -> str:
    likely = model.probabilities(features(question))
    return max(likely, key=likely.__getitem__)


def test_probabilities_cover_every_label_and_sum_to_one(model):
    likely = model.probabilities(features("unbind it"))
    assert set(likely) == {"bind", "unbind", OFF_TOPIC}
    assert sum(likely.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("please disconnect the mini program", "unbind"),
        ("how to link a mini program", "bind"),
        ("WeChat Pay refund", OFF_TOPIC),
    ],
)
def test_questions_it_never_saw_go_where_their_words_point(model, question, label):
    assert likeliest(model, question) == label


def test_inference_matches_scikit_learn_exactly():
    """Answering uses a hand-written product for speed; it must agree with the model it was taken from."""
    import scipy.sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    described = [features(e.question) for e in EXAMPLES]
    vectorizers = [TfidfVectorizer(analyzer=lambda blocks, b=b: blocks[b], sublinear_tf=True) for b in range(2)]
    matrix = scipy.sparse.hstack([v.fit_transform(described) for v in vectorizers]).tocsr()
    reference = LogisticRegression(C=10.0, **SOLVER)
    reference.fit(matrix, [e.slug for e in EXAMPLES])
    ours = QuestionClassifier.train(EXAMPLES, features, regularization=10.0)
    question = features("how to disconnect or link the mini program menu")
    wanted = reference.predict_proba(scipy.sparse.hstack([v.transform([question]) for v in vectorizers]).tocsr())[0]
    got = ours.probabilities(question)
    assert [got[label] for label in reference.classes_] == pytest.approx(wanted.tolist(), abs=1e-5)


def test_a_question_with_no_known_feature_gets_the_prior_whatever_it_says(model):
    assert model.probabilities(([], [])) == model.probabilities((["zzz"], ["#zzz"]))


def test_filed_questions_are_recognised_whatever_the_case_width_or_script():
    model = QuestionClassifier.train(
        [*EXAMPLES, Example("帳號中心在哪裡", "bind"), Example("账号中心在哪里", "bind")], features
    )
    assert model.filed_answer("HOW DO I UNBIND THE MINI PROGRAM?") == "unbind"
    assert model.filed_answer("ｈｏｗ ｄｏ ｉ ｂｉｎｄ ａ ｍｉｎｉ ｐｒｏｇｒａｍ") == "bind"
    assert model.filed_answer("账号中心在哪里？") == "bind"
    assert model.filed_answer("Open WeChat Pay for the mini program") == OFF_TOPIC
    assert model.filed_answer("how do I unbind the mini program now") is None
    assert exact_form("帳號 中心？") == exact_form("账号中心")
    # An alias taught from a question lost its commas; the next asker types them.
    assert exact_form("请问 小程序的云开发环境，如何迁移?") == exact_form("请问 小程序的云开发环境 如何迁移？")
    assert exact_form("how do I unbind, then rebind") != exact_form("how do I unbind")


def test_two_labels_are_enough_and_one_is_not():
    two = QuestionClassifier.train([e for e in EXAMPLES if e.slug != OFF_TOPIC], features)
    assert likeliest(two, "disconnect it") == "unbind"
    assert likeliest(two, "link it") == "bind"
    assert QuestionClassifier.train([e for e in EXAMPLES if e.slug == "bind"], features) is None
    assert QuestionClassifier.train([], features) is None


def test_a_label_with_a_single_example_is_not_learned_but_its_question_is_filed():
    model = QuestionClassifier.train([*EXAMPLES, Example("how do I rename a sub-user", "rename")], features)
    assert "rename" not in model.labels
    assert model.filed_answer("how do I rename a sub-user") == "rename"


def test_it_says_which_features_it_has_seen(model):
    assert model.has_seen("disconnect")
    assert not model.has_seen("掰开")


def test_it_counts_the_examples_that_had_a_feature(model):
    assert model.examples_with("mini") == 7  # each example with the word, once however often it says it
    assert model.examples_with("disconnect") == 1
    assert model.examples_with("#disc") == 1  # character n-grams count too
    assert model.examples_with("掰开") == 0
