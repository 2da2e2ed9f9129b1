from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases.forms import ReminderPolicyForm
from cases.models import Case, CaseEvent, Delivery, ReminderPolicy, Said
from cases.policy import NotAllowed, actor_for_user
from cases.services import case_move
from cases.states import ACTIVE_STATES, Action, IllegalMove, allowed_actions

# The moves an agent makes from a case's page, in the order offered.
PAGE_MOVES = [
    (Action.ASSIGN, _("Assign to me"), True),
    (Action.WAIT, _("Waiting on reporter"), False),
    (Action.RESOLVE, _("Resolve"), False),
    (Action.REOPEN, _("Reopen"), False),
    (Action.CLOSE, _("Close"), False),
]

# What a timeline event says was done: every move, the opening (which is no move), and the words said.
EVENT_ACTIONS = {"open": _("opened"), **dict(Action.choices), **dict(Said.choices)}

PLATFORM_NAMES = {"slack": "Slack", "teams": "Teams"}


def _linkable(url: str) -> bool:
    # A link agents click from the admin: a web address, never javascript: or data: or anything else.
    return url.lower().startswith(("https://", "http://"))


def files_html(attachments) -> SafeString:
    """A message's files, one a line: each a link to where it is, or its name alone if it is not at a web address."""
    files = [file for file in (attachments if isinstance(attachments, list) else []) if isinstance(file, dict)]
    lines = []
    for file in files:
        url = str(file.get("url") or "")
        name = str(file.get("name") or "") or url.rsplit("/", 1)[-1] or gettext("file")
        if _linkable(url):
            lines.append(format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, name))
        else:
            lines.append(format_html("{}", name))
    if not lines:
        return SafeString("")
    return format_html(
        '<span class="wxbind-files"><span class="wxbind-files-label">{}</span> {}</span>',
        gettext("Files:"),
        format_html_join(SafeString("<br>"), "{}", ((line,) for line in lines)),
    )


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["at", "who", "done", "written_on", "from_state", "to_state", "said"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("actor"))
    def who(self, event: CaseEvent) -> str:
        if event.actor_name and event.actor_name != event.actor:
            return format_html('{} <span class="wxbind-actor">{}</span>', event.actor_name, event.actor)
        return event.actor

    @admin.display(description=_("action"))
    def done(self, event: CaseEvent) -> str:
        label = EVENT_ACTIONS.get(event.action, event.action)
        if event.action == Said.NOTE:
            # Words agents kept among themselves stand out from those the reporter read.
            return format_html('<span class="wxbind-internal-note">{}</span>', label)
        return label

    @admin.display(description=_("platform"))
    def written_on(self, event: CaseEvent) -> str:
        return PLATFORM_NAMES.get(event.platform, event.platform)

    @admin.display(description=_("note or message"))
    def said(self, event: CaseEvent) -> str:
        text = format_html('<span class="wxbind-said">{}</span>', linebreaksbr(event.note)) if event.note else ""
        files = files_html(event.attachments)
        return format_html("{}{}", text, files)


class ActiveFilter(admin.SimpleListFilter):
    # Its own context: Django's users have an "active" of their own, translated otherwise.
    title = pgettext_lazy("cases that are", "active")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Active (open, assigned, waiting)")), ("no", _("Resolved or closed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(state__in=ACTIVE_STATES)
        if self.value() == "no":
            return queryset.exclude(state__in=ACTIVE_STATES)
        return queryset


class SatisfactionFilter(admin.SimpleListFilter):
    title = _("satisfaction")
    parameter_name = "satisfaction"

    def lookups(self, request, model_admin):
        return [*((str(score), f"★ {score}/5") for score in range(5, 0, -1)), ("none", _("Not rated"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(satisfaction__isnull=True)
        if self.value() in {str(score) for score in range(1, 6)}:
            return queryset.filter(satisfaction=int(self.value()))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("follow-ups")
    parameter_name = "followups"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue (a follow-up is due)")),
            ("escalated", _("Escalated")),
            ("problem", _("Follow-up failed")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "overdue":
                return queryset.filter(state__in=ACTIVE_STATES, next_due_at__lte=timezone.now())
            case "escalated":
                return queryset.filter(state__in=ACTIVE_STATES, escalation_level__gt=0)
            case "problem":
                return queryset.exclude(delivery_problem="")
        return queryset


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    # Narrow enough for a 1366 px screen beside the filters; the channel is a filter.
    list_display = ["number", "state", "level", "reporter_name", "assignee", "topic", "rating_stars", "created_at"]
    list_filter = [
        "state",
        ActiveFilter,
        OverdueFilter,
        SatisfactionFilter,
        "assignee",
        "escalation_level",
        "channel",
        "account_kind",
    ]
    search_fields = ["=number", "reporter_id", "reporter_name", "appid", "tencent_account_id", "description"]
    # What agents work with; the chat platforms' internal ids (card message, routes, the
    # submission key) stay out of sight.
    fieldsets = [
        (None, {"fields": ["number", "state", "escalation_level", "assignee", "topic"]}),
        (_("Reporter"), {"fields": ["reporter_name", "channel"]}),
        (_("Binding details"), {"fields": ["tencent_account_id", "appid", "account_kind", "ruled_out"]}),
        (_("What they said"), {"fields": ["description", "question", "answer_slug"]}),
        (
            _("Follow-ups"),
            {
                "fields": [
                    "created_at",
                    "first_response_at",
                    "last_activity_at",
                    "waiting_since",
                    "resolved_at",
                    "next_due_at",
                    "delivery_problem",
                ]
            },
        ),
        (_("Reporter's rating"), {"fields": ["rating", "satisfaction_comment", "rated_at"]}),
    ]
    readonly_fields = [field for _, options in fieldsets for field in options["fields"]]
    inlines = [CaseEventInline]
    actions = ["assign_to_me", "resolve"]
    list_select_related = ["assignee", "topic"]

    change_form_template = "admin/cases/case/change_form.html"

    @admin.display(description=_("Level"), ordering="escalation_level")
    def level(self, case: Case) -> int:
        return case.escalation_level

    @admin.display(description=_("satisfaction"), ordering="satisfaction")
    def rating_stars(self, case: Case) -> str:
        return f"★ {case.satisfaction}/5" if case.is_rated else "—"

    @admin.display(description=_("satisfaction"))
    def rating(self, case: Case) -> str:
        if not case.is_rated:
            return gettext("Not rated")
        return format_html(
            '<span class="wxbind-rating" aria-hidden="true">{}</span> {}/5',
            "★" * case.satisfaction + "☆" * (5 - case.satisfaction),
            case.satisfaction,
        )

    def has_add_permission(self, request) -> bool:
        return False  # cases are opened by reporters, in chat or through the API

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a case and its timeline are a record; resolve or close it instead

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        moves = allowed_actions(case.state) if case else []
        extra_context = {
            **(extra_context or {}),
            "case_moves": [
                {"action": action.value, "label": label, "primary": primary}
                for action, label, primary in PAGE_MOVES
                if action in moves
            ],
            # Everything on the page is read-only: changes are the moves above.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        move = self.admin_site.admin_view(require_POST(self.move_view))
        return [path("<path:object_id>/move/<str:action>/", move, name="cases_case_move"), *super().get_urls()]

    def move_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponseRedirect:
        """One move from the case's page, through the same service (and rules) as chat and the API."""
        case = get_object_or_404(Case, pk=object_id)
        extra = {"assignee": request.user} if action == Action.ASSIGN else {}
        self._move_each(request, Case.objects.filter(pk=case.pk), action, **extra)
        return HttpResponseRedirect(reverse("admin:cases_case_change", args=[case.pk]))

    def _move_each(self, request, queryset, action: str, **extra) -> None:
        actor = actor_for_user(request.user)
        moved, refused = 0, []
        for case in queryset:
            try:
                case_move(number=case.number, action=action, actor=actor, **extra)
                moved += 1
            except (IllegalMove, NotAllowed, ValidationError) as error:
                refused.append(gettext("%(case)s: %(reason)s") % {"case": case, "reason": error})
        if moved:
            label = Action(action).label if action in Action.values else action
            done = ngettext("%(move)s: %(count)d case.", "%(move)s: %(count)d cases.", moved)
            self.message_user(request, capfirst(done % {"move": label, "count": moved}), messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Assign selected cases to me"))
    def assign_to_me(self, request, queryset):
        self._move_each(request, queryset, Action.ASSIGN, assignee=request.user)

    @admin.action(description=_("Resolve selected cases"))
    def resolve(self, request, queryset):
        self._move_each(request, queryset, Action.RESOLVE)


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    form = ReminderPolicyForm
    fieldsets = [
        (_("Unassigned cases"), {"fields": ["unassigned_first", "unassigned_repeat"]}),
        (_("Agents"), {"fields": ["agent_idle"]}),
        (_("Reporters"), {"fields": ["agent_message_waits", "reporter_nudge_after", "reporter_nudges"]}),
        (_("Escalation"), {"fields": ["sla", "escalation_levels"]}),
        (_("Weekly digest"), {"fields": ["digest_weekday", "digest_time"]}),
        (
            _("Business hours"),
            {"fields": ["business_day_start", "business_day_end", "business_weekdays", "holidays"]},
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        """There is one policy: its list is its page."""
        policy = ReminderPolicy.current()
        return redirect(reverse("admin:cases_reminderpolicy_change", args=[policy.pk]))

    def has_add_permission(self, request) -> bool:
        return not ReminderPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The follow-up log, failures first."""

    list_display = [
        "case",
        "scope",
        "kind",
        "step",
        "state",
        "attempts",
        "retry_at",
        "error",
        "destination",
        "created_at",
        "sent_at",
    ]
    list_filter = ["state", "kind"]
    search_fields = ["=case__number", "error"]
    list_select_related = ["case"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a log: read, never edited (and no Save button on its pages)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    ordering = ["state", "-created_at"]  # "failed" sorts before "pending" and "sent": failures first

    def has_add_permission(self, request) -> bool:
        return False
