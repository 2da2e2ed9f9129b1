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
from dataclasses import dataclass
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
_VARIANTS = {"帐号": "账号", "帐户": "账户", "註冊": "注册", "登陆": "登录", "没有": "没", "冇": "没"}

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
    "bound": ("bind",),
    "binded": ("bind",),
    "reauthorise": ("reauthor",),
    "reauthorize": ("reauthor",),
    "reauthorization": ("reauthor",),
    "reauthorisation": ("reauthor",),
    "authorisation": ("author",),
    "authorise": ("author",),
    "authorised": ("author",),
}

# Words whose spelling the pipeline knows as written (for correcting typos of them).
LATIN_SPELLINGS = frozenset(_LATIN_SYNONYMS)

ZH_STOPWORDS = _word_list("search_stopwords.zh.txt")

# Words that say how a question is asked, not what it is about (see faq.salience).
QUESTION_WORDS = _word_list("search_question_words.txt")

EN_STOPWORDS = _word_list("search_stopwords.en.txt")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
# "re-authorize" and "reauthorize" are one word; other hyphens separate words.
_JOINED_PREFIX = re.compile(r"\b(re|un|pre|co)-(?=[a-z])")

# Where a message's clauses end: sentence and clause punctuation, and dashes
# between words; a dot only before a space or at the end ("mp.weixin.qq.com").
_CLAUSE_BREAK = re.compile(r"[，,。!！？;；\n…]+|\.(?=\s|$)|\s[-–—]+\s|[–—]+")
_ASKING_CHINESE = re.compile(r"怎|如何|吗|呢|什么|啥|哪|为何|为什么|咋|是不是|能不能|可不可以|有没有|多少|几|么")
_ASKING_WORDS = frozenset(["how", "what", "where", "why", "which", "whats", "hows"])
_ASKING_OPENERS = frozenset(
    ["can", "could", "is", "are", "do", "does", "did", "should", "would", "will", "may", "any", "anyone"]
)
_OPENING_QUOTES = frozenset("“「『【‘《")
_CLOSING_QUOTES = frozenset("”」』】’》")
_STRAIGHT_QUOTES = frozenset("\"'`")
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")

NEGATION = "not"
_NEGATIONS = frozenset(
    {
        *("no", "not", "never", "without", "cannot", "cant", "don", "dont", "doesn", "doesnt", "didn", "didnt"),
        *("isn", "isnt", "aren", "wasn", "weren", "won", "wont"),
    }
)

# Bump when the pipeline changes in a way that alters stored terms.
_PIPELINE_REVISION = "8"

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
    # Kept whole ("找不到", "哪些地方"), so that they can weigh nothing as one word.
    for word in QUESTION_WORDS:
        if len(word) > 1 and _CJK_RUN.fullmatch(word):
            segmenter.add_word(word)
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
    digest.update(" ".join(sorted(ZH_STOPWORDS | EN_STOPWORDS | QUESTION_WORDS)).encode())
    digest.update(repr(sorted(_LATIN_SYNONYMS.items())).encode())
    digest.update(repr(sorted(_VARIANTS.items())).encode())
    digest.update(" ".join(sorted(_NEGATIONS)).encode())
    return digest.hexdigest()[:16]


def split_list(text: str) -> list[str]:
    """Items of a list staff typed: separated by commas (either width), 、, semicolons or new lines."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def as_list_item(text: str) -> str:
    """``text`` as one item of such a list: its separators become spaces."""
    return " ".join(_LIST_SEPARATORS.sub(" ", text).split())


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


MAX_QUESTION_KEY = 200


def question_key(text: str) -> str:
    """What a question is about, as a key questions asked alike share: its distinct search terms, sorted,
    without the words that only say how it is asked (so `怎么解绑小程序？` and `请问小程序如何解绑` meet)."""
    meaningful = sorted({term for term in terms(text) if term not in QUESTION_WORDS})
    return " ".join(meaningful)[:MAX_QUESTION_KEY]


@dataclass(frozen=True)
class Word:
    """One word of a question, where it sits among the question's phrase units."""

    text: str  # normalized surface form, e.g. "supported" or "小程序"
    terms: tuple[str, ...]  # the index terms it stands for; empty for stopwords
    parts: tuple[str, ...]  # dictionary words inside a Chinese compound, for compounds the index lacks
    start: int  # first phrase unit it covers
    end: int  # one past its last phrase unit
    is_chinese: bool
    asked: bool = True  # in the part of the message that asks, rather than in context around it
    units: tuple[str, ...] = ()  # what it contributes to phrase matching
    quoted: bool = False  # inside quotes or 【】: what the asker saw on screen, an error or a button


def words(text: str) -> list[Word]:
    """The question's words in order, each once (no overlapping sub-words), with their unit spans.

    A message often tells a story before it asks ("项目下线了，…要怎么解除？",
    "we handed it to a vendor. how do we detach it?"): words in clauses that
    ask nothing are marked as context, when some other clause does ask.
    """
    found: list[Word] = []
    position = 0
    parts_of_message = [part for part in _CLAUSE_BREAK.split(normalize(text)) if part.strip()]
    asking = [_asks(part) for part in parts_of_message]
    for clause, asks in zip(parts_of_message, asking, strict=True):
        asked = asks or not any(asking)
        quotes = 0
        previous_end = 0
        for match in _RUN.finditer(clause):
            quotes = _quote_depth(clause[previous_end : match.start()], quotes)
            previous_end = match.end()
            run, quoted = match.group(), quotes > 0
            if "a" <= run[0] <= "z" or run[0].isdigit():
                latin = _latin_terms(run)
                units = _latin_units(run)
                found.append(Word(run, latin, (), position, position + len(units), False, asked, units, quoted))
                position += len(units)
                continue
            for word, start, end in _chinese_words(run):
                terms = () if word in ZH_STOPWORDS else (word,)
                parts = tuple(p for p in _chinese_terms(word) if p != word) if terms and len(word) > 2 else ()
                found.append(
                    Word(word, terms, parts, position + start, position + end, True, asked, tuple(word), quoted)
                )
            position += len(run)
    return found


def _quote_depth(between: str, depth: int) -> int:
    for character in between:
        if character in _OPENING_QUOTES:
            depth += 1
        elif character in _CLOSING_QUOTES:
            depth = max(0, depth - 1)
        elif character in _STRAIGHT_QUOTES:
            depth = 0 if depth else 1
    return depth


def _asks(clause: str) -> bool:
    if "?" in clause or _ASKING_CHINESE.search(clause):
        return True
    latin = _RUN.findall(clause)
    return bool(latin) and (latin[0] in _ASKING_OPENERS or any(word in _ASKING_WORDS for word in latin))


@functools.lru_cache(maxsize=100_000)
def _chinese_words(run: str) -> tuple[tuple[str, int, int], ...]:
    return tuple(_segmenter().tokenize(run, HMM=False))


def phrase_units(text: str) -> list[str]:
    """Characters of Chinese runs and normalized words of Latin runs, for phrase matching."""
    units: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if "a" <= run[0] <= "z" or run[0].isdigit():
            units.extend(_latin_units(run))
        else:
            units.extend(run)
    return units


def _latin_units(word: str) -> tuple[str, ...]:
    # A phrase keeps its negation: "no mini program linked" is not "mini program linked".
    return (NEGATION,) if word in _NEGATIONS else _latin_terms(word)


def phrase_term(units: list[str]) -> str:
    return PHRASE_MARK + _UNIT_JOINER.join(units)


def phrase_units_of(term: str) -> list[str]:
    """The units a phrase term was made of."""
    return term[len(PHRASE_MARK) :].split(_UNIT_JOINER)


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
    found: list[str] = []
    for phrase, _, _ in phrase_spans(phrase_units(text), known, prefixes):
        if phrase not in found:
            found.append(phrase)
    return found


def phrase_spans(units: list[str], known, prefixes: frozenset[str] | None = None) -> list[tuple[str, int, int]]:
    """Every occurrence of a phrase term of ``known`` among ``units``, as (phrase, start, end)."""
    found: list[tuple[str, int, int]] = []
    for start in range(len(units)):
        candidate = PHRASE_MARK
        for end in range(start, min(len(units), start + MAX_PHRASE_UNITS)):
            candidate += (_UNIT_JOINER if end > start else "") + units[end]
            if prefixes is not None and candidate not in prefixes:
                break
            if candidate in known:
                found.append((candidate, start, end + 1))
    return found


def is_latin(term: str) -> bool:
    return term.isascii()


def warm_up() -> None:
    """Load the dictionaries now rather than inside the first user's request."""
    terms("预热 warm up")
