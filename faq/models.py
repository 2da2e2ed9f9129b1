from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from faq import document, engine, tokenize
from faq.languages import Language
from faq.plaintext import storable

SLUG_PATTERN = r"^[a-z0-9\u4e00-\u9fff]+(?:-[a-z0-9\u4e00-\u9fff]+)*$"
MAX_BODY_CHARS = 60_000


class EntryQuerySet(models.QuerySet):
    def published(self) -> EntryQuerySet:
        return self.filter(is_published=True)

    def in_display_order(self) -> EntryQuerySet:
        return self.order_by("display_order", "slug")

    def review_overdue(self, today: datetime.date | None = None) -> EntryQuerySet:
        return self.filter(review_by__lt=today or timezone.localdate())

    def missing_language(self, language: Language) -> EntryQuerySet:
        return self.filter(Q(**{f"title_{language}": ""}) | Q(**{f"body_{language}": ""}))

    def complete(self) -> EntryQuerySet:
        return self.exclude(title_zh="").exclude(title_en="").exclude(body_zh="").exclude(body_en="")


class Entry(models.Model):
    """One answer of the binding FAQ, in Simplified Chinese and English."""

    slug = models.SlugField(
        _("slug"),
        max_length=64,
        unique=True,
        allow_unicode=True,
        validators=[RegexValidator(SLUG_PATTERN, _("Use lowercase words joined by hyphens, e.g. second-miniprogram."))],
        help_text=_("Stable identifier used in links, the API and chat buttons. Changing it breaks old links."),
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("body (Chinese)"), blank=True, help_text=_("Markdown. Images: ![alt text](https://…)"))
    body_en = models.TextField(_("body (English)"), blank=True, help_text=_("Markdown. Images: ![alt text](https://…)"))
    keywords_zh = models.TextField(
        _("keywords (Chinese)"), blank=True, help_text=_("Other ways people ask, separated by commas or new lines.")
    )
    keywords_en = models.TextField(
        _("keywords (English)"), blank=True, help_text=_("Other ways people ask, separated by commas or new lines.")
    )
    display_order = models.PositiveIntegerField(_("display order"), default=100, db_index=True)
    is_published = models.BooleanField(_("published"), default=True, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name=_("owner"),
        help_text=_("Who keeps this entry true when the consoles change."),
    )
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Check the entry against the live consoles by this date."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Terms are computed when the entry is written: segmenting Chinese is far too
    # slow to redo for every entry whenever a process rebuilds its index.
    search_terms = models.TextField(blank=True, editable=False)
    search_terms_version = models.CharField(max_length=32, blank=True, editable=False)

    # Named here: simple_history would otherwise fix the name in whatever language was active at start-up.
    history = HistoricalRecords(
        excluded_fields=["search_terms", "search_terms_version", "updated_at"],
        verbose_name=_("historical entry"),
        verbose_name_plural=_("historical entries"),
    )
    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "slug"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return f"{self.slug}: {self.title(Language.ZH)}"

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_terms()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_terms", "search_terms_version"}
        super().save(*args, **kwargs)

    # Reading ------------------------------------------------------------------

    def title(self, language: Language) -> str:
        """The title in ``language``, falling back to the other language."""
        return language.pick(self.title_zh, self.title_en)

    def body(self, language: Language) -> str:
        return language.pick(self.body_zh, self.body_en)

    def has_language(self, language: Language) -> bool:
        return bool(getattr(self, f"title_{language}").strip() and getattr(self, f"body_{language}").strip())

    def missing_languages(self) -> list[Language]:
        return [language for language in Language if not self.has_language(language)]

    def keywords(self, language: Language) -> list[str]:
        return tokenize.split_list(getattr(self, f"keywords_{language}"))

    def document(self, language: Language) -> document.Document:
        return document.parse(self.body(language))

    def images(self, language: Language) -> list[document.Image]:
        return self.document(language).images()

    def is_review_overdue(self, today: datetime.date | None = None) -> bool:
        return self.review_by is not None and self.review_by < (today or timezone.localdate())

    # Validation ---------------------------------------------------------------

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if not (self.title_zh.strip() or self.title_en.strip()):
            errors.setdefault("title_zh", []).append(
                ValidationError(_("Give the entry a title in at least one language."))
            )
        for language in Language:
            if getattr(self, f"title_{language}").strip() and not getattr(self, f"body_{language}").strip():
                errors.setdefault(f"body_{language}", []).append(
                    ValidationError(_("An entry with a title in this language needs a body."))
                )
            body = getattr(self, f"body_{language}")
            if len(body) > MAX_BODY_CHARS:
                errors.setdefault(f"body_{language}", []).append(
                    ValidationError(
                        _("Keep the body under %(limit)s characters (it has %(length)s)."),
                        params={"limit": f"{MAX_BODY_CHARS:,}", "length": f"{len(body):,}"},
                    )
                )
                continue
            for image in document.parse(body).images():
                if not image.alt:
                    errors.setdefault(f"body_{language}", []).append(
                        ValidationError(
                            _("Image %(url)s needs alt text: write ![what it shows](%(url)s)."),
                            params={"url": image.url},
                        )
                    )
        if errors:
            raise ValidationError(errors)

    # Search terms -------------------------------------------------------------

    def compute_search_terms(self) -> dict[str, list[str]]:
        return {
            "title": tokenize.terms(f"{self.title_zh}\n{self.title_en}"),
            "keywords": [
                term
                for alias in self.keywords(Language.ZH) + self.keywords(Language.EN)
                for term in tokenize.alias_terms(alias)
            ],
            "body": tokenize.terms(f"{self.body_zh}\n{self.body_en}"),
        }

    def refresh_search_terms(self) -> None:
        self.search_terms = engine.pack_terms(self.compute_search_terms())
        self.search_terms_version = tokenize.pipeline_version()


class SynonymGroupQuerySet(models.QuerySet):
    def in_use(self) -> SynonymGroupQuerySet:
        return self.filter(is_active=True).order_by("pk")


class SynonymGroup(models.Model):
    """Words and phrases that mean the same thing to someone asking, in either language.

    A question that says any member matches entries that say any other:
    "disconnect" finds the entry about 解绑. Applied when a question is read,
    so a change works on the next question in every process.
    """

    members_zh = models.TextField(
        _("Chinese"),
        blank=True,
        help_text=_("Words or phrases, separated by commas or new lines, e.g. 解绑, 解除绑定, 解掉."),
    )
    members_en = models.TextField(
        _("English"),
        blank=True,
        help_text=_("Words or phrases, separated by commas or new lines, e.g. unbind, disconnect."),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Why these belong together, for other staff.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        verbose_name=_("historical synonym group"),
        verbose_name_plural=_("historical synonym groups"),
    )
    objects = SynonymGroupQuerySet.as_manager()

    MAX_MEMBER_CHARS = 60

    class Meta:
        ordering = ["pk"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        members = self.members()
        shown = ", ".join(members[:4])
        return shown + (f" (+{len(members) - 4})" if len(members) > 4 else "")

    def members(self) -> list[str]:
        return list(dict.fromkeys(tokenize.split_list(self.members_zh) + tokenize.split_list(self.members_en)))

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        for name in ("members_zh", "members_en"):
            for member in tokenize.split_list(getattr(self, name)):
                if len(member) > self.MAX_MEMBER_CHARS:
                    errors.setdefault(name, []).append(
                        ValidationError(
                            _("“%(member)s…” is too long: keep each member under %(limit)s characters."),
                            params={"member": member[:20], "limit": self.MAX_MEMBER_CHARS},
                        )
                    )
                elif not tokenize.terms(member):
                    errors.setdefault(name, []).append(
                        ValidationError(
                            _("“%(member)s” has no searchable word (only question words or punctuation)."),
                            params={"member": member},
                        )
                    )
        if len(self.members()) < 2:
            errors.setdefault("members_zh", []).append(
                ValidationError(_("A group needs at least two words or phrases in all."))
            )
        if self.is_active and not errors:
            errors.update(self._members_in_other_groups())
        if errors:
            raise ValidationError(errors)

    def _members_in_other_groups(self) -> dict[str, list[ValidationError]]:
        mine = {tokenize.normalize(m): m for m in self.members()}
        errors: dict[str, list[ValidationError]] = {}
        for other in SynonymGroup.objects.in_use().exclude(pk=self.pk):
            for member in other.members():
                if (normalized := tokenize.normalize(member)) in mine:
                    field = "members_zh" if Language.of_text(member) is Language.ZH else "members_en"
                    errors.setdefault(field, []).append(
                        ValidationError(
                            _("“%(member)s” is already in the group “%(group)s”: one word belongs to one group."),
                            params={"member": mine[normalized], "group": str(other)},
                        )
                    )
        return errors


class ExampleQuestionQuerySet(models.QuerySet):
    def in_use(self) -> ExampleQuestionQuerySet:
        """Active examples whose entry is published, and active examples of questions the FAQ does not answer."""
        return self.filter(is_active=True).filter(Q(entry__isnull=True) | Q(entry__is_published=True)).order_by("pk")


class ExampleQuestion(models.Model):
    """A question as people type it, and the entry that answers it (or none).

    Search learns from these which entry a whole sentence is about, and which
    sentences no entry answers (``faq.classifier``); a question filed here is
    answered as filed on the next query. Questions no entry answers, near the
    FAQ's subject above all ("公众号菜单怎么设置"), teach search to say so.
    """

    question = models.CharField(
        _("question"), max_length=500, help_text=_("As a person would type it in chat, in any language.")
    )
    entry = models.ForeignKey(
        Entry,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="example_questions",
        verbose_name=_("entry"),
        help_text=_("The entry that answers it. Leave empty for a question this FAQ does not answer."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        verbose_name=_("historical example question"),
        verbose_name_plural=_("historical example questions"),
    )
    objects = ExampleQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("example question")
        verbose_name_plural = _("example questions")

    def __str__(self) -> str:
        return self.question

    @staticmethod
    def tidy(question: str) -> str:
        """The question as filed: unstorable characters dropped, runs of spaces and line breaks made one space."""
        return " ".join(storable(question).split())

    def clean(self) -> None:
        self.clean_wording()
        same = ExampleQuestion.objects.filter(question=self.question, entry=self.entry).exclude(pk=self.pk)
        if self.question and same.exists():
            raise ValidationError({"question": _("This question is already filed with this answer.")})

    def clean_wording(self) -> None:
        """Tidies the question and checks it says something search can read: what needs no database."""
        self.question = self.tidy(self.question)
        if not tokenize.terms(self.question):
            raise ValidationError({"question": _("The question has no searchable word.")})


class IndexGeneration(models.Model):
    """A token replaced by every FAQ change, in the same transaction.

    Each process keeps its search index in memory and compares this single
    row before answering, so an admin's edit shows in web and worker
    processes on their next query, without a restart or a shared cache. A
    fresh random token (not a counter) means a rolled-back change can never
    be mistaken for a later committed one.
    """

    token = models.UUIDField(_("token"), default=uuid.uuid4)

    SINGLETON_ID = 1

    class Meta:
        verbose_name = _("FAQ index generation")
        verbose_name_plural = _("FAQ index generations")

    def __str__(self) -> str:
        return f"FAQ index generation {self.token}"

    @classmethod
    def current(cls) -> str:
        # Runs before every search: one plain statement, no queryset machinery.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token FROM {cls._meta.db_table} WHERE id = %s", [cls.SINGLETON_ID])
            row = cursor.fetchone()
        return str(row[0]) if row else ""

    @classmethod
    def bump(cls) -> None:
        from faq.freshness import announce_change

        token = uuid.uuid4()
        if not cls.objects.filter(pk=cls.SINGLETON_ID).update(token=token):
            cls.objects.update_or_create(pk=cls.SINGLETON_ID, defaults={"token": token})
        announce_change()


class AnswerEvent(models.Model):
    """One answer shown, or one verdict on it, from any front end: the basis of helpfulness stats."""

    # A question with no confident answer: the closest entries were offered, or none.
    UNANSWERED = ("no_match", "choices")

    class Kind(models.TextChoices):
        SHOWN = "shown", _("answer shown")
        HELPFUL = "helpful", _("marked helpful")
        NOT_HELPFUL = "not_helpful", _("marked not helpful")
        NO_MATCH = "no_match", _("no confident match")
        CHOICES = "choices", _("closest entries offered")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)  # indexed with created_at below
    entry = models.ForeignKey(
        Entry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answer_events",
        verbose_name=_("entry"),
    )
    question = models.TextField(_("question"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    channel = models.CharField(_("channel"), max_length=16, help_text=_("Where it happened: slack, teams, cli, api."))
    workspace_id = models.CharField(_("workspace ID"), max_length=64, blank=True)
    user_id = models.CharField(_("user ID"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # Unanswered questions asked alike share a key (faq.tokenize.question_key), so staff teach them once.
    question_key = models.CharField(_("question key"), max_length=200, blank=True, editable=False)
    taught_entry = models.ForeignKey(
        Entry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="taught_questions",
        verbose_name=_("taught to"),
        help_text=_("The entry staff said answers this question (it became one of its aliases)."),
    )

    MAX_QUESTION_CHARS = 3000

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kind", "-created_at"]),
            models.Index(fields=["kind", "question_key"], name="answer_event_by_question"),
        ]
        verbose_name = _("answer event")
        verbose_name_plural = _("answer events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.question[:60]}"


class DiagnosisStep(models.Model):
    """One cause of the authorization exception, asked about as a yes/no question.

    The guided diagnosis walks through published steps in order; the reply
    named in ``cause_answer`` means this cause is the one, and the fix is shown.
    """

    class YesNo(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    key = models.SlugField(
        _("key"), max_length=64, unique=True, help_text=_("Stable name of the cause, kept on cases.")
    )
    display_order = models.PositiveIntegerField(_("display order"), default=100, db_index=True)
    is_published = models.BooleanField(_("published"), default=True)
    question_zh = models.CharField(_("question (Chinese)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300)
    check_zh = models.TextField(_("how to check (Chinese)"), blank=True, help_text=_("Markdown."))
    check_en = models.TextField(_("how to check (English)"), blank=True, help_text=_("Markdown."))
    cause_answer = models.CharField(
        _("cause answer"),
        max_length=3,
        choices=YesNo.choices,
        default=YesNo.NO,
        help_text=_("The reply that means this is the cause."),
    )
    fix_zh = models.TextField(_("fix (Chinese)"), help_text=_("Markdown, shown when this is the cause."))
    fix_en = models.TextField(_("fix (English)"), help_text=_("Markdown, shown when this is the cause."))
    history = HistoricalRecords(
        verbose_name=_("historical diagnosis step"), verbose_name_plural=_("historical diagnosis steps")
    )

    class Meta:
        ordering = ["display_order", "key"]
        verbose_name = _("diagnosis step")
        verbose_name_plural = _("diagnosis steps")

    def __str__(self) -> str:
        return f"{self.key}: {self.question_en}"

    def question(self, language: Language) -> str:
        return language.pick(self.question_zh, self.question_en)

    def how_to_check(self, language: Language) -> document.Document:
        return document.parse(language.pick(self.check_zh, self.check_en))

    def fix(self, language: Language) -> document.Document:
        return document.parse(language.pick(self.fix_zh, self.fix_en))

    def is_cause(self, reply: str) -> bool:
        return reply == self.cause_answer


class UnansweredQuestion(AnswerEvent):
    """Questions that found no confident answer: what to write next."""

    class Meta:
        proxy = True
        ordering = ["-created_at"]
        verbose_name = _("unanswered question")
        verbose_name_plural = _("unanswered questions")
