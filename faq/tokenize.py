"""Turn FAQ text and user questions into search terms.

Both sides go through the same pipeline, so what an admin writes and what a
user types meet as the same terms: Unicode compatibility folding (full-width
letters), traditional → simplified Chinese (OpenCC), jieba segmentation with a
shipped product dictionary for Chinese runs, Snowball stemming for English
words, and stopword removal.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import unicodedata
from pathlib import Path

import jieba
import opencc
import snowballstemmer

_HERE = Path(__file__).parent
_DICTIONARY = _HERE / "search_dictionary.txt"


def _word_list(name: str) -> frozenset[str]:
    lines = (_HERE / name).read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


# Variant spellings that OpenCC leaves apart but people mean as one word.
_VARIANTS = {"帐号": "账号", "帐户": "账户", "註冊": "注册", "登陆": "登录"}

# Words that join or split differently depending on who types them.
_LATIN_SYNONYMS = {
    "miniprogram": ("mini", "program"),
    "miniprograms": ("mini", "program"),
    "miniapp": ("mini", "program"),
    "weixin": ("wechat",),
    "qcloud": ("tencent", "cloud"),
    "tencentcloud": ("tencent", "cloud"),
    "subaccount": ("sub", "account"),
    "subaccounts": ("sub", "account"),
    "unbinding": ("unbind",),
    "unbound": ("unbind",),
    "reauthorise": ("reauthor",),
    "reauthorize": ("reauthor",),
    "reauthorization": ("reauthor",),
    "reauthorisation": ("reauthor",),
    "authorisation": ("author",),
    "authorise": ("author",),
    "authorised": ("author",),
}

ZH_STOPWORDS = _word_list("search_stopwords.zh.txt")

EN_STOPWORDS = _word_list("search_stopwords.en.txt")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
# "re-authorize" and "reauthorize" are one word; other hyphens separate words.
_JOINED_PREFIX = re.compile(r"\b(re|un|pre|co)-(?=[a-z])")

# Bump when the pipeline changes in a way that alters stored terms.
_PIPELINE_REVISION = "6"

# Aliases are also matched as whole phrases: a phrase term is the alias's
# units (Chinese characters, normalized English words) behind this mark.
PHRASE_MARK = "§"
_UNIT_JOINER = "_"  # never inside a unit, so stored terms stay free of spaces
MAX_PHRASE_UNITS = 16


@functools.cache
def _segmenter() -> jieba.Tokenizer:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.load_userdict(str(_DICTIONARY))
    return segmenter


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


_stem = snowballstemmer.stemmer("english").stemWord


@functools.cache
def pipeline_version() -> str:
    """Identifies the term pipeline, so terms stored with another one get recomputed."""
    digest = hashlib.sha256()
    digest.update(_PIPELINE_REVISION.encode())
    digest.update(_DICTIONARY.read_bytes())
    digest.update(" ".join(sorted(ZH_STOPWORDS | EN_STOPWORDS)).encode())
    digest.update(repr(sorted(_LATIN_SYNONYMS.items())).encode())
    return digest.hexdigest()[:16]


def normalize(text: str) -> str:
    """Fold width, case, traditional characters and variant spellings."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _JOINED_PREFIX.sub(r"\1", text)
    if _CJK_RUN.search(text):
        text = _to_simplified().convert(text)
        for variant, standard in _VARIANTS.items():
            text = text.replace(variant, standard)
    return text


@functools.lru_cache(maxsize=100_000)
def _latin_terms(word: str) -> tuple[str, ...]:
    if word in _LATIN_SYNONYMS:
        return _LATIN_SYNONYMS[word]
    if word in EN_STOPWORDS:
        return ()
    if word.isdigit():
        return (word,) if len(word) >= 2 else ()
    return (_stem(word),)


@functools.lru_cache(maxsize=100_000)
def _chinese_terms(run: str) -> tuple[str, ...]:
    return tuple(word for word in _segmenter().lcut_for_search(run, HMM=False) if word not in ZH_STOPWORDS)


def terms(text: str) -> list[str]:
    """Search terms of ``text``, in order, with repeats (document term frequency matters)."""
    found: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if "a" <= run[0] <= "z" or run[0].isdigit():
            found.extend(_latin_terms(run))
        else:
            found.extend(_chinese_terms(run))
    return found


def phrase_units(text: str) -> list[str]:
    """Characters of Chinese runs and normalized words of Latin runs, for phrase matching."""
    units: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if "a" <= run[0] <= "z" or run[0].isdigit():
            units.extend(_latin_terms(run))
        else:
            units.extend(run)
    return units


def phrase_term(units: list[str]) -> str:
    return PHRASE_MARK + _UNIT_JOINER.join(units)


def phrase_length(term: str) -> int:
    return term.count(_UNIT_JOINER) + 1


def phrase_prefixes(phrases) -> frozenset[str]:
    """Every leading run of every phrase, so a query scan can stop as soon as no phrase can match."""
    prefixes = set()
    for phrase in phrases:
        units = phrase[len(PHRASE_MARK) :].split(_UNIT_JOINER)
        for end in range(1, len(units) + 1):
            prefixes.add(phrase_term(units[:end]))
    return frozenset(prefixes)


def alias_terms(alias: str) -> list[str]:
    """The alias's words plus the alias itself as one phrase term."""
    units = phrase_units(alias)
    phrase = [phrase_term(units)] if 0 < len(units) <= MAX_PHRASE_UNITS else []
    return terms(alias) + phrase


def phrases_in(text: str, known, prefixes: frozenset[str] | None = None) -> list[str]:
    """Phrase terms of ``known`` that occur in ``text`` as whole runs of units."""
    units = phrase_units(text)
    found: list[str] = []
    for start in range(len(units)):
        candidate = PHRASE_MARK
        for end in range(start, min(len(units), start + MAX_PHRASE_UNITS)):
            candidate += (_UNIT_JOINER if end > start else "") + units[end]
            if prefixes is not None and candidate not in prefixes:
                break
            if candidate in known and candidate not in found:
                found.append(candidate)
    return found


def is_latin(term: str) -> bool:
    return term.isascii()


def warm_up() -> None:
    """Load the dictionaries now rather than inside the first user's request."""
    terms("预热 warm up")
