"""Every write to the FAQ goes through here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faq import tokenize
from faq.importer import DocumentError, ParsedDocument, fallback_slug
from faq.languages import Language
from faq.models import AnswerEvent, Entry, ExampleQuestion, IndexGeneration, SynonymGroup

DEFAULT_REVIEW_INTERVAL = datetime.timedelta(days=180)
_DISPLAY_ORDER_STEP = 10


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def faq_import(*, documents: list[ParsedDocument], user: settings.AUTH_USER_MODEL | None = None) -> ImportReport:
    """Create or update entries by slug from parsed documents, all or nothing.

    Documents in several languages are merged first, so each entry is saved
    once (one revision); an entry already saying what the documents say is
    left alone, so re-running an import adds no revisions.
    """
    staged: dict[str, _Staged] = {}
    warnings: list[str] = []
    with transaction.atomic():
        last_order = Entry.objects.order_by("-display_order").values_list("display_order", flat=True).first() or 0
        for parsed in documents:
            for item in parsed.entries:
                slug = item.slug or _slug_for_title(item.title, parsed.language)
                if slug not in staged:
                    entry = Entry.objects.filter(slug=slug).first()
                    if entry is None:
                        last_order += _DISPLAY_ORDER_STEP
                        entry = Entry(slug=slug, display_order=last_order, review_by=_default_review_date())
                    staged[slug] = _Staged(entry=entry, before=_content(entry), source=parsed.source, line=item.line)
                _apply(staged[slug].entry, item, parsed.language)
                warnings.extend(f"{parsed.source}: {warning}" for warning in item.warnings)

        report = ImportReport(warnings=warnings)
        for slug, stage in staged.items():
            entry = stage.entry
            try:
                entry.full_clean()
            except ValidationError as exc:
                raise DocumentError(stage.line, _describe(exc), stage.source) from None
            if entry.pk is not None and _content(entry) == stage.before:
                report.unchanged.append(slug)
                continue
            (report.created if entry.pk is None else report.updated).append(slug)
            entry._change_reason = "Imported from " + ", ".join(sorted({d.source for d in documents}))
            entry._history_user = user
            entry.save()
    return report


@dataclass
class _Staged:
    entry: Entry
    before: tuple
    source: str
    line: int


def _apply(entry: Entry, item, language) -> None:
    setattr(entry, f"title_{language}", item.title)
    setattr(entry, f"body_{language}", item.body)
    if item.keywords is not None:
        setattr(entry, f"keywords_{language}", ", ".join(item.keywords))
    if item.review_by is not None:
        entry.review_by = item.review_by


def _slug_for_title(title: str, language) -> str:
    existing = Entry.objects.filter(**{f"title_{language}": title}).values_list("slug", flat=True).first()
    return existing or fallback_slug(title)


def _default_review_date() -> datetime.date:
    return timezone.localdate() + DEFAULT_REVIEW_INTERVAL


def _content(entry: Entry) -> tuple:
    return tuple(
        getattr(entry, name)
        for name in ("title_zh", "title_en", "body_zh", "body_en", "keywords_zh", "keywords_en", "review_by")
    )


def _describe(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


def search_terms_refresh(*, pks: list[int]) -> None:
    """Recompute stored search terms (after the term pipeline changed); not an edit, so no revision."""
    entries = list(Entry.objects.filter(pk__in=pks))
    for entry in entries:
        entry.refresh_search_terms()
    # bulk_update skips save() and signals: the entries' content did not change.
    Entry.objects.bulk_update(entries, ["search_terms", "search_terms_version"], batch_size=500)


@dataclass
class SynonymReport:
    created: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def synonyms_import(*, groups: list[list[str]], user: settings.AUTH_USER_MODEL | None = None) -> SynonymReport:
    """Add synonym groups, all or nothing; a group already present is left alone.

    A group sharing a member with a different existing group is skipped and
    reported rather than merged: staff may have split or edited it on purpose.
    """
    report = SynonymReport()
    with transaction.atomic():
        existing = {
            tokenize.normalize(member): frozenset(tokenize.normalize(m) for m in group.members())
            for group in SynonymGroup.objects.in_use()
            for member in group.members()
        }
        for members in groups:
            wanted = frozenset(tokenize.normalize(m) for m in members)
            owners = {existing[m] for m in wanted if m in existing}
            if owners == {wanted} or (len(owners) == 1 and wanted <= next(iter(owners))):
                report.unchanged += 1
                continue
            if owners:
                report.skipped.append(f"{', '.join(members)}: shares a member with a group already in admin")
                continue
            group = SynonymGroup(
                members_zh=", ".join(m for m in members if Language.of_text(m) is Language.ZH),
                members_en=", ".join(m for m in members if Language.of_text(m) is Language.EN),
            )
            group.full_clean()
            group._change_reason = "Imported"
            group._history_user = user
            group.save()
            existing.update(dict.fromkeys(wanted, wanted))
            report.created += 1
    return report


@dataclass
class ExampleReport:
    created: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def example_questions_import(
    *, examples: list[tuple[str, list[str | None]]], user: settings.AUTH_USER_MODEL | None = None
) -> ExampleReport:
    """File example questions, all or nothing: one per question and answer; those already filed are left alone.

    A question naming an entry that does not exist is skipped and reported.
    """
    report = ExampleReport()
    with transaction.atomic():
        entries = dict(Entry.objects.values_list("slug", "pk"))
        filed = set(ExampleQuestion.objects.values_list("question", "entry_id"))
        created = []
        for question, answers in examples:
            for slug in dict.fromkeys(answers):
                if slug is not None and slug not in entries:
                    report.skipped.append(f"{question}: no entry {slug!r}")
                    continue
                example = ExampleQuestion(question=ExampleQuestion.tidy(question), entry_id=entries.get(slug))
                if (example.question, example.entry_id) in filed:
                    report.unchanged += 1
                    continue
                # What full_clean would ask the database (does the entry exist, is the pair filed) is known
                # already from the two look-ups above: thousands of examples must not cost two queries each.
                example.clean_fields(exclude=["entry"])
                example.clean_wording()
                filed.add((example.question, example.entry_id))
                example._change_reason = "Imported"
                example._history_user = user
                created.append(example)
        # One insert and one history batch: a save per question would bump the index hundreds of times.
        ExampleQuestion.objects.bulk_create(created)
        ExampleQuestion.history.bulk_history_create(created, default_change_reason="Imported", default_user=user)
        if created:
            IndexGeneration.bump()
        report.created = len(created)
    return report


# Teaching from unanswered questions ----------------------------------------------------


@dataclass(frozen=True)
class Taught:
    questions: tuple[str, ...]  # the aliases added: the group's distinct askings, the latest first
    askings: int  # how many times they were asked


MAX_TAUGHT_ALIASES = 5


def unanswered_teach(*, question_key: str, entry: Entry, user=None) -> Taught:
    """Staff say ``entry`` answers the questions asked alike under ``question_key``.

    Their distinct wordings (the latest few) become search aliases of the entry,
    in their language, as one revision like any edit, so the index updates in
    every process; the questions are marked taught, so the list no longer shows
    them. Whether search now answers them is for the caller to check, by searching.
    """
    with transaction.atomic():
        waiting = AnswerEvent.objects.select_for_update().filter(
            kind__in=AnswerEvent.UNANSWERED, question_key=question_key, taught_entry__isnull=True
        )
        asked = list(waiting.order_by("-created_at").values_list("question", flat=True))
        if not question_key or not asked:
            raise ValidationError(_("These questions were taught already."))
        wordings = list(dict.fromkeys(tokenize.as_list_item(q)[:200] for q in asked if q.strip()))
        wordings = wordings[:MAX_TAUGHT_ALIASES]
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        changed = False
        for wording in wordings:
            language = Language.of_text(wording)
            if wording in entry.keywords(language):
                continue
            field_name = f"keywords_{language.value}"
            known = getattr(entry, field_name).strip()
            setattr(entry, field_name, f"{known}\n{wording}" if known else wording)
            changed = True
        if changed:
            entry._change_reason = "Taught from unanswered questions"
            entry._history_user = user
            entry.full_clean()
            entry.save()
        count = waiting.update(taught_entry=entry)
    return Taught(questions=tuple(wordings), askings=count)
