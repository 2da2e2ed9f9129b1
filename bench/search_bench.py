"""FAQ search benchmark: 10,000 entries, in-process query latency and index build time.

    python bench/search_bench.py [--entries 10000] [--queries 3000] [--database-url URL]

Without --database-url it uses a fresh SQLite file in a temporary folder. The
timed path is the real one: ``faq.search.search`` (including the per-query
freshness check against the database) and a full rebuild from stored terms.
Questions mix keywords, chat sentences from eval/search.holdout.json (not
example questions, which search answers by look-up), synthetic
words, and typos; the shipped synonym groups are loaded.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=3_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="wxbind-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportbot.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if args.database_url:
        _refuse_non_empty(args.database_url)
    call_command("migrate", verbosity=0)
    call_command("import_faq", verbosity=0, stdout=io.StringIO())
    _fill(args.entries)
    _measure(args.queries)


def _refuse_non_empty(url: str) -> None:
    from faq.models import Entry

    try:
        if Entry.objects.count() > 5:
            sys.exit(f"{url} already holds FAQ entries; point the benchmark at an empty database.")
    except Exception:
        pass  # tables do not exist yet


def _fill(count: int) -> None:
    """Add synthetic entries shaped like the real ones, with a large vocabulary."""
    from faq import tokenize
    from faq.engine import pack_terms
    from faq.models import Entry

    rng = random.Random(7)
    real = list(Entry.objects.all())
    cjk = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    zh_words = ["".join(rng.choices(cjk, k=rng.choice((2, 2, 3, 4)))) for _ in range(12_000)]
    en_words = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(4, 10))) for _ in range(12_000)]
    version = tokenize.pipeline_version()
    base_terms = {e.slug: e.compute_search_terms() for e in real}

    batch = []
    started = time.perf_counter()
    for number in range(count - len(real)):
        model = rng.choice(real)
        extra_zh = rng.sample(zh_words, 12)
        extra_en = rng.sample(en_words, 12)
        title_zh = f"{model.title_zh}（{''.join(extra_zh[:2])}）"
        title_en = f"{model.title_en} ({' '.join(extra_en[:2])})"
        keywords_zh = "，".join(extra_zh[2:5])
        keywords_en = ", ".join(extra_en[2:5])
        tail_zh = "".join(extra_zh[5:])
        tail_en = " ".join(extra_en[5:])
        terms = {
            "title": base_terms[model.slug]["title"]
            + tokenize.terms(f"{extra_zh[0]}{extra_zh[1]} {extra_en[0]} {extra_en[1]}"),
            "keywords": [t for alias in [*extra_zh[2:5], *extra_en[2:5]] for t in tokenize.alias_terms(alias)],
            "body": base_terms[model.slug]["body"] + tokenize.terms(f"{tail_zh} {tail_en}"),
        }
        batch.append(
            Entry(
                slug=f"synthetic-{number}",
                title_zh=title_zh,
                title_en=title_en,
                body_zh=f"{model.body_zh}\n{tail_zh}\n",
                body_en=f"{model.body_en}\n{tail_en}\n",
                keywords_zh=keywords_zh,
                keywords_en=keywords_en,
                display_order=1000 + number,
                search_terms=pack_terms(terms),
                search_terms_version=version,
            )
        )
    # bulk_create skips save(): the terms above were computed by the same pipeline.
    Entry.objects.bulk_create(batch, batch_size=1000)
    from faq.models import IndexGeneration

    IndexGeneration.bump()
    print(f"entries: {Entry.objects.count():,} (generated in {time.perf_counter() - started:.1f} s)")
    _remember(zh_words, en_words)


_VOCABULARY: dict[str, list[str]] = {}


def _remember(zh_words: list[str], en_words: list[str]) -> None:
    _VOCABULARY["zh"] = zh_words
    _VOCABULARY["en"] = en_words


def _queries(count: int) -> list[str]:
    rng = random.Random(11)
    fixed = [
        "绑定",
        "小程序怎么绑定腾讯云账号",
        "link mini program to tencent cloud",
        "账号中心 关联按钮在哪",
        "how to unbind my mini program",
        "通过微信公众平台解绑",
        "再绑定另一个小程序",
        "register a new cloud account with my mini program and add it as a sub user",
        "取消授权了怎么重新授权",
        "cancelled the authorization by mistake",
        "授權異常怎麼辦",
        "permissions are incomplete",
        "what's the weather in Shenzhen",
        "报销流程",
        "unbnid mini prgram",
    ]
    # Sentences as people type them in chat (the evaluation's tuning questions).
    sentences = [case["q"] for case in json.loads((ROOT / "eval" / "search.holdout.json").read_text(encoding="utf-8"))]
    made = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.2:
            made.append(rng.choice(fixed))
        elif kind < 0.4:
            made.append(rng.choice(sentences))
        elif kind < 0.6:
            made.append(" ".join(rng.sample(_VOCABULARY["en"], 2)))
        elif kind < 0.8:
            made.append("".join(rng.sample(_VOCABULARY["zh"], 2)) + "怎么办")
        else:
            word = rng.choice(_VOCABULARY["en"])
            made.append(f"how to fix {word[:-1]}{'x' if word[-1] != 'x' else 'y'} in my mini program")
    return made


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _report(label: str, seconds: list[float]) -> None:
    print(f"{label}: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")


def _measure(query_count: int) -> None:
    from faq.models import Entry
    from faq.search import build_index, reset_index, search

    cold = []
    for _ in range(3):
        started = time.perf_counter()
        _, memo = build_index()
        cold.append(time.perf_counter() - started)
    _report("index build from scratch (load + parse stored terms, index)", cold)

    warm = []
    for round_number in range(3):
        entry = Entry.objects.get(slug="bind")
        entry.keywords_en += f", edit {round_number}"
        entry.save()
        started = time.perf_counter()
        _, memo = build_index(memo)
        warm.append(time.perf_counter() - started)
    _report("index rebuild after an admin edit (one entry reloaded)", warm)

    reset_index()
    queries = _queries(query_count)
    for query in queries[:200]:
        search(query)  # warm: index built, typo memo filled for repeated words
    latencies = []
    for query in queries:
        started = time.perf_counter()
        search(query)
        latencies.append((time.perf_counter() - started) * 1000)
    print(
        f"query latency over {len(latencies):,} queries: "
        f"p50 {_percentile(latencies, 0.50):.3f} ms, p90 {_percentile(latencies, 0.90):.3f} ms, "
        f"p99 {_percentile(latencies, 0.99):.3f} ms, max {max(latencies):.3f} ms"
    )


if __name__ == "__main__":
    main()
