"""Judging search against questions with known acceptable answers.

An evaluation file is a JSON list of ``{"q": question, "ok": [slug, ...],
"lang": "zh" | "zh-Hant" | "en" | "mixed"}``; ``"ok": [null]`` means no
entry answers it and search must not answer confidently. Used by
``eval/search_eval.py`` (``make eval``) and by the tests.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from faq.classifier import OFF_TOPIC, Example
from faq.engine import SearchIndex, SearchResult
from faq.languages import Language


@dataclass(frozen=True)
class Question:
    text: str
    acceptable: tuple[str | None, ...]
    language: str

    @property
    def is_related(self) -> bool:
        """An entry answers it (as opposed to an unrelated or near-domain question)."""
        return self.acceptable != (None,)


@dataclass
class Tally:
    questions: int = 0
    related: int = 0
    correct: int = 0  # best answer acceptable (for an unrelated question: no best answer)
    ranked_first: int = 0  # related questions whose first result is acceptable, confident or not
    wrong_entry: int = 0  # related questions answered confidently with an entry that does not answer them
    unrelated_answered: int = 0  # unrelated questions answered confidently
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.questions if self.questions else 0.0

    @property
    def wrong_entry_rate(self) -> float:
        return self.wrong_entry / self.related if self.related else 0.0

    def merge(self, other: Tally) -> None:
        for name in ("questions", "related", "correct", "ranked_first", "wrong_entry", "unrelated_answered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)

    def add(self, question: Question, result: SearchResult) -> None:
        best = result.best.slug if result.best else None
        first = result.hits[0].slug if result.hits else None
        self.questions += 1
        self.related += question.is_related
        if best in question.acceptable:
            self.correct += 1
        elif best is not None:
            if question.is_related:
                self.wrong_entry += 1
            else:
                self.unrelated_answered += 1
        if question.is_related and first in question.acceptable:
            self.ranked_first += 1
        if best not in question.acceptable:
            self.failures.append(f"{question.text!r}: answered {best}, acceptable {list(question.acceptable)}")


def load(path: Path) -> list[Question]:
    cases = json.loads(path.read_text(encoding="utf-8"))
    return [
        Question(
            text=case["q"],
            acceptable=tuple(case["ok"]),
            language=case.get("lang") or Language.of_text(case["q"]).value,
        )
        for case in cases
    ]


def evaluate(questions: Iterable[Question], search: Callable[[str], SearchResult]) -> dict[str, Tally]:
    """Tallies per language, and over all questions under ``"all"``."""
    tallies: dict[str, Tally] = {"all": Tally()}
    for question in questions:
        result = search(question.text)
        tallies.setdefault(question.language, Tally()).add(question, result)
        tallies["all"].add(question, result)
    return tallies


def as_examples(questions: Iterable[Question]) -> list[Example]:
    """Questions as example questions for search to learn from: one per acceptable answer."""
    return [Example(q.text, slug or OFF_TOPIC) for q in questions for slug in q.acceptable]


def cross_validate(
    questions: list[Question], build: Callable[[list[Example]], SearchIndex], *, folds: int = 5, seed: int = 0
) -> dict[str, Tally]:
    """Tallies for example questions, each answered by an index whose examples leave it (and its fold) out.

    Search answers a question filed as an example as filed, so asking the
    examples of the index itself would measure nothing; ``build`` makes an
    index from the other folds' examples.
    """
    order = list(range(len(questions)))
    random.Random(seed).shuffle(order)
    tallies: dict[str, Tally] = {}
    for fold in range(folds):
        held = set(order[fold::folds])
        index = build(as_examples(q for i, q in enumerate(questions) if i not in held))
        for language, tally in evaluate([questions[i] for i in sorted(held)], index.search).items():
            tallies.setdefault(language, Tally()).merge(tally)
    return tallies
