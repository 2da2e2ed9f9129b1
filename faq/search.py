"""The search every front end asks, over this process's index of the published FAQ.

The engine itself (reading questions, ranking, confidence) is ``faq.engine``;
this module keeps one index per process, rebuilt when the FAQ or its
synonyms change (``faq.freshness``), and a cache for results that stay valid
until then.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from dataclasses import dataclass, field

from django.db import connection

from faq import selectors, services
from faq.classifier import Example, QuestionClassifier
from faq.engine import DEFAULT_LIMIT, Reading, SearchIndex, SearchResult
from faq.freshness import watch
from faq.models import IndexGeneration


class IndexHolder:
    """The process's current index, rebuilt when the FAQ generation moves on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._index: SearchIndex | None = None
        self._memo = BuildMemo()
        # An index read inside an open transaction may hold changes that are
        # later rolled back, so it is verified again on the next query.
        self._verified_outside_transaction = False

    def current(self) -> SearchIndex:
        return self._refresh()[1]

    def generation(self) -> str:
        """The FAQ generation this process's index reflects, checked for freshness first."""
        return self._refresh()[0]

    def _refresh(self) -> tuple[str, SearchIndex]:
        watch.ensure_started()
        changed = watch.take_change()
        index, generation = self._index, self._generation
        if index is not None and not changed and self._verified_outside_transaction:
            return generation, index
        latest = IndexGeneration.current()
        with self._lock:
            if self._index is None or latest != self._generation:
                self._index, self._memo = build_index(self._memo)
                self._generation = latest
            self._verified_outside_transaction = not connection.in_atomic_block
            return self._generation, self._index

    def clear(self) -> None:
        with self._lock:
            self._index = None
            self._generation = None
            self._memo = BuildMemo()


@dataclass
class BuildMemo:
    """What one build leaves for the next: parsed terms per entry, and the examples' model with what it learned from."""

    terms: dict = field(default_factory=dict)
    learned_from: tuple | None = None
    classifier: QuestionClassifier | None = None


def build_index(memo: BuildMemo | None = None) -> tuple[SearchIndex, BuildMemo]:
    """A fresh index over the published FAQ, reusing from ``memo`` what has not changed.

    The examples' model is trained again only when the examples or synonyms
    change, not after every entry edit: it reads questions, not entries, and
    the entries' words shift what it reads only at the margins.
    """
    memo = memo or BuildMemo()
    with _collector_paused():
        entries, terms, stale = selectors.entries_for_index(memo.terms)
        if stale:
            # Terms stored by an older pipeline are recomputed once, then read as usual.
            services.search_terms_refresh(pks=stale)
            entries, terms, _ = selectors.entries_for_index(terms)
        synonyms, examples = selectors.synonym_groups(), selectors.example_questions()
        learned_from = (tuple(map(tuple, synonyms)), tuple(examples))
        reused = memo.classifier if learned_from == memo.learned_from else None
        index = SearchIndex(entries, synonyms, examples, trained=reused).prepare()
        return index, BuildMemo(terms=terms, learned_from=learned_from, classifier=index.classifier)


def index_learning_from(examples: list[Example]) -> SearchIndex:
    """An index over the published FAQ whose model learns from ``examples`` instead of the stored ones.

    For cross-validation (``faq.evaluation.cross_validate``): as in a real
    build, the titles and aliases of the entries they name count too.
    """
    entries, _, _ = selectors.entries_for_index()
    return SearchIndex(entries, selectors.synonym_groups(), selectors.with_entry_examples(examples)).prepare()


@contextlib.contextmanager
def _collector_paused():
    """Building allocates millions of acyclic objects; cyclic GC passes over them only cost time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_holder = IndexHolder()


def search(query: str, *, limit: int = DEFAULT_LIMIT) -> SearchResult:
    """Search the published FAQ as it is now in the database."""
    return _holder.current().search(query, limit=limit)


def search_explained(query: str, *, limit: int = DEFAULT_LIMIT) -> tuple[SearchResult, Reading]:
    """``search``, and how the question was read: the words that counted, synonyms and corrections."""
    return _holder.current().search_explained(query, limit=limit)


def reset_index() -> None:
    _holder.clear()


def current_generation() -> str:
    """A token that changes whenever the published FAQ does; cheap enough to call per request."""
    return _holder.generation()


def _generation_today() -> tuple:
    return current_generation(), int(time.time() // 86400)


class GenerationCache:
    """A bounded memo of results that stay valid until the FAQ changes, and for a day at most.

    The day bound keeps anything dated inside a reply fresh: a "read the full
    answer" link is signed when the reply is made, and expires days later.
    """

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._generation: tuple | None = None
        self._values: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        """The value kept for ``key`` in the current generation, or None."""
        generation = _generation_today()
        values = self._values
        return values.get(key) if generation == self._generation else None

    def get_or_compute(self, key, compute, *, keep_none: bool = True):
        """The value for ``key``; ``keep_none=False`` for answers like "not known yet" that may change."""
        generation = _generation_today()
        with self._lock:
            if generation != self._generation:
                self._values = {}
                self._generation = generation
            if key in self._values:
                return self._values[key]
        value = compute()
        if value is None and not keep_none:
            return value
        with self._lock:
            if generation == self._generation:
                if len(self._values) >= self.maxsize:
                    self._values.pop(next(iter(self._values)))
                self._values[key] = value
        return value
