"""Synonyms: words and phrases that mean the same thing to someone asking.

Staff keep groups of them in admin (``faq.models.SynonymGroup``): "解绑,
解除绑定, unbind, unlink, disconnect, detach" is one group. A question that
says any member of a group matches an entry that says any other, in either
language. Groups apply at query time only, so a new synonym works on the
next question without recomputing any entry's terms.

A member may have a gap, written "…" (or "..."): "取消…关联" is 取消
followed, a few words later in the same sentence, by 关联, as in
"取消小程序和腾讯云的关联".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from faq import tokenize

GAP = "…"
_GAP_SPELLINGS = re.compile(r"\s*(?:…|\.\.\.)\s*")
# How far apart, in phrase units, the two halves of a gapped member may be.
MAX_GAP_UNITS = 10


@dataclass(frozen=True)
class Member:
    text: str
    words: tuple[tokenize.Word, ...]  # as a question or an entry would contain it (both halves, if gapped)
    phrase: str  # its phrase term, to find it among entries' aliases; empty for gapped members


@dataclass(frozen=True)
class Concept:
    """One synonym group."""

    number: int
    label: str
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Mention:
    """Where a question says a member of a group: one span, or two for a gapped member."""

    concept: Concept
    spans: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    @property
    def size(self) -> int:
        return sum(end - start for start, end in self.spans)

    def covers(self, word: tokenize.Word) -> bool:
        return word.end > word.start and any(start <= word.start and word.end <= end for start, end in self.spans)

    def overlaps(self, other: Mention) -> bool:
        return any(s < oe and os < e for s, e in self.spans for os, oe in other.spans)


class Thesaurus:
    """Finds the synonym groups a question mentions, by whole words, longest first."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self.concepts: list[Concept] = []
        self._phrases: dict[str, int] = {}
        self._gapped: list[tuple[tuple[str, ...], tuple[str, ...], int]] = []  # (first half, second half, concept)
        self.chinese_words: set[str] = set()  # members that are one Chinese word, to split unknown compounds
        self.latin_words: set[str] = set()  # members' English words as written, for correcting typos of them
        for group in groups:
            members: list[Member] = []
            for text in group:
                member = self._member(text, len(self.concepts))
                if member is not None and all(
                    m.text != member.text and (m.phrase != member.phrase or not m.phrase) for m in members
                ):
                    members.append(member)
            if members:
                self.concepts.append(Concept(number=len(self.concepts), label=group[0], members=tuple(members)))
        self._prefixes = tokenize.phrase_prefixes(self._phrases)
        self._member_units = {tuple(tokenize.phrase_units_of(phrase)): n for phrase, n in self._phrases.items()}
        self._member_starts = {units[: i + 1] for units in self._member_units for i in range(len(units))}
        self._member_first_units = {units[0] for units in self._member_units}

    def _member(self, text: str, concept: int) -> Member | None:
        halves = [half for half in _GAP_SPELLINGS.split(text) if half]
        if len(halves) == 2:
            units = [tuple(tokenize.phrase_units(half)) for half in halves]
            words = tuple(w for half in halves for w in tokenize.words(half) if w.terms)
            if all(units) and words:
                self._gapped.append((units[0], units[1], concept))
                return Member(text=text, words=words, phrase="")
            return None
        units = tokenize.phrase_units(text)
        words = tuple(w for w in tokenize.words(text) if w.terms)
        if len(halves) != 1 or not units or not words or len(units) > tokenize.MAX_PHRASE_UNITS:
            return None
        phrase = tokenize.phrase_term(units)
        # A phrase in two groups belongs to the first: admin refuses such
        # overlaps, this only keeps a hand-edited database predictable.
        self._phrases.setdefault(phrase, concept)
        if len(words) == 1 and words[0].is_chinese:
            self.chinese_words.add(words[0].text)
        self.latin_words.update(word.text for word in words if not word.is_chinese and len(word.text) >= 4)
        return Member(text=text, words=words, phrase=phrase)

    def __len__(self) -> int:
        return len(self.concepts)

    def find(self, units: list[str], words: list[tokenize.Word]) -> list[Mention]:
        """Mentions of groups, not overlapping, on word boundaries, the most words first.

        Boundaries matter for Chinese: "绑" is a member of the binding group,
        but the 绑 inside "解绑" is not a mention of it.
        """
        starts = {w.start for w in words if w.end > w.start}
        ends = {w.end for w in words if w.end > w.start}
        found = [
            Mention(self.concepts[self._phrases[phrase]], ((start, end),))
            for phrase, start, end in tokenize.phrase_spans(units, self._phrases, self._prefixes)
            if start in starts and end in ends
        ]
        found.extend(self._gapped_mentions(units, starts, ends))
        found.sort(key=lambda mention: (-mention.size, mention.start))
        taken: list[Mention] = []
        for mention in found:
            if not any(mention.overlaps(other) for other in taken):
                taken.append(mention)
        return sorted(taken, key=lambda mention: mention.start)

    def _gapped_mentions(self, units: list[str], starts: set[int], ends: set[int]) -> list[Mention]:
        found: list[Mention] = []
        if not self._gapped:
            return found
        # Words by their first unit: a member's first half is compared only where it could begin.
        starts_by_unit: dict[str, list[int]] = {}
        for start in starts:
            if start < len(units):
                starts_by_unit.setdefault(units[start], []).append(start)
        for first, second, concept in self._gapped:
            for start in starts_by_unit.get(first[0], ()):
                if tuple(units[start : start + len(first)]) != first:
                    continue
                middle = start + len(first)
                if middle not in ends:
                    continue
                for later in range(middle + 1, min(len(units), middle + MAX_GAP_UNITS) + 1):
                    end = later + len(second)
                    if later in starts and end in ends and tuple(units[later:end]) == second:
                        found.append(Mention(self.concepts[concept], ((start, middle), (later, end))))
                        break
        return found

    def normalize(self, units: list[str]) -> list[str]:
        """Units with every synonym replaced by its group's token, longest first ("关联的是公众号" → ≈0 的 是 ≈3).

        For aliases staff wrote, where word boundaries are no longer known;
        questions mark their mentions with ``find`` instead.
        """
        tokens: list[str] = []
        i = 0
        while i < len(units):
            if units[i] not in self._member_first_units:  # most units begin no member
                tokens.append(units[i])
                i += 1
                continue
            end = i
            for j in range(i + 1, len(units) + 1):
                if tuple(units[i:j]) not in self._member_starts:
                    break
                if tuple(units[i:j]) in self._member_units:
                    end = j
            if end > i:
                tokens.append(concept_token(self._member_units[tuple(units[i:end])]))
                i = end
            else:
                tokens.append(units[i])
                i += 1
        return tokens


def concept_token(number: int) -> str:
    return f"≈{number}"


def parse_members(text: str) -> list[str]:
    """Members typed by staff: separated by commas, 、, semicolons or new lines."""
    return list(dict.fromkeys(tokenize.split_list(text)))
