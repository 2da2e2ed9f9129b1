from __future__ import annotations

from faq import tokenize
from faq.models import Entry
from faq.search import IndexedEntry


def published_entries():
    return Entry.objects.published().in_display_order()


def entry_by_slug(slug: str, *, include_unpublished: bool = False) -> Entry | None:
    queryset = Entry.objects.all() if include_unpublished else Entry.objects.published()
    return queryset.filter(slug=slug).select_related("owner").first()


def entries_for_index() -> list[IndexedEntry]:
    """Published entries with current search terms; stale terms are recomputed once and stored."""
    version = tokenize.pipeline_version()
    rows = list(
        Entry.objects.published()
        .in_display_order()
        .values_list("pk", "slug", "title_zh", "title_en", "search_terms", "search_terms_version")
    )
    stale = [pk for pk, *_, terms_version in rows if terms_version != version]
    refreshed = _refresh_terms(stale) if stale else {}
    return [
        IndexedEntry(slug=slug, title_zh=title_zh, title_en=title_en, terms=refreshed.get(pk, terms))
        for pk, slug, title_zh, title_en, terms, _ in rows
    ]


def _refresh_terms(pks: list[int]) -> dict[int, dict]:
    entries = list(Entry.objects.filter(pk__in=pks))
    for entry in entries:
        entry.refresh_search_terms()
    # bulk_update skips save() and signals: refreshing derived terms is not an edit.
    Entry.objects.bulk_update(entries, ["search_terms", "search_terms_version"], batch_size=500)
    return {entry.pk: entry.search_terms for entry in entries}
