from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Subquery

from faq import tokenize
from faq.classifier import OFF_TOPIC, Example
from faq.engine import IndexedEntry, unpack_terms
from faq.languages import Language
from faq.models import AnswerEvent, Entry, ExampleQuestion, SynonymGroup


def published_entries():
    return Entry.objects.published().in_display_order()


def entry_by_slug(slug: str, *, include_unpublished: bool = False) -> Entry | None:
    queryset = Entry.objects.all() if include_unpublished else Entry.objects.published()
    return queryset.filter(slug=slug).select_related("owner").first()


TermsMemo = dict[int, tuple[tuple, dict]]


def entries_for_index(memo: TermsMemo | None = None) -> tuple[list[IndexedEntry], TermsMemo, list[int]]:
    """Published entries with their search terms, a memo of parsed terms for the next call, and stale entries.

    Terms of entries unchanged since the memo was made are reused rather than
    loaded and parsed again: after one admin edit, a rebuild reads one entry.
    The last item lists entries whose terms an older pipeline stored.
    """
    memo = memo or {}
    version = tokenize.pipeline_version()
    rows = list(
        Entry.objects.published()
        .in_display_order()
        .values_list("pk", "slug", "title_zh", "title_en", "updated_at", "search_terms_version")
    )
    wanted = [pk for pk, _, _, _, updated_at, v in rows if memo.get(pk, ((None,),))[0] != (updated_at, v)]
    loaded = _stored_terms(wanted, everything=len(wanted) > len(rows) // 2)
    stale = [pk for pk, *_, terms_version in rows if terms_version != version]

    fresh_memo: TermsMemo = {}
    entries = []
    for pk, slug, title_zh, title_en, updated_at, terms_version in rows:
        terms = unpack_terms(loaded[pk]) if pk in loaded else memo[pk][1]
        fresh_memo[pk] = ((updated_at, terms_version), terms)
        entries.append(IndexedEntry(slug=slug, title_zh=title_zh, title_en=title_en, terms=terms))
    return entries, fresh_memo, stale


def _stored_terms(pks: list[int], *, everything: bool) -> dict[int, str]:
    if not pks:
        return {}
    # A scan beats a huge IN list when most entries are wanted (a cold start).
    queryset = Entry.objects.published() if everything else Entry.objects.filter(pk__in=pks)
    return dict(queryset.values_list("pk", "search_terms").iterator(chunk_size=2000))


def synonym_groups() -> list[list[str]]:
    """Members of every synonym group in use, each group in its admin order."""
    return [group.members() for group in SynonymGroup.objects.in_use()]


def example_questions() -> list[Example]:
    """Example questions in use, each with its entry's slug (OFF_TOPIC where no entry answers it), and
    the titles and aliases of the entries they name (``entry_examples``)."""
    rows = ExampleQuestion.objects.in_use().values_list("question", "entry__slug")
    return with_entry_examples([Example(question, slug or OFF_TOPIC) for question, slug in rows])


def with_entry_examples(examples: list[Example]) -> list[Example]:
    """``examples``, and the titles and aliases of the entries they name (``entry_examples``)."""
    return [*examples, *entry_examples({example.slug for example in examples})]


# A title is not a question as people type it: it counts for less. An alias
# counts fully: staff said in so many words that it means this entry.
TITLE_WEIGHT = 0.3


def entry_examples(slugs: set[str]) -> list[Example]:
    """The titles and aliases of these published entries as examples of questions about them.

    What staff teach an entry in admin thereby teaches the model as well.
    """
    examples = []
    for entry in Entry.objects.published().filter(slug__in=slugs - {OFF_TOPIC}).order_by("pk"):
        for language in Language:
            if entry.title(language).strip():
                examples.append(Example(entry.title(language), entry.slug, TITLE_WEIGHT))
            examples.extend(Example(alias, entry.slug) for alias in entry.keywords(language))
    return examples


@dataclass(frozen=True)
class UnansweredGroup:
    """Questions that found no confident answer, asked alike (one question key): what to teach next."""

    key: str
    question: str  # the latest asking, as it was typed (secrets masked)
    count: int
    last_asked: datetime.datetime


def unanswered_groups(*, limit: int = 50) -> list[UnansweredGroup]:
    """The untaught unanswered questions, grouped, the most asked first (the latest first among equals)."""
    waiting = AnswerEvent.objects.filter(kind__in=AnswerEvent.UNANSWERED, taught_entry__isnull=True)
    latest = waiting.filter(question_key=OuterRef("question_key")).order_by("-created_at").values("question")[:1]
    rows = (
        waiting.exclude(question_key="")
        .values("question_key")
        .annotate(count=Count("pk"), last_asked=Max("created_at"), question=Subquery(latest))
        .order_by("-count", "-last_asked")[:limit]
    )
    return [UnansweredGroup(r["question_key"], r["question"] or "", r["count"], r["last_asked"]) for r in rows]
