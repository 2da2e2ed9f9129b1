import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import label_for_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from faq import tokenize
from faq.answers import AnswerKind, answer_question
from faq.document import parse
from faq.engine import MAX_QUERY_CHARS
from faq.languages import Language
from faq.models import (
    MAX_BODY_CHARS,
    AnswerEvent,
    DiagnosisStep,
    Entry,
    ExampleQuestion,
    SynonymGroup,
    UnansweredQuestion,
)
from faq.renderers import render_html, render_text
from faq.search import search, search_explained
from faq.selectors import unanswered_groups
from faq.services import unanswered_teach

REVIEW_EXTENSION = datetime.timedelta(days=180)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin, its list of revisions headed by the fields' names in the reader's language.

    (simple_history heads those columns with the attribute names; supportbot's copy of its template shows these.)
    """

    def history_view(self, request, object_id, extra_context=None):
        labels = [label_for_field(name, self.model, self) for name in self.get_history_list_display(request)]
        return super().history_view(request, object_id, {"history_list_labels": labels, **(extra_context or {})})


class LanguageCompletenessFilter(admin.SimpleListFilter):
    title = _("languages")
    parameter_name = "languages"

    def lookups(self, request, model_admin):
        return [
            ("complete", _("Complete (Chinese + English)")),
            ("missing-zh", _("Missing Chinese")),
            ("missing-en", _("Missing English")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "complete":
                return queryset.complete()
            case "missing-zh":
                return queryset.missing_language(Language.ZH)
            case "missing-en":
                return queryset.missing_language(Language.EN)
        return queryset


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("due-30", _("Due within 30 days")), ("unset", _("No review date"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "overdue":
                return queryset.review_overdue(today)
            case "due-30":
                return queryset.filter(review_by__gte=today, review_by__lte=today + datetime.timedelta(days=30))
            case "unset":
                return queryset.filter(review_by__isnull=True)
        return queryset


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = [
            "slug",
            "is_published",
            "display_order",
            "owner",
            "review_by",
            "title_zh",
            "body_zh",
            "keywords_zh",
            "title_en",
            "body_en",
            "keywords_en",
        ]
        widgets = {
            "body_zh": forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField wxbind-markdown"}),
            "body_en": forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField wxbind-markdown"}),
            "keywords_zh": forms.Textarea(attrs={"rows": 3}),
            "keywords_en": forms.Textarea(attrs={"rows": 3}),
        }


@admin.register(Entry)
class EntryAdmin(HistoryAdmin):
    form = EntryForm
    change_form_template = "admin/faq/entry/change_form.html"
    list_display = [
        "slug",
        "title_zh",
        "title_en",
        "display_order",
        "is_published",
        "languages",
        "owner",
        "review_status",
        "helpfulness",
    ]
    list_display_links = ["slug", "title_zh"]
    list_editable = ["display_order", "is_published"]
    list_filter = ["is_published", LanguageCompletenessFilter, ReviewFilter, "owner"]
    search_fields = ["slug", "title_zh", "title_en", "keywords_zh", "keywords_en", "body_zh", "body_en"]
    ordering = ["display_order", "slug"]
    actions = ["publish", "unpublish", "mark_reviewed"]
    readonly_fields = ["chat_preview", "created_at", "updated_at"]
    history_list_display = ["is_published", "display_order"]
    fieldsets = [
        (None, {"fields": ["slug", "is_published", "display_order", "owner", "review_by"]}),
        (_("Chinese"), {"fields": ["title_zh", "body_zh", "keywords_zh"]}),
        (_("English"), {"fields": ["title_en", "body_en", "keywords_en"]}),
        (_("How it reads in chat"), {"fields": ["chat_preview"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                shown_count=Count("answer_events", filter=Q(answer_events__kind=AnswerEvent.Kind.SHOWN)),
                helpful_count=Count("answer_events", filter=Q(answer_events__kind=AnswerEvent.Kind.HELPFUL)),
                unhelpful_count=Count("answer_events", filter=Q(answer_events__kind=AnswerEvent.Kind.NOT_HELPFUL)),
            )
        )

    @admin.display(description=_("helpfulness"), ordering="shown_count")
    def helpfulness(self, entry: Entry) -> str:
        counts = {"shown": entry.shown_count, "yes": entry.helpful_count, "no": entry.unhelpful_count}
        votes = entry.helpful_count + entry.unhelpful_count
        if not votes:
            return gettext("%(shown)s shown · %(yes)s yes · %(no)s no") % counts
        share = entry.helpful_count * 100 // votes
        return gettext("%(shown)s shown · %(yes)s yes · %(no)s no (%(share)s%% helpful)") % {**counts, "share": share}

    @admin.display(description=_("languages"))
    def languages(self, entry: Entry) -> str:
        missing = entry.missing_languages()
        if not missing:
            return gettext("Chinese + English")
        return format_html(
            '<span style="color:#ba2121">{}</span>',
            gettext("missing %(languages)s") % {"languages": ", ".join(str(language.label) for language in missing)},
        )

    @admin.display(description=_("review by"), ordering="review_by")
    def review_status(self, entry: Entry) -> str:
        if entry.review_by is None:
            return "—"
        if entry.is_review_overdue():
            return format_html(
                '<strong style="color:#ba2121">{}</strong>',
                gettext("%(date)s (overdue)") % {"date": entry.review_by.isoformat()},
            )
        return entry.review_by.isoformat()

    @admin.display(description=_("preview"))
    def chat_preview(self, entry: Entry) -> str:
        if entry.pk is None:
            return gettext("Save the entry, or use “Preview unsaved changes” below each body.")
        html = render_to_string("admin/faq/entry/_preview.html", {"previews": _previews(entry)})
        extra = [import_string(path)(entry) for path in settings.WXBIND_CHAT_PREVIEWS]
        return mark_safe(html + "".join(extra))

    @admin.action(description=_("Publish selected entries"))
    def publish(self, request, queryset):
        count = self._save_each(request, queryset, is_published=True, reason="Published")
        done = ngettext("Published %(count)d entry.", "Published %(count)d entries.", count)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish selected entries"))
    def unpublish(self, request, queryset):
        count = self._save_each(request, queryset, is_published=False, reason="Unpublished")
        done = ngettext("Unpublished %(count)d entry.", "Unpublished %(count)d entries.", count)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark reviewed (next review in 180 days)"))
    def mark_reviewed(self, request, queryset):
        next_review = timezone.localdate() + REVIEW_EXTENSION
        count = self._save_each(request, queryset, review_by=next_review, reason="Marked reviewed")
        done = ngettext("Marked %(count)d entry reviewed.", "Marked %(count)d entries reviewed.", count)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @staticmethod
    def _save_each(request, queryset, *, reason: str, **changes) -> int:
        """Save the changes entry by entry, so each gets a revision and refreshes search; returns how many."""
        saved = 0
        for entry in queryset:
            for name, value in changes.items():
                setattr(entry, name, value)
            # Kept with the revision as data, in one language whoever reads it later.
            entry._change_reason = reason
            entry._history_user = request.user
            entry.save()
            saved += 1
        return saved

    def get_urls(self):
        preview = self.admin_site.admin_view(require_POST(self.preview_view))
        return [path("preview/", preview, name="faq_entry_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> JsonResponse:
        """Render unsaved Markdown as the bot would show it."""
        if not self.has_change_permission(request) and not self.has_add_permission(request):
            return JsonResponse({"error": gettext("You may not edit FAQ entries.")}, status=403)
        try:
            language = Language.parse(request.POST.get("language"))
        except ValueError:
            return JsonResponse({"error": gettext("Preview in zh or en.")}, status=400)
        title = request.POST.get("title", "")[:200]
        body = request.POST.get("body", "")
        if len(body) > MAX_BODY_CHARS:
            limit = f"{MAX_BODY_CHARS:,}"
            return JsonResponse(
                {"error": gettext("The body is over %(limit)s characters.") % {"limit": limit}}, status=400
            )
        document = parse(body)
        html = render_to_string(
            "admin/faq/entry/_preview.html",
            {"previews": [_preview(language, title, document)]},
        )
        return JsonResponse({"html": html})


def _preview(language: Language, title: str, document) -> dict:
    return {
        "language": language.label,
        "title": title,
        "html": render_html(document),
        "text": render_text(document, language),
        "images": document.images(),
    }


def _previews(entry: Entry) -> list[dict]:
    return [
        _preview(language, entry.title(language), entry.document(language))
        for language in Language
        if entry.has_language(language)
    ]


@admin.register(DiagnosisStep)
class DiagnosisStepAdmin(HistoryAdmin):
    list_display = ["key", "question_zh", "question_en", "cause_answer", "display_order", "is_published"]
    list_editable = ["display_order", "is_published"]
    ordering = ["display_order", "key"]
    fieldsets = [
        (None, {"fields": ["key", "display_order", "is_published", "cause_answer"]}),
        (_("Chinese"), {"fields": ["question_zh", "check_zh", "fix_zh"]}),
        (_("English"), {"fields": ["question_en", "check_en", "fix_en"]}),
    ]


class SynonymGroupForm(forms.ModelForm):
    class Meta:
        model = SynonymGroup
        fields = ["members_zh", "members_en", "note", "is_active"]
        widgets = {"members_zh": forms.Textarea(attrs={"rows": 3}), "members_en": forms.Textarea(attrs={"rows": 3})}


@admin.register(SynonymGroup)
class SynonymGroupAdmin(HistoryAdmin):
    """Words people use for the FAQ's concepts; the change list lets staff try a question against them."""

    form = SynonymGroupForm
    change_list_template = "admin/faq/synonymgroup/change_list.html"
    list_display = ["__str__", "members_zh", "members_en", "note", "is_active", "updated_at"]
    list_display_links = ["__str__"]
    list_filter = ["is_active"]
    search_fields = ["members_zh", "members_en", "note"]
    history_list_display = ["is_active"]

    def changelist_view(self, request, extra_context=None):
        question = request.GET.get("try", "").strip()[:MAX_QUERY_CHARS]
        extra_context = {**(extra_context or {}), "tried": _tried(question) if question else None}
        # The question is not a list filter: keep it out of the change list's own parameters.
        if "try" in request.GET:
            request.GET = request.GET.copy()
            request.GET.pop("try")
        return super().changelist_view(request, extra_context)


class AnswerFilter(admin.SimpleListFilter):
    title = _("answer")
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        return [("entry", _("an entry")), ("none", _("no entry (not in this FAQ)"))]

    def queryset(self, request, queryset):
        if self.value() == "entry":
            return queryset.filter(entry__isnull=False)
        if self.value() == "none":
            return queryset.filter(entry__isnull=True)
        return queryset


@admin.register(ExampleQuestion)
class ExampleQuestionAdmin(HistoryAdmin):
    """Questions as people type them, filed under the entry that answers them, or under none.

    A question filed here gets its filed answer on the next query, in every
    process; the others are answered by what search learned from all of them.
    """

    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 90})}}
    list_display = ["question", "filed_answer", "is_active", "updated_at"]
    list_filter = [AnswerFilter, "is_active", "entry"]
    search_fields = ["question"]
    autocomplete_fields = ["entry"]
    list_per_page = 50
    history_list_display = ["entry", "is_active"]

    @admin.display(description=_("filed answer"), ordering="entry__slug")
    def filed_answer(self, example: ExampleQuestion) -> str:
        return example.entry.slug if example.entry else gettext("— (not in this FAQ)")


def _tried(question: str) -> dict:
    result, reading = search_explained(question)
    return {
        "question": question,
        "best": result.best,
        "hits": result.hits,
        "close_call": result.is_close_call,
        "corrections": result.corrections,
        "verdict": reading.verdict,
        "counted": [slot for slot in reading.slots if slot.salience > 0],
    }


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AnswerEvent)
class AnswerEventAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "kind", "entry", "question", "language", "channel", "user_id"]
    list_filter = ["kind", "channel", "language", "entry"]
    search_fields = ["question", "user_id"]
    date_hierarchy = "created_at"
    list_select_related = ["entry"]


@admin.register(UnansweredQuestion)
class UnansweredQuestionAdmin(_ReadOnlyAdmin):
    """Unanswered questions grouped as asked alike, with the entries search ranks closest: taught in one click."""

    list_display = ["created_at", "question", "language", "channel", "user_id"]
    list_filter = ["channel", "language"]
    search_fields = ["question"]
    ordering = ["-created_at"]
    CLOSEST = 3

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind__in=AnswerEvent.UNANSWERED)

    def get_urls(self):
        teach = self.admin_site.admin_view(require_POST(self.teach_view))
        each = self.admin_site.admin_view(self.each_view)
        return [
            path("teach/", teach, name="faq_unansweredquestion_teach"),
            path("each/", each, name="faq_unansweredquestion_each"),
            *super().get_urls(),
        ]

    def each_view(self, request: HttpRequest):
        """Every asking, one per row, as recorded: Django's own list."""
        return super().changelist_view(request)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        groups = []
        for group in unanswered_groups():
            result = search(group.question, limit=self.CLOSEST)
            closest = [hit.slug for hit in result.hits[: self.CLOSEST]]
            groups.append(
                {"group": group, "closest": _entries_in_order(closest), "new_entry": _new_entry_url(group.question)}
            )
        context = {
            **self.admin_site.each_context(request),
            "title": capfirst(self.model._meta.verbose_name_plural),
            "opts": self.model._meta,
            "groups": groups,
            "entries": Entry.objects.order_by("display_order", "slug").only("pk", "slug", "title_zh", "title_en"),
            "can_teach": request.user.has_perm("faq.change_entry"),
            "can_add_entry": request.user.has_perm("faq.add_entry"),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/faq/unansweredquestion/grouped.html", context)

    def teach_view(self, request: HttpRequest) -> HttpResponseRedirect:
        """ "This entry answers it": the question becomes the entry's alias; then search is asked, not assumed."""
        back = HttpResponseRedirect(reverse("admin:faq_unansweredquestion_changelist"))
        if not request.user.has_perm("faq.change_entry"):
            raise PermissionDenied
        entry = Entry.objects.filter(pk=_whole_number(request.POST.get("entry"))).first()
        key = str(request.POST.get("key") or "")[:200]
        if entry is None or not key:
            messages.error(request, gettext("Choose the entry that answers the question."))
            return back
        try:
            taught = unanswered_teach(question_key=key, entry=entry, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
        title = entry.title(Language.of_text(taught.questions[0]))
        for question in taught.questions:
            now = answer_question(question=question)
            if now.kind is AnswerKind.ANSWER and now.entry is not None and now.entry.pk == entry.pk:
                messages.success(
                    request,
                    gettext("“%(question)s” is now answered by “%(entry)s”.") % {"question": question, "entry": title},
                )
            else:
                messages.warning(
                    request,
                    gettext(
                        "“%(question)s” was added to the aliases of “%(entry)s”, but search still does not answer "
                        "it with that entry. Edit the entry, or add a synonym."
                    )
                    % {"question": question, "entry": title},
                )
        return back


def _whole_number(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12 else None


def _entries_in_order(slugs: list[str]) -> list[Entry]:
    found = {entry.slug: entry for entry in Entry.objects.filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]


def _new_entry_url(question: str) -> str:
    """The add-entry form prefilled from a question: its title and alias, unpublished until staff finish it."""
    language = Language.of_text(question).value
    alias = tokenize.as_list_item(question)[:200]
    prefill = {f"title_{language}": question[:200], f"keywords_{language}": alias, "is_published": ""}
    return f"{reverse('admin:faq_entry_add')}?{urlencode(prefill)}"
