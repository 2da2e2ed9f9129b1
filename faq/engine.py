"""The search engine: an immutable index over FAQ entries, and how it reads and answers a question.

Nothing here touches the database; ``faq.search`` keeps one index per
process and rebuilds it when the FAQ changes.

Reading a question. The question becomes *slots*, one per word that says
something (question words and stopwords drop out; see ``faq.salience``):
- a word the index knows stands for itself;
- a phrase from a synonym group stands for every member of its group;
- a mistyped word stands for the indexed word it most likely meant: by edit
  distance for Latin words, by sound (toneless pinyin) for Chinese ones.

Ranking is BM25 (Lucene's variant, as bm25s computes it) per field, titles
and admin keywords above bodies,
each slot weighted by how much its word says.

Confidence is separate from rank. The best entry must account for most of
what the question says (coverage: slots weighted by salience and by how rare
they are in the FAQ; a match in a title or an alias counts fully, a passing
mention in a body only partly), through words specific enough to tell
entries apart (evidence), and it must clearly lead the runner-up.

Then the example questions have their say (``faq.classifier``), a model of
which entry a whole question is about, or that none is. The judgement:
1. a question filed as an example gets the answer it was filed with;
2. a question that is word for word an alias gets its entry;
3. a question the words answer through an alias staff just taught (one only
   that entry has, which no example question says yet) gets that entry: the
   model cannot know it;
4. a question the model is sure no entry answers gets none;
5. a question the model is sure about gets that entry, if that entry's words account for some of it;
6. otherwise the words' best answer stands if the model does not doubt it.
Otherwise there is no best answer, and front ends offer choices.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import scipy.sparse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin
from rapidfuzz import process
from rapidfuzz.distance import OSA

from faq import tokenize
from faq.classifier import OFF_TOPIC, Example, Features, QuestionClassifier, character_ngrams
from faq.languages import Language
from faq.salience import is_misspelt, salience
from faq.thesaurus import Thesaurus, concept_token

FIELD_WEIGHTS = {"title": 2.0, "keywords": 3.0, "body": 1.0}
# How firmly a match in each field says the entry is about that word: titles
# and aliases are what an entry is about, a body also mentions its way there
# ("左侧菜单的【设置】" is not about menus or settings).
FIELD_STRENGTH = {"title": 1.0, "keywords": 1.0, "body": 0.3}
# BM25's term frequency saturation and length normalization: bm25s's defaults, which ranking was tuned with.
BM25_K1 = 1.5
BM25_B = 0.75
# A whole alias said word for word is as strong as it gets; one word of an
# alias ("新建" of "新建用户") less so.
ALIAS_STRENGTH = 1.0
# Matches at least this strong are evidence of what an entry is about.
STRONG_MATCH = 1.0
MAX_QUERY_CHARS = 500
DEFAULT_LIMIT = 5

# A best answer must account for this share of what the question says…
CONFIDENT_COVERAGE = 0.45
# …through title or alias matches specific enough to tell entries apart (in
# units of a word only one entry has), so "公众号" or "小程序" alone answers nothing…
MIN_EVIDENCE = 0.6
# …and the runner-up must score below this share of it, unless the evidence
# is strong enough to be decisive on its own.
CLOSE_RATIO = 0.6
DECISIVE_EVIDENCE = 1.8
# Evidence this strong answers even a long message that explains only this
# share of itself (several aliases or single-entry words matched).
STRONG_EVIDENCE = 2.5
LEAST_COVERAGE = 0.25
# In coverage, a word every entry has still counts this much of a word no
# entry has: it says the question is in the FAQ's domain, not which entry.
COMMON_WORD_SHARE = 0.35
# A word no entry has, said in a clause around the question rather than in
# the one that asks, counts this much: it is more likely the story than the topic.
CONTEXT_SHARE = 0.6
# What the asker quotes ("报“授权异常”", 【关联】) is what they saw on screen: it says more.
QUOTED_SALIENCE = 1.5
# The least a mention of a synonym group says.
CONCEPT_SALIENCE = 0.5
_SALIENT_QUESTION = 0.5
# Typo tolerance for Latin words not in the index: edits allowed by length.
_TYPO_EDITS = ((8, 2), (4, 1))
_MAX_REMEMBERED_CORRECTIONS = 10_000
# Chinese typos by sound: a run of 2 to 4 characters the index lacks is read as
# the indexed word that sounds the same.
_SOUND_SPAN = (2, 4)
# Sounds that many speakers (and pinyin keyboards) do not tell apart.
_SALIENT_CORRECTION = 0.4
_FUZZY_SOUNDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ing", "in"), ("eng", "en"), ("ang", "an"))
# The example questions' model (chosen by cross-validation over the shipped
# examples, which `make eval` reports): at least this sure that
# no entry answers a question, it gets none…
OFF_TOPIC_CERTAINTY = 0.15
# …at least this sure of an entry, it gets that entry (a word of note neither
# the FAQ nor any example has casts doubt on it, unless the model is this sure),
# if that entry's words account for at least this share of the question: the
# model can be sure of "bind" from the one word "link" in "how do I link my
# Google Calendar to Outlook", which is about something else…
CLASSIFIED_CERTAINTY = 0.75
SURE_DESPITE_UNKNOWN = 0.9
CLASSIFIED_COVERAGE = 0.15
# …and the words' best answer stands only if the model gives it this much.
AGREEMENT = 0.4
# Before the model has its say, the words' answer stands if the question says an
# alias of it that no more examples than this have said (the alias itself): staff
# just taught it, and the model cannot have learned it.
FRESH_ALIAS_EXAMPLES = 1


@dataclass(frozen=True)
class IndexedEntry:
    slug: str
    title_zh: str
    title_en: str
    terms: dict  # field name -> its FieldTerms, or its terms in order (a list)

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


@dataclass(frozen=True)
class FieldTerms:
    """A field's distinct terms, in the order they first occur, and how often each occurs: all ranking needs.

    A body repeats its words, and a large FAQ's bodies hold millions of them;
    kept counted, only the distinct ones are loaded and held in memory.
    """

    distinct: list[str]
    counts: np.ndarray  # int32, one per distinct term

    @classmethod
    def of(cls, terms: Iterable[str]) -> FieldTerms:
        counted = Counter(terms)
        return cls(list(counted), np.fromiter(counted.values(), dtype=np.int32, count=len(counted)))

    def __contains__(self, term: str) -> bool:
        return term in self.distinct


def pack_terms(terms: dict[str, list[str]]) -> str:
    """Stored form of an entry's terms: one line per field, its distinct terms then a tab and their counts."""
    fields = (FieldTerms.of(terms.get(name, ())) for name in FIELD_WEIGHTS)
    return "\n".join(" ".join(f.distinct) + "\t" + " ".join(map(str, f.counts.tolist())) for f in fields)


def unpack_terms(text: str) -> dict[str, FieldTerms]:
    lines = text.split("\n")
    return {name: _unpack_field(lines[i] if i < len(lines) else "") for i, name in enumerate(FIELD_WEIGHTS)}


def _unpack_field(line: str) -> FieldTerms:
    distinct, tab, counts = line.partition("\t")
    if not tab:  # stored by an older pipeline, every occurrence listed; recomputed soon after
        return FieldTerms.of(distinct.split())
    # Parsed in C: a large FAQ's bodies have over a million counts.
    return FieldTerms(distinct.split(), np.fromstring(counts, dtype=np.int32, sep=" "))


@dataclass
class Slot:
    """Something the question says, and the index terms that would say it in an entry."""

    text: str
    members: tuple[tuple[str, ...], ...]  # alternatives; each is a set of terms an entry must all have
    salience: float
    start: int  # phrase units covered, for alias phrases spanning several slots
    end: int
    asked: bool = True  # false for words in clauses around the question ("项目下线了，…")
    synonyms: str = ""  # the synonym group it was read through, for explaining a reading
    specificity: float = 1.0  # filled in when matched: 1 for a word one entry has, or none
    entries: int = 0  # filled in when matched: how many entries say it


@dataclass(frozen=True)
class AliasMention:
    """Part of the question that is, word for word, an alias staff gave an entry (or a synonym of one)."""

    phrases: frozenset[str]  # alternative phrase terms, e.g. every alias-member of a synonym group
    start: int
    end: int

    @property
    def feature(self) -> str:
        """What the examples' model sees of it: one feature per alias, whichever synonym of it was said."""
        return f"@{min(self.phrases)}"

    def covers(self, slot: Slot) -> bool:
        return self.start <= slot.start and slot.end <= self.end

    def within(self, other: AliasMention) -> bool:
        return (
            other.start <= self.start and self.end <= other.end and (other.end - other.start) > (self.end - self.start)
        )


@dataclass
class Reading:
    """A question as search understands it."""

    slots: list[Slot] = field(default_factory=list)
    aliases: list[AliasMention] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)
    # Why the example questions' model let the answer stand or not; translated when shown, in the reader's language.
    verdict: str = ""


class SearchIndex:
    """An immutable in-memory index over a snapshot of published entries and the synonym groups."""

    def __init__(
        self,
        entries: list[IndexedEntry],
        synonyms: Iterable[Sequence[str]] = (),
        examples: Iterable[Example] = (),
        *,
        trained: QuestionClassifier | None = None,
    ) -> None:
        """``trained``: a model already trained on these examples and synonyms, to reuse rather than train again."""
        self.entries = entries
        self._trained = trained
        self.size = len(entries)
        self._position = {entry.slug: i for i, entry in enumerate(entries)}
        self._examples = [e for e in examples if e.slug == OFF_TOPIC or e.slug in self._position]
        self._vocabulary, self._scores, self._strengths = _merged_postings(entries)
        self._document_frequency = np.diff(self._scores.indptr) if self.size else np.zeros(0, dtype=np.int32)
        self._latin_by_shape: dict[tuple[int, str], list[str]] = {}  # (length, first letter) -> words
        for term in self._vocabulary:
            if tokenize.is_latin(term) and len(term) >= 3 and term[0] != tokenize.PHRASE_MARK:
                self._latin_by_shape.setdefault((len(term), term[0]), []).append(term)
        self.thesaurus = Thesaurus(synonyms)
        self._latin_spellings = sorted(self.thesaurus.latin_words | tokenize.LATIN_SPELLINGS)
        self._alias_forms, self._alias_form_starts = self._aliases_by_form()
        self._unique_idf = self._idf(1)
        self._corrections: dict = {}
        self._resolved_concepts: dict[int, tuple[tuple[str, ...], ...]] = {}
        # Phrases people type again and again ("小程序 绑定") are intersected once per index.
        self._intersections: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    # Reading ------------------------------------------------------------------

    def knows(self, term: str) -> bool:
        return term in self._vocabulary

    def read(self, question: str) -> Reading:
        reading = Reading()
        words = self._split_unknown_compounds(tokenize.words(question))
        words = self._correct_by_sound(self._correct_spelling_of(words, reading), reading)
        units = [unit for word in words for unit in word.units]
        mentions = self.thesaurus.find(units, words)
        mentioned: dict[int, int] = {}  # word index -> mention index
        for number, mention in enumerate(mentions):
            for i, word in enumerate(words):
                if mention.covers(word):
                    mentioned[i] = number

        for number, mention in enumerate(mentions):
            concept, start, end = mention.concept, mention.start, mention.end
            covered = [w for i, w in enumerate(words) if mentioned.get(i) == number]
            # Staff named this a concept of the FAQ: it says something even when its words are everyday ones.
            weight = max(CONCEPT_SALIENCE, *(_salience(w) for w in covered))
            members = self._concept_members(concept)
            if weight and members:
                text = "".join(w.text if w.is_chinese else f" {w.text}" for w in covered).strip()
                asked = any(w.asked for w in covered)
                reading.slots.append(Slot(text, members, weight, start, end, asked, synonyms=concept.label))
        for i, word in enumerate(words):
            if i in mentioned or not word.terms:
                continue
            weight = _salience(word)
            if weight:
                members = self._word_members(word)
                reading.slots.append(Slot(word.text, members, weight, word.start, word.end, word.asked))
        reading.slots.sort(key=lambda slot: slot.start)
        if not any(slot.asked and slot.salience >= _SALIENT_QUESTION for slot in reading.slots):
            # The asking clause says nothing of its own ("…换了，怎么改"): the story is the question.
            for slot in reading.slots:
                slot.asked = True
        reading.aliases = self._find_aliases(units, mentions)
        return reading

    def _aliases_by_form(self) -> tuple[dict[tuple[str, ...], frozenset[str]], set[tuple[str, ...]]]:
        """Every alias in the index by its form with synonyms folded, so "绑的是服务号" finds "关联的是公众号"."""
        forms: dict[tuple[str, ...], set[str]] = {}
        for term in self._vocabulary:
            if term.startswith(tokenize.PHRASE_MARK):
                form = tuple(self.thesaurus.normalize(tokenize.phrase_units_of(term)))
                forms.setdefault(form, set()).add(term)
        starts = {form[: i + 1] for form in forms for i in range(len(form))}
        return {form: frozenset(terms) for form, terms in forms.items()}, starts

    def _find_aliases(self, units: list[str], mentions) -> list[AliasMention]:
        """Aliases the question says, word for word up to synonyms; the longest wins where they overlap."""
        # A gapped mention ("取消…关联") is no run of words an alias could say.
        replaced = {m.start: ([concept_token(m.concept.number)], m.end) for m in mentions if len(m.spans) == 1}
        tokens: list[tuple[str, int, int]] = []  # (token, first unit, end unit)
        i = 0
        while i < len(units):
            said, end = replaced.get(i, ([units[i]], i + 1))
            tokens.extend((token, i, end) for token in said)
            i = end
        found: list[AliasMention] = [
            AliasMention(said, m.start, m.end)
            for m in mentions
            if len(m.spans) > 1 and (said := self._alias_forms.get((concept_token(m.concept.number),)))
        ]
        for first in range(len(tokens)):
            form: tuple[str, ...] = ()
            for last in range(first, min(len(tokens), first + tokenize.MAX_PHRASE_UNITS)):
                form += (tokens[last][0],)
                if form not in self._alias_form_starts:
                    break
                if form in self._alias_forms:
                    found.append(AliasMention(self._alias_forms[form], tokens[first][1], tokens[last][2]))
        return _outermost(found)

    def _split_unknown_compounds(self, words: list[tokenize.Word]) -> list[tokenize.Word]:
        """Split a Chinese word the index lacks into known words and filler (绑上来 → 绑 + 上来).

        Only when nothing unknown is left over: "接入" is not "接" plus something.
        """
        split: list[tokenize.Word] = []
        for word in words:
            pieces = self._known_pieces(word.text) if word.is_chinese and word.terms else None
            if not pieces:
                split.append(word)
                continue
            start = word.start
            for piece in pieces:
                terms = () if piece in tokenize.ZH_STOPWORDS else (piece,)
                split.append(
                    dataclasses.replace(
                        word, text=piece, terms=terms, parts=(), start=start, end=start + len(piece), units=tuple(piece)
                    )
                )
                start += len(piece)
        return split

    def _known_pieces(self, text: str) -> list[str] | None:
        if len(text) < 2 or self._is_known_chinese(text):
            return None
        pieces: list[str] = []
        i = 0
        while i < len(text):
            j = next(
                (j for j in range(len(text), i, -1) if self._is_known_chinese(text[i:j]) or _is_filler(text[i:j])), 0
            )
            if not j:
                return None
            pieces.append(text[i:j])
            i = j
        return pieces if any(self._is_known_chinese(p) for p in pieces) else None

    def _is_known_chinese(self, text: str) -> bool:
        return (len(text) >= 2 and self.knows(text)) or text in self.thesaurus.chinese_words

    def _concept_members(self, concept) -> tuple[tuple[str, ...], ...]:
        resolved = self._resolved_concepts.get(concept.number)
        if resolved is None:
            members = (self._resolve_all(member.words) for member in concept.members)
            resolved = self._resolved_concepts[concept.number] = tuple(dict.fromkeys(m for m in members if m))
        return resolved

    def _word_members(self, word: tokenize.Word) -> tuple[tuple[str, ...], ...]:
        known_parts = tuple(p for p in word.parts if self.knows(p))
        if known_parts and not all(self.knows(t) for t in word.terms):
            return tuple((part,) for part in known_parts)
        return (word.terms,)  # an unknown word matches nothing, and counts against every entry

    def _correct_spelling_of(self, words: list[tokenize.Word], reading: Reading) -> list[tokenize.Word]:
        """Latin words that are no English word, read as the indexed word, or synonym, within an edit or two."""
        corrected = []
        for word in words:
            if (
                not word.is_chinese
                and len(word.terms) == 1
                and not self.knows(word.terms[0])
                and is_misspelt(word.text)
            ):
                if meant := self._correct_spelling(word.terms[0]):
                    reading.corrections.append((word.terms[0], meant))
                    word = dataclasses.replace(word, terms=(meant,), units=(meant,))
                elif (written := self._correct_synonym(word.text)) and (fixed := tokenize.words(written)):
                    # Stems of a typo can be far from the stem meant ("reauthroize"): compare as typed.
                    reading.corrections.append((word.text, written))
                    word = dataclasses.replace(word, text=written, terms=fixed[0].terms, units=fixed[0].units)
            corrected.append(word)
        return corrected

    def _correct_synonym(self, typed: str) -> str | None:
        key = ("written", typed)
        if key not in self._corrections:
            edits = next((edits for min_length, edits in _TYPO_EDITS if len(typed) >= min_length), 0)
            candidates = [w for w in self._latin_spellings if w[0] == typed[0] and abs(len(w) - len(typed)) <= edits]
            match = process.extractOne(typed, candidates, scorer=OSA.distance, score_cutoff=edits) if edits else None
            if len(self._corrections) >= _MAX_REMEMBERED_CORRECTIONS:
                return match[0] if match else None
            self._corrections[key] = match[0] if match else None
        return self._corrections[key]

    def _resolve_all(self, words: tuple[tokenize.Word, ...]) -> tuple[str, ...]:
        """The terms an entry must have to say this phrase; empty if the index cannot."""
        terms: list[str] = []
        for word in words:
            if all(self.knows(t) for t in word.terms):
                terms.extend(word.terms)
            elif word.parts and all(self.knows(p) for p in word.parts):
                terms.extend(word.parts)
            else:
                return ()
        return tuple(dict.fromkeys(terms))

    def _correct_spelling(self, term: str) -> str | None:
        """The indexed Latin word a mistyped one most likely meant, if any."""
        if term in self._corrections:
            return self._corrections[term]
        found = None
        for min_length, edits in _TYPO_EDITS:
            if len(term) >= min_length:
                # Only words within the allowed edits in length can be within them in
                # spelling; and people seldom mistype a word's first letter ("oauth" is no "auth").
                lengths = range(len(term) - edits, len(term) + edits + 1)
                candidates = [word for length in lengths for word in self._latin_by_shape.get((length, term[0]), ())]
                match = process.extractOne(term, candidates, scorer=OSA.distance, score_cutoff=edits)
                found = match[0] if match else None
                break
        if len(self._corrections) < _MAX_REMEMBERED_CORRECTIONS:
            self._corrections[term] = found
        return found

    def _correct_by_sound(self, words: list[tokenize.Word], reading: Reading) -> list[tokenize.Word]:
        """Chinese runs the index lacks, read as the indexed word that sounds the same (帮定 → 绑定).

        A run is a few consecutive words, not all of them stopwords, at least
        one a single character or a word the index does not know, so that
        correctly written words are left alone. Only a word that says
        something (salient) is worth the guess.
        """
        # Each word's part in a run, worked out once rather than for every run it is in.
        doubtful = [w.is_chinese and (len(w.text) == 1 or not self._is_known_chinese(w.text)) for w in words]
        if not any(doubtful):
            return words
        chinese = [w.is_chinese for w in words]
        says = [bool(w.terms) for w in words]
        lengths = [len(w.text) for w in words]
        corrected: list[tokenize.Word] = []
        low, high = _SOUND_SPAN
        i = 0
        while i < len(words):
            if not chinese[i]:  # no run of Chinese words starts here
                corrected.append(words[i])
                i += 1
                continue
            for j in range(min(len(words), i + 3), i, -1):
                if (
                    not (low <= sum(lengths[i:j]) <= high)
                    or not all(chinese[i:j])
                    or not any(says[i:j])
                    or not any(doubtful[i:j])
                ):
                    continue
                run = words[i:j]
                text = "".join(w.text for w in run)
                if self._is_known_chinese(text):
                    continue
                meant = self._sound_table.get(_typed_sound_key(text))
                if meant and meant != text and salience(meant, chinese=True) >= _SALIENT_CORRECTION:
                    reading.corrections.append((text, meant))
                    corrected.append(
                        dataclasses.replace(
                            run[0], text=meant, terms=(meant,), parts=(), end=run[-1].end, units=tuple(meant)
                        )
                    )
                    i = j
                    break
            else:
                corrected.append(words[i])
                i += 1
        return corrected

    def prepare(self) -> SearchIndex:
        """Work the first questions would otherwise do: the sound table for typos, the examples' model."""
        _ = self._sound_table
        _ = self.classifier
        return self

    @functools.cached_property
    def classifier(self) -> QuestionClassifier | None:
        """The model of the example questions, or None without examples of two kinds."""
        return self._trained or QuestionClassifier.train(self._examples, self.features)

    def features(self, question: str, reading: Reading | None = None) -> Features:
        """What the examples' model sees of a question: what search read in it, and its character n-grams."""
        reading = reading or self.read(question)
        read: list[str] = []
        for slot in reading.slots:
            if slot.synonyms:
                read.append(f"~{slot.synonyms}")
            else:
                read.extend(slot.members[0] if slot.members and slot.members[0] else tokenize.terms(slot.text))
        read.extend(alias.feature for alias in reading.aliases)
        return read, character_ngrams(question)

    @functools.cached_property
    def _sound_table(self) -> dict[str, str]:
        # Built with the index (``prepare``): a few hundred milliseconds for a
        # large FAQ, which no question should wait for.
        table: dict[str, tuple[int, str]] = {}
        # Typos are read as words that name topics (in a title or an alias), not
        # as any word a body happens to use: "一次" is not a typo of "依次".
        strongest = self._strengths.max(axis=0).toarray().ravel() if self.size else np.zeros(0)
        for term, column in self._vocabulary.items():
            if strongest[column] < STRONG_MATCH:
                continue
            if 2 <= len(term) <= 4 and not tokenize.is_latin(term) and term[0] != tokenize.PHRASE_MARK:
                key = _sound_key(term)
                frequency = int(self._document_frequency[column])
                if key not in table or frequency > table[key][0]:
                    table[key] = (frequency, term)
        return {key: term for key, (_, term) in table.items()}

    # Matching -----------------------------------------------------------------

    def _idf(self, frequency: int) -> float:
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))

    def specificity(self, frequency: int) -> float:
        """How well a word in ``frequency`` entries tells them apart: 1 for a word one entry has (or none)."""
        return min(1.0, self._idf(frequency) / self._unique_idf) if self.size else 1.0

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        column = self._vocabulary.get(term)
        if column is None:
            return _EMPTY
        start, end = self._scores.indptr[column], self._scores.indptr[column + 1]
        return (
            self._scores.indices[start:end],
            self._scores.data[start:end],
            self._strengths.data[start:end],
        )

    def _member_postings(self, terms: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entries having every term: summed scores, and the weakest term's strength."""
        if len(terms) == 1:
            return self._postings(terms[0])
        found = self._intersections.get(terms)
        if found is None:
            found = self._intersect(terms)
            if len(self._intersections) >= MAX_INTERSECTIONS:
                with contextlib.suppress(StopIteration, RuntimeError, KeyError):  # another thread evicted it
                    self._intersections.pop(next(iter(self._intersections)))
            self._intersections[terms] = found
        return found

    def _intersect(self, terms: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # The shortest posting list first: each step looks the fewer entries up in the longer list.
        ordered = sorted((self._postings(term) for term in terms), key=lambda postings: postings[0].size)
        entries, scores, strengths = ordered[0]
        for more_entries, more_scores, more_strengths in ordered[1:]:
            if not entries.size:
                break
            # Posting lists are sorted: look each entry up in the other list rather than sort both.
            at = np.minimum(np.searchsorted(more_entries, entries), more_entries.size - 1)
            shared = more_entries[at] == entries
            at = at[shared]
            entries = entries[shared]
            scores = scores[shared] + more_scores[at]
            strengths = np.minimum(strengths[shared], more_strengths[at])
        return entries, scores, strengths

    def score(self, reading: Reading) -> Scores:
        """How well each entry answers a read question."""
        slots = reading.slots
        raw = np.zeros(self.size, dtype=np.float32)
        strengths = np.zeros((len(slots), self.size), dtype=np.float32)
        first_of: dict[tuple, int] = {}  # a word said twice ("绑的是…改绑") counts once
        for row, slot in enumerate(slots):
            first = first_of.setdefault(slot.members, row)
            if first != row:
                slot.specificity, slot.entries = slots[first].specificity, slots[first].entries
                strengths[row] = strengths[first]
                continue
            if len(slot.members) == 1:  # most words: no alternatives to take the best of
                entries, scores, member_strengths = self._member_postings(next(iter(slot.members)))
                raw[entries] += slot.salience * scores
                strengths[row, entries] = member_strengths
                slot.specificity, slot.entries = self.specificity(entries.size), entries.size
                continue
            best_score = np.zeros(self.size, dtype=np.float32)
            frequency = 0
            for member in slot.members:
                entries, scores, member_strengths = self._member_postings(member)
                if entries.size:
                    best_score[entries] = np.maximum(best_score[entries], scores)
                    strengths[row, entries] = np.maximum(strengths[row, entries], member_strengths)
                    frequency = max(frequency, entries.size)
            slot.specificity, slot.entries = self.specificity(frequency), frequency
            raw += slot.salience * best_score
        alias_evidence = np.zeros(self.size)
        for mention in reading.aliases:
            best_score = np.zeros(self.size, dtype=np.float32)
            best_evidence = np.zeros(self.size)
            for phrase in mention.phrases:
                entries, scores, _ = self._postings(phrase)
                best_score[entries] = np.maximum(best_score[entries], scores)
                best_evidence[entries] = np.maximum(best_evidence[entries], self.specificity(entries.size))
            said = best_evidence > 0
            covered = [row for row, slot in enumerate(slots) if mention.covers(slot)]
            strengths[np.ix_(covered, np.flatnonzero(said))] = ALIAS_STRENGTH
            # An alias spanning several of the question's words says more than one word would.
            raw += best_score * max(1.0, (mention.end - mention.start) / 2)
            alias_evidence += best_evidence
        counted = np.array([first_of[slot.members] == row for row, slot in enumerate(slots)])
        for row, slot in enumerate(slots):  # an alias may have covered the repeat rather than the first
            np.maximum(strengths[first_of[slot.members]], strengths[row], out=strengths[first_of[slot.members]])
        weights = np.array([_weight(slot) for slot in slots]) * counted
        coverage = weights @ strengths / weights.sum()
        specificity = np.array([s.specificity for s in slots]) * counted
        evidence = specificity @ (strengths >= STRONG_MATCH) + alias_evidence
        return Scores(
            relevance=raw * coverage**2, coverage=coverage, evidence=evidence, weights=weights, strengths=strengths
        )

    def search(self, query: str, *, limit: int = DEFAULT_LIMIT) -> SearchResult:
        return self.search_explained(query, limit=limit)[0]

    def search_explained(self, query: str, *, limit: int = DEFAULT_LIMIT) -> tuple[SearchResult, Reading]:
        """The result, and how the question was read (for staff teaching search)."""
        return self._search(query.strip()[:MAX_QUERY_CHARS], limit)

    def _search(self, query: str, limit: int) -> tuple[SearchResult, Reading]:
        reading = self.read(query)
        nothing = SearchResult(query=query, hits=(), best=None, corrections=tuple(reading.corrections))
        scores = self.score(reading) if reading.slots and self.size else None
        candidates = np.flatnonzero(scores.relevance > 0) if scores else np.zeros(0, dtype=np.int64)
        if not candidates.size:
            filed = self.classifier.filed_answer(query) if self.classifier else None
            if filed in self._position:
                # Filed under an entry that shares no word with it ("云开发环境配额" under bind): staff said so.
                return dataclasses.replace(nothing, hits=(self._hit(filed, 1.0),), best=self._hit(filed, 1.0)), reading
            return nothing, reading
        relevance, coverage = scores.relevance, scores.coverage
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
        confident = _is_confident(hits, float(scores.evidence[top]))
        judged = self._judge(query, reading, hits[0].slug if confident else None, scores)
        if judged and judged != hits[0].slug:
            hits = self._led_by(judged, hits, scores, top)
        best = hits[0] if judged else None
        return dataclasses.replace(nothing, hits=hits, best=best), reading

    def _judge(self, query: str, reading: Reading, by_words: str | None, scores: Scores) -> str | None:
        """The best answer's slug, or None: the words' judgement weighed against the examples' (see the top).

        Says why in ``reading.verdict``, for staff trying questions in admin.
        """
        classifier = self.classifier
        if classifier is None:
            return by_words
        filed = classifier.filed_answer(query)
        if filed is not None:
            reading.verdict = (
                _("filed as an example question with this answer")
                if filed
                else _("filed as an example question no entry answers")
            )
            return filed if filed in self._position else None
        if by_words and _is_whole_alias(reading):
            reading.verdict = _("the question is an alias of this entry")
            return by_words
        fresh = self._fresh_alias(reading, by_words) if by_words else None
        if fresh:
            # The model cannot know an alias it has no example of: what staff just taught stands.
            reading.verdict = format_lazy(
                _("it says “{alias}”, which staff taught this entry and no example question says yet"), alias=fresh
            )
            return by_words
        likely = classifier.probabilities(self.features(query, reading))
        guess = max(likely, key=likely.__getitem__)
        if guess == OFF_TOPIC and likely[guess] >= OFF_TOPIC_CERTAINTY:
            reading.verdict = format_lazy(
                _("the example questions say no entry answers questions like this ({share})"),
                share=f"{likely[guess]:.0%}",
            )
            return None
        unknown = _unknown_to_both(classifier, reading)
        unclear = False
        sure = guess != OFF_TOPIC and likely[guess] >= CLASSIFIED_CERTAINTY
        if sure and scores.relevance[position := self._position[guess]] > 0:
            if scores.coverage[position] < CLASSIFIED_COVERAGE:
                reading.verdict = format_lazy(
                    _("the example questions point to {entry} ({share}), but its words say little of it"),
                    entry=guess,
                    share=f"{likely[guess]:.0%}",
                )
                unclear = True
            elif not unknown or likely[guess] >= SURE_DESPITE_UNKNOWN:
                reading.verdict = format_lazy(
                    _("the example questions point to this entry ({share})"), share=f"{likely[guess]:.0%}"
                )
                return guess
            else:
                # A word of note that neither the FAQ nor any example has may be what
                # the question is about: the model cannot vouch for an entry then.
                reading.verdict = format_lazy(
                    _("“{word}” is in no entry and no example question: what it asks is unclear"), word=unknown
                )
                unclear = True
        # An entry the examples never mention is not doubted for that.
        agreed = likely.get(by_words or "", 1.0)
        if by_words and agreed >= AGREEMENT and likely.get(OFF_TOPIC, 0.0) < OFF_TOPIC_CERTAINTY:
            reading.verdict = format_lazy(
                _("its words answer it, and the example questions agree ({share})"), share=f"{agreed:.0%}"
            )
            return by_words
        if by_words:
            reading.verdict = format_lazy(
                _("its words point to {entry}, but the example questions doubt it ({share})"),
                entry=by_words,
                share=f"{agreed:.0%}",
            )
        elif not unclear:
            reading.verdict = format_lazy(
                _("neither its words nor the example questions are sure (at most {share} for {entry})"),
                share=f"{likely[guess]:.0%}",
                entry=guess or _("no entry"),
            )
        return None

    def _fresh_alias(self, reading: Reading, slug: str) -> str | None:
        """What the question says of an alias only ``slug`` has and (almost) no example question says, if any."""
        position = self._position[slug]
        for alias in reading.aliases:
            owners = {int(i) for phrase in alias.phrases for i in self._postings(phrase)[0]}
            if owners == {position} and self.classifier.examples_with(alias.feature) <= FRESH_ALIAS_EXAMPLES:
                said = [slot.text for slot in reading.slots if alias.covers(slot)]
                return " ".join(said)
        return None

    def _led_by(self, slug: str, hits: tuple[Hit, ...], scores: Scores, top: int) -> tuple[Hit, ...]:
        """``hits`` with the judged best first, added if the words ranked it below the limit."""
        position = self._position[slug]
        led = self._hit(slug, float(scores.coverage[top] * scores.relevance[position] / scores.relevance[top]))
        return (led, *(hit for hit in hits if hit.slug != slug))[: len(hits)]

    def _hit(self, slug: str, score: float) -> Hit:
        entry = self.entries[self._position[slug]]
        return Hit(slug=slug, title_zh=entry.title_zh, title_en=entry.title_en, score=round(score, 4))


@dataclass(frozen=True)
class Scores:
    """Per entry: rank, share of the question answered, and how specific the strong matches are."""

    relevance: np.ndarray
    coverage: np.ndarray
    evidence: np.ndarray
    weights: np.ndarray  # per slot
    strengths: np.ndarray  # slot × entry


def _is_whole_alias(reading: Reading) -> bool:
    """The question says an alias and nothing else of note: staff taught search exactly this."""
    return any(all(alias.covers(slot) for slot in reading.slots) for alias in reading.aliases)


def _unknown_to_both(classifier: QuestionClassifier, reading: Reading) -> str | None:
    """A word of note in the asking part that no entry and no example question has, if any."""
    for slot in reading.slots:
        if (
            slot.asked
            and slot.salience >= _SALIENT_QUESTION
            and slot.entries == 0
            and not slot.synonyms
            and not any(classifier.has_seen(term) for member in slot.members for term in member)
        ):
            return slot.text
    return None


def _salience(word: tokenize.Word) -> float:
    weight = salience(word.text, chinese=word.is_chinese)
    return weight * QUOTED_SALIENCE if word.quoted else weight


def _is_filler(text: str) -> bool:
    return text in tokenize.ZH_STOPWORDS or text in tokenize.QUESTION_WORDS


def _weight(slot: Slot) -> float:
    """How much a slot counts toward an entry answering the question."""
    weight = slot.salience * (COMMON_WORD_SHARE + (1 - COMMON_WORD_SHARE) * slot.specificity)
    unknown = slot.entries == 0
    return weight * CONTEXT_SHARE if unknown and not slot.asked else weight


def _is_confident(hits: tuple[Hit, ...], evidence: float) -> bool:
    """Enough of the question is answered, by words specific enough to mean something, and clearly best.

    A long message with a story around it explains less of itself; several
    specific matches (aliases, words one entry has) then carry it instead.
    """
    leads = len(hits) == 1 or hits[1].score < CLOSE_RATIO * hits[0].score
    if evidence >= STRONG_EVIDENCE and hits[0].score >= LEAST_COVERAGE and leads:
        return True
    if hits[0].score < CONFIDENT_COVERAGE or evidence < MIN_EVIDENCE:
        return False
    return leads or evidence >= DECISIVE_EVIDENCE


_EMPTY = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32))
# Intersected posting lists kept per index (a few MB at most on a large FAQ).
MAX_INTERSECTIONS = 4096


def _merged_postings(
    entries: list[IndexedEntry],
) -> tuple[dict[str, int], scipy.sparse.csc_array, scipy.sparse.csc_array]:
    """Every term's entries, with the fields' weighted BM25 scores summed and the strongest field's strength.

    Fields are ranked separately (each has its own length normalization),
    then merged once here, so a query reads one posting list per term.
    """
    vocabulary: dict[str, int] = {}
    scores = strengths = None
    for name, weight in FIELD_WEIGHTS.items():
        fields = [_field_terms(entry.terms.get(name, ())) for entry in entries]
        if not any(f.distinct for f in fields):
            continue
        # Terms numbered once for all fields, in the order of a set of them:
        # typo corrections equally close are chosen in vocabulary order. A set
        # of the counted terms iterates as one of all the words would (the
        # same first occurrences), without visiting every repeat.
        for term in set().union(*(f.distinct for f in fields)) - vocabulary.keys():
            vocabulary[term] = len(vocabulary)
        rows, cols, bm25 = _bm25(fields, vocabulary)
        shape = (len(entries), max(len(vocabulary), 1))
        field_scores = scipy.sparse.coo_array((weight * bm25, (rows, cols)), shape=shape)
        field_strengths = scipy.sparse.coo_array(
            (np.full(rows.size, FIELD_STRENGTH[name], dtype=np.float32), (rows, cols)), shape=shape
        )
        if scores is None:
            scores, strengths = field_scores.tocsc(), field_strengths.tocsc()
        else:
            scores.resize(shape)
            strengths.resize(shape)
            scores = (scores + field_scores.tocsc()).tocsc()
            strengths = strengths.maximum(field_strengths.tocsc()).tocsc()
    if scores is None:
        empty = scipy.sparse.csc_array((max(len(entries), 0), 0), dtype=np.float32)
        return vocabulary, empty, empty
    scores = scores.astype(np.float32)
    strengths = strengths.astype(np.float32)
    scores.sort_indices()
    strengths.sort_indices()
    # Both matrices hold a value wherever a term occurs in any field, so their
    # layouts match and one position serves both.
    assert np.array_equal(scores.indptr, strengths.indptr)
    assert np.array_equal(scores.indices, strengths.indices)
    return vocabulary, scores, strengths


def _field_terms(terms: FieldTerms | Sequence[str]) -> FieldTerms:
    return terms if isinstance(terms, FieldTerms) else FieldTerms.of(terms)


def _bm25(fields: list[FieldTerms], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (document, term) pair's BM25 score in one field: rows, columns and float32 scores.

    bm25s's arithmetic in bm25s's types (float64 until the final float32, as
    NumPy 2 promotes its scalars), over all pairs at once rather than document
    by document in Python: every score is bm25s's to the last bit, which
    ``tests/faq/test_engine.py`` checks.
    """
    documents = len(fields)
    per_document = np.fromiter((len(f.distinct) for f in fields), dtype=np.int64, count=documents)
    pairs = int(per_document.sum())
    rows = np.repeat(np.arange(documents, dtype=np.int32), per_document)
    cols = np.fromiter(
        map(vocabulary.__getitem__, chain.from_iterable(f.distinct for f in fields)), dtype=np.int64, count=pairs
    )
    counts = np.concatenate([f.counts for f in fields]) if fields else np.zeros(0, dtype=np.int32)
    frequencies = counts.astype(np.float32)
    # math.log, as bm25s takes it (np.log may round the last digit otherwise), once per distinct frequency.
    distinct, of_term = np.unique(np.bincount(cols, minlength=len(vocabulary)), return_inverse=True)
    idf_by_frequency = [math.log(1 + (documents - df + 0.5) / (df + 0.5)) if df else 0.0 for df in distinct.tolist()]
    idf = np.array(idf_by_frequency, dtype=np.float32)[of_term]
    lengths = np.bincount(rows, weights=counts, minlength=documents).astype(np.int64)  # terms per document
    average_length = lengths.mean()
    length = lengths[rows]
    saturation = frequencies / (BM25_K1 * ((1 - BM25_B) + BM25_B * length / average_length) + frequencies)
    return rows, cols, (idf[cols] * saturation).astype(np.float32)


def _outermost(mentions: list[AliasMention]) -> list[AliasMention]:
    """One mention per span (alternatives merged), dropping those inside a longer one: "再绑定" wins over "绑定"."""
    merged: dict[tuple[int, int], frozenset[str]] = {}
    for mention in mentions:
        merged[mention.start, mention.end] = merged.get((mention.start, mention.end), frozenset()) | mention.phrases
    # By start, longest first: a span lies inside another exactly when an earlier one reaches as far.
    kept, reach = [], -1
    for (start, end), phrases in sorted(merged.items(), key=lambda item: (item[0][0], -item[0][1])):
        if end > reach:
            kept.append(AliasMention(phrases, start, end))
            reach = end
    return kept


def _sound_key(text: str) -> str:
    """Toneless pinyin with easily confused sounds folded: 重新 and 从新 both read "cong xin"."""
    return _fold_sounds(" ".join(lazy_pinyin(text)))


def _typed_sound_key(text: str) -> str:
    # Typed runs are read character by character: a typo is seldom a dictionary
    # phrase whose reading would differ, and single characters are cached.
    return " ".join(_character_sound(character) for character in text)


@functools.lru_cache(maxsize=30_000)
def _character_sound(character: str) -> str:
    return _fold_sounds(lazy_pinyin(character)[0])


def _fold_sounds(key: str) -> str:
    for heard, same in _FUZZY_SOUNDS:
        key = key.replace(heard, same)
    return key
