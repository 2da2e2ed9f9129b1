"""Ranked FAQ search: the one function every front end asks.

Ranking is BM25 (bm25s) per field, with titles and admin keywords weighted
above bodies. Confidence is separate from rank: an entry is the ``best``
answer only when it accounts for most of the question's informative words
(idf-weighted coverage) and clearly leads the rest, so an unrelated question
gets no answer rather than a confident wrong one.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import math
import threading
from dataclasses import dataclass

import bm25s
import numpy as np
from django.db import connection
from rapidfuzz import process
from rapidfuzz.distance import OSA

from faq import tokenize
from faq.freshness import watch
from faq.languages import Language

# bm25s sets its own logger to DEBUG on import and would log every rebuild.
logging.getLogger("bm25s").setLevel(logging.WARNING)

FIELD_WEIGHTS = {"title": 2.0, "keywords": 3.0, "body": 1.0}
MAX_QUERY_CHARS = 500
DEFAULT_LIMIT = 5

# A best answer must account for this share of the question…
CONFIDENT_COVERAGE = 0.5
# …through words carrying at least this much information (in units of the
# rarest possible word), so that "腾讯云" alone answers nothing…
MIN_INFORMATION = 0.2
# …and the runner-up must score below this share of it, unless the matched
# words are informative enough to be decisive on their own.
CLOSE_RATIO = 0.8
DECISIVE_INFORMATION = 0.55
# Typo tolerance for Latin words not in the index: edits allowed by length.
_TYPO_EDITS = ((8, 2), (4, 1))


@dataclass(frozen=True)
class IndexedEntry:
    slug: str
    title_zh: str
    title_en: str
    terms: dict  # field name -> list of terms

    def title(self, language: Language) -> str:
        return language.pick(self.title_zh, self.title_en)


@dataclass(frozen=True)
class Hit:
    slug: str
    title_zh: str
    title_en: str
    score: float

    def title(self, language: Language) -> str:
        return language.pick(self.title_zh, self.title_en)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    best: Hit | None
    corrections: tuple[tuple[str, str], ...] = ()

    @property
    def is_close_call(self) -> bool:
        """Two entries fit about equally well; a front end should offer both."""
        return len(self.hits) > 1 and self.hits[1].score >= CLOSE_RATIO * self.hits[0].score

    def as_dict(self, language: Language) -> dict:
        return {
            "query": self.query,
            "best": self.best.slug if self.best else None,
            "results": [{"slug": h.slug, "title": h.title(language), "score": h.score} for h in self.hits],
        }


def pack_terms(terms: dict[str, list[str]]) -> str:
    """Stored form of an entry's terms: one line per field, terms separated by spaces."""
    return "\n".join(" ".join(terms.get(field, ())) for field in FIELD_WEIGHTS)


def unpack_terms(text: str) -> dict[str, list[str]]:
    lines = text.split("\n")
    return {field: (lines[i].split() if i < len(lines) else []) for i, field in enumerate(FIELD_WEIGHTS)}


class SearchIndex:
    """An immutable in-memory index over a snapshot of published entries."""

    def __init__(self, entries: list[IndexedEntry]) -> None:
        self.entries = entries
        self.size = len(entries)
        self._fields = [
            (index, FIELD_WEIGHTS[name])
            for name in FIELD_WEIGHTS
            if (index := self._field_index(entries, name)) is not None
        ]
        # A term's document frequency is its largest per-field frequency: the
        # exact union would double rebuild time, and differs only for terms
        # spread over different fields of different entries.
        self._document_frequency: dict[str, int] = {}
        for index, _ in self._fields:
            per_term = np.diff(index.scores["indptr"])
            for term, term_id in index.vocab_dict.items():
                if term and per_term[term_id] > self._document_frequency.get(term, 0):
                    self._document_frequency[term] = int(per_term[term_id])
        phrases = [t for t in self._document_frequency if t.startswith(tokenize.PHRASE_MARK)]
        self._phrase_prefixes = tokenize.phrase_prefixes(phrases)
        self._latin_vocabulary = sorted(
            t for t in self._document_frequency if tokenize.is_latin(t) and len(t) >= 3 and t[0] != tokenize.PHRASE_MARK
        )
        self._max_idf = self.idf("")
        self._corrections: dict[str, str | None] = {}

    @staticmethod
    def _field_index(entries: list[IndexedEntry], name: str) -> bm25s.BM25 | None:
        corpus = [entry.terms.get(name, []) for entry in entries]
        if not any(corpus):
            return None
        index = bm25s.BM25()
        index.index(corpus, show_progress=False)
        return index

    def idf(self, term: str) -> float:
        """Inverse document frequency; an unknown term gets the highest value."""
        frequency = self._document_frequency.get(term, 0)
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))

    def _accumulate(self, term: str, raw: np.ndarray) -> np.ndarray:
        """Add the term's weighted BM25 scores to ``raw``; return which entries contain it."""
        hit = np.zeros(self.size, dtype=bool)
        for index, weight in self._fields:
            term_id = index.vocab_dict.get(term)
            if term_id is None:
                continue
            # bm25s keeps every term's precomputed scores as a CSC column;
            # reading the column directly avoids a dense pass per field.
            scores = index.scores
            start, end = scores["indptr"][term_id], scores["indptr"][term_id + 1]
            entries = scores["indices"][start:end]
            raw[entries] += weight * scores["data"][start:end]
            hit[entries] = True
        return hit

    def _correct(self, term: str) -> str | None:
        """The indexed word a mistyped Latin word most likely meant, if any."""
        if term in self._corrections:
            return self._corrections[term]
        found = None
        for min_length, edits in _TYPO_EDITS:
            if len(term) >= min_length:
                match = process.extractOne(term, self._latin_vocabulary, scorer=OSA.distance, score_cutoff=edits)
                found = match[0] if match else None
                break
        if len(self._corrections) < 10_000:
            self._corrections[term] = found
        return found

    def _query_terms(self, query: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
        words: list[str] = []
        corrections: list[tuple[str, str]] = []
        for term in tokenize.terms(query):
            if term not in self._document_frequency and tokenize.is_latin(term):
                corrected = self._correct(term)
                if corrected:
                    corrections.append((term, corrected))
                    term = corrected
            if term not in words:
                words.append(term)
        phrases = tokenize.phrases_in(query, self._document_frequency, self._phrase_prefixes)
        return words, phrases, corrections

    def _empty(self, query: str, corrections) -> SearchResult:
        return SearchResult(query=query, hits=(), best=None, corrections=tuple(corrections))

    def search(self, query: str, *, limit: int = DEFAULT_LIMIT) -> SearchResult:
        query = query.strip()[:MAX_QUERY_CHARS]
        words, phrases, corrections = self._query_terms(query)
        if not words or not self.size:
            return self._empty(query, corrections)

        raw = np.zeros(self.size, dtype=np.float32)
        # Coverage: how much of the question an entry accounts for, either word
        # by word (weighted by rarity) or by an admin alias spanning part of it.
        coverage = np.zeros(self.size)
        weights = [self.idf(term) for term in words]
        hits_by_term = []
        for term, weight in zip(words, weights, strict=True):
            hit = self._accumulate(term, raw)
            coverage[hit] += weight
            hits_by_term.append((hit, weight))
        coverage /= sum(weights)
        if phrases:
            query_units = max(len(tokenize.phrase_units(query)), 1)
            for phrase in phrases:
                hit = self._accumulate(phrase, raw)
                span = min(tokenize.phrase_length(phrase) / query_units, 1.0)
                np.maximum(coverage, span * hit, out=coverage)
                hits_by_term.append((hit, self.idf(phrase)))

        relevance = raw * coverage
        candidates = np.flatnonzero(relevance > 0)
        if not candidates.size:
            return self._empty(query, corrections)
        if candidates.size > limit:
            candidates = candidates[np.argpartition(-relevance[candidates], limit)[:limit]]
        ranked = candidates[np.argsort(-relevance[candidates], kind="stable")]

        top = ranked[0]
        hits = tuple(
            Hit(
                slug=self.entries[i].slug,
                title_zh=self.entries[i].title_zh,
                title_en=self.entries[i].title_en,
                score=round(float(coverage[top] * relevance[i] / relevance[top]), 4),
            )
            for i in ranked
        )
        information = sum(weight for hit, weight in hits_by_term if hit[top]) / self._max_idf
        best = hits[0] if self._is_confident(hits, information) else None
        return SearchResult(query=query, hits=hits, best=best, corrections=tuple(corrections))

    @staticmethod
    def _is_confident(hits: tuple[Hit, ...], information: float) -> bool:
        """Enough of the question is answered, by words rare enough to mean something, and clearly best."""
        if hits[0].score < CONFIDENT_COVERAGE or information < MIN_INFORMATION:
            return False
        leads = len(hits) == 1 or hits[1].score < CLOSE_RATIO * hits[0].score
        return leads or information >= DECISIVE_INFORMATION


class IndexHolder:
    """The process's current index, rebuilt when the FAQ generation moves on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._index: SearchIndex | None = None
        self._terms_memo: dict = {}
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
        from faq.models import IndexGeneration  # faq.models imports this module

        latest = IndexGeneration.current()
        with self._lock:
            if self._index is None or latest != self._generation:
                self._index, self._terms_memo = build_index(self._terms_memo)
                self._generation = latest
            self._verified_outside_transaction = not connection.in_atomic_block
            return self._generation, self._index

    def clear(self) -> None:
        with self._lock:
            self._index = None
            self._generation = None
            self._terms_memo = {}


def build_index(memo: dict | None = None) -> tuple[SearchIndex, dict]:
    """A fresh index over the published FAQ, reusing parsed terms from ``memo`` where unchanged."""
    from faq.selectors import entries_for_index

    with _collector_paused():
        entries, memo = entries_for_index(memo)
        return SearchIndex(entries), memo


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


def reset_index() -> None:
    _holder.clear()


def current_generation() -> str:
    """A token that changes whenever the published FAQ does; cheap enough to call per request."""
    return _holder.generation()


class GenerationCache:
    """A bounded memo of results that stay valid until the FAQ changes."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._generation: str | None = None
        self._values: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        """The value kept for ``key`` in the current generation, or None."""
        generation = current_generation()
        values = self._values
        return values.get(key) if generation == self._generation else None

    def get_or_compute(self, key, compute, *, keep_none: bool = True):
        """The value for ``key``; ``keep_none=False`` for answers like "not known yet" that may change."""
        generation = current_generation()
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
