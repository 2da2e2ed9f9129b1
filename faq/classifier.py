"""Which entry a whole question is about, learned from example questions staff keep.

Words alone rank entries well but cannot tell "how do I delete a sub-user"
(not in this FAQ) from "how do I add a sub-user for a second mini program"
(in it): both say sub-user, and neither says much else the FAQ has. Example
questions can: every entry keeps questions people asked about it, and the
FAQ keeps questions it does not answer (near-domain ones above all: WeChat
Pay, CDN domains, official-account menus). A logistic regression over them
learns which words point where, and which point away.

A question is described by what search read in it (the synonym groups it
mentions, the index terms of its other words, the aliases it says) and by
its character n-grams, which carry typos, inflections and Chinese words the
segmenter splits differently. Training uses scikit-learn; answering is a
dictionary look-up and one small matrix product, well under a millisecond.

A question staff filed as an example is answered as filed, exactly: that is
how a wrong answer is taught away on the next query.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from faq import tokenize

# What the classifier calls a question no entry answers.
OFF_TOPIC = ""
# Regularization of the logistic regression, chosen by cross-validation over
# the shipped examples (what `make eval` reports for them).
REGULARIZATION = 20.0
# Newton-CG converges in a few steps where saga, a first-order method, needs thousands at this regularization.
SOLVER = {"solver": "newton-cg", "tol": 1e-3, "max_iter": 200, "random_state": 0}
_NGRAMS = (1, 4)
_MIN_EXAMPLES = 2


@dataclass(frozen=True)
class Example:
    question: str
    slug: str  # OFF_TOPIC for a question the FAQ does not answer
    weight: float = 1.0  # how much it counts in training, beside a question people asked


def exact_form(question: str) -> str:
    """The form under which a question matches an example word for word: case, width, script, spacing and
    punctuation folded. An alias taught from a question keeps its words but not its commas (they separate
    aliases), and the next asker's commas must not make it another question."""
    return "".join(c for c in tokenize.normalize(question) if not c.isspace() and not _is_punctuation(c))


def _is_punctuation(character: str) -> bool:
    return unicodedata.category(character).startswith("P") or character in "~～"


def character_ngrams(question: str) -> list[str]:
    """Character n-grams within each word, with word edges marked (as "char_wb" does)."""
    grams: list[str] = []
    for word in tokenize.normalize(question).split():
        grams += _word_ngrams(word)
    return grams


@functools.lru_cache(maxsize=100_000)
def _word_ngrams(word: str) -> tuple[str, ...]:
    # Words recur across questions: thousands of examples are read at every build.
    low, high = _NGRAMS
    padded = f" {word} "
    return tuple(f"#{padded[i : i + n]}" for n in range(low, high + 1) for i in range(len(padded) - n + 1))


Features = tuple[list[str], ...]  # blocks of features (what search read, n-grams), each scaled to unit length


@dataclass(frozen=True)
class _Block:
    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray  # features × labels, for row look-ups
    examples: np.ndarray  # per feature, how many examples have it

    def logits(self, features: list[str]) -> np.ndarray | None:
        counts = Counter(term for term in features if term in self.vocabulary)
        if not counts:
            return None
        columns = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
        # Sublinear term frequency times idf, then unit length: what TfidfVectorizer computes.
        values = np.fromiter((1 + math.log(c) for c in counts.values()), dtype=np.float32, count=len(counts))
        values *= self.idf[columns]
        values /= np.linalg.norm(values)
        return values @ self.weights[columns]


class QuestionClassifier:
    """A trained model: probabilities over entries (by slug) and OFF_TOPIC for a question's features."""

    def __init__(self, *, blocks: list[_Block], intercepts: np.ndarray, labels: list[str], answers: dict) -> None:
        self._blocks = blocks
        self._intercepts = intercepts
        self.labels = labels
        self._answers = answers

    @classmethod
    def train(
        cls, examples: Iterable[Example], features: Callable[[str], Features], *, regularization: float | None = None
    ) -> QuestionClassifier | None:
        """A classifier over ``examples``, or None when they do not name two kinds of answer to tell apart."""
        import scipy.sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = list(examples)
        counts = Counter(example.slug for example in examples)
        usable = [e for e in examples if counts[e.slug] >= _MIN_EXAMPLES]
        if len({e.slug for e in usable}) < 2:
            return None
        described = [features(e.question) for e in usable]
        vectorizers = [
            TfidfVectorizer(analyzer=lambda blocks, b=b: blocks[b], sublinear_tf=True) for b in range(len(described[0]))
        ]
        fitted = [v.fit_transform(described) for v in vectorizers]
        matrix = scipy.sparse.hstack(fitted).tocsr()
        model = LogisticRegression(C=regularization or REGULARIZATION, **SOLVER)
        model.fit(matrix, [e.slug for e in usable], sample_weight=[e.weight for e in usable])
        weights, intercepts = model.coef_, model.intercept_
        if weights.shape[0] == 1:  # a binary model keeps one row: the second label's log-odds
            weights = np.vstack([np.zeros_like(weights[0]), weights[0]])
            intercepts = np.array([0.0, intercepts[0]])
        blocks, offset = [], 0
        for vectorizer, block_matrix in zip(vectorizers, fitted, strict=True):
            width = len(vectorizer.vocabulary_)
            blocks.append(
                _Block(
                    vocabulary={term: int(column) for term, column in vectorizer.vocabulary_.items()},
                    idf=vectorizer.idf_.astype(np.float32),
                    weights=np.ascontiguousarray(weights[:, offset : offset + width].T, dtype=np.float32),
                    examples=np.diff(block_matrix.tocsc().indptr).astype(np.int32),
                )
            )
            offset += width
        answers: dict[str, str] = {}
        for example in examples:
            answers.setdefault(exact_form(example.question), example.slug)
        return cls(
            blocks=blocks, intercepts=intercepts.astype(np.float32), labels=list(model.classes_), answers=answers
        )

    def has_seen(self, feature: str) -> bool:
        """Whether any example had this feature: the model can only weigh what it has seen."""
        return any(feature in block.vocabulary for block in self._blocks)

    def examples_with(self, feature: str) -> int:
        """How many examples had this feature: one example teaches the model little about it."""
        return max((int(b.examples[b.vocabulary[feature]]) for b in self._blocks if feature in b.vocabulary), default=0)

    def filed_answer(self, question: str) -> str | None:
        """The answer a staff member filed for exactly this question (a slug or OFF_TOPIC), if any."""
        return self._answers.get(exact_form(question))

    def probabilities(self, features: Features) -> dict[str, float]:
        """Each label's probability for a question with these features (as ``features`` gave in training)."""
        logits = self._intercepts.copy()
        for block, block_features in zip(self._blocks, features, strict=True):
            found = block.logits(block_features)
            if found is not None:
                logits += found
        logits -= logits.max()
        odds = np.exp(logits)
        odds /= odds.sum()
        return dict(zip(self.labels, odds.tolist(), strict=True))
