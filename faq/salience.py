"""How much a word of a question says about what the question is about.

People wrap what they want to know in how they ask it: "请问…要怎么…在一起",
"hey team, quick question, does anyone know…". Those words must not count
when search decides whether an entry answers the question, or the filler of
a long sentence drowns the two words that matter.

Two sources decide. Words that only say how something is asked (a short
list per language, ``search_question_words.txt``) weigh nothing. Every other
word weighs by how common it is in everyday language, from wordfreq's
frequency lists (Zipf scale: 7 is "the", 3 is a word seen once per million
words): everyday words weigh little, rare and technical words weigh fully.
"""

from __future__ import annotations

import functools
import logging

import wordfreq

from faq.tokenize import QUESTION_WORDS

# wordfreq segments Chinese with its own jieba, which announces every dictionary load.
logging.getLogger("jieba").setLevel(logging.WARNING)

# Zipf frequency at or above which a word says next to nothing about a topic
# ("know", "公司"), and at or below which it counts fully ("unbind", "授权").
EVERYDAY_ZIPF = 6.2
RARE_ZIPF = 3.5
# Even an everyday word keeps this much: it may still be what was asked about.
LEAST_SALIENCE = 0.08


@functools.lru_cache(maxsize=200_000)
def salience(word: str, *, chinese: bool) -> float:
    """0 for words that only shape the question, else between LEAST_SALIENCE and 1, rarer words higher."""
    if word in QUESTION_WORDS:
        return 0.0
    zipf = wordfreq.zipf_frequency(word, "zh" if chinese else "en")
    if zipf <= RARE_ZIPF:
        return 1.0
    share = (EVERYDAY_ZIPF - zipf) / (EVERYDAY_ZIPF - RARE_ZIPF)
    return round(max(LEAST_SALIENCE, min(1.0, share)), 3)


# Below this Zipf frequency a Latin word is no English word people write: a
# typo worth correcting. "recieve" and "acount" are below, "know" is far above.
MISSPELT_ZIPF = 3.0


def is_misspelt(word: str) -> bool:
    """A Latin word too rare to be meant as written; correct words are never "corrected"."""
    return wordfreq.zipf_frequency(word, "en") < MISSPELT_ZIPF


def warm_up() -> None:
    """Load both frequency lists now rather than inside someone's question."""
    salience("warm", chinese=False)
    salience("预热", chinese=True)
