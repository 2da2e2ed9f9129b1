"""Synonyms: words and phrases that mean the same thing to someone asking.

Staff keep groups of them in admin (``faq.models.SynonymGroup``): "解绑,
解除绑定, unbind, unlink, disconnect, detach" is one group. A question that
says any member of a group matches an entry that says any other, in either
language. Groups apply at query time only, so a new synonym works on the
next question without recomputing any entry's terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from faq import tokenize


@dataclass(frozen=True)
class Member:
    text: str
    words: tuple[tokenize.Word, ...]  # as a question or an entry would contain it
    phrase: str  # its phrase term, to find it among entries' aliases


@dataclass(frozen=True)
class Concept:
    """One synonym group."""

    number: int
    label: str
    members: tuple[Member, ...]


class Thesaurus:
    """Finds the synonym groups a question mentions, by whole words, longest first."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self.concepts: list[Concept] = []
        self._phrases: dict[str, int] = {}
        self.chinese_words: set[str] = set()  # members that are one Chinese word, to split unknown compounds
        for group in groups:
            members = []
            for text in group:
                units = tokenize.phrase_units(text)
                words = tuple(w for w in tokenize.words(text) if w.terms)
                if not units or not words or len(units) > tokenize.MAX_PHRASE_UNITS:
                    continue
                phrase = tokenize.phrase_term(units)
                if any(m.phrase == phrase for m in members):
                    continue  # spellings that fold together ("mini program", "mini-program")
                members.append(Member(text=text, words=words, phrase=phrase))
                # A phrase in two groups belongs to the first: admin refuses such
                # overlaps, this only keeps a hand-edited database predictable.
                self._phrases.setdefault(phrase, len(self.concepts))
                if len(words) == 1 and words[0].is_chinese:
                    self.chinese_words.add(words[0].text)
            if members:
                self.concepts.append(Concept(number=len(self.concepts), label=group[0], members=tuple(members)))
        self._prefixes = tokenize.phrase_prefixes(self._phrases)
        self._member_units = {tuple(tokenize.phrase_units_of(phrase)): n for phrase, n in self._phrases.items()}
        self._member_starts = {units[: i + 1] for units in self._member_units for i in range(len(units))}

    def __len__(self) -> int:
        return len(self.concepts)

    def find(self, units: list[str], words: list[tokenize.Word]) -> list[tuple[Concept, int, int]]:
        """Mentions of groups as (concept, start unit, end unit), not overlapping, on word boundaries.

        Boundaries matter for Chinese: "绑" is a member of the binding group,
        but the 绑 inside "解绑" is not a mention of it.
        """
        if not self._phrases:
            return []
        starts = {w.start for w in words if w.end > w.start}
        ends = {w.end for w in words if w.end > w.start}
        spans = [
            (start, end, self._phrases[phrase])
            for phrase, start, end in tokenize.phrase_spans(units, self._phrases, self._prefixes)
            if start in starts and end in ends
        ]
        spans.sort(key=lambda span: (-(span[1] - span[0]), span[0]))
        taken: list[tuple[Concept, int, int]] = []
        for start, end, concept in spans:
            if all(end <= s or start >= e for _, s, e in taken):
                taken.append((self.concepts[concept], start, end))
        return sorted(taken, key=lambda found: found[1])

    def normalize(self, units: list[str]) -> list[str]:
        """Units with every synonym replaced by its group's token, longest first ("关联的是公众号" → ≈0 的 是 ≈3).

        For aliases staff wrote, where word boundaries are no longer known;
        questions mark their mentions with ``find`` instead.
        """
        tokens: list[str] = []
        i = 0
        while i < len(units):
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
