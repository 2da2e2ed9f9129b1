from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case, CaseEvent, Delivery, ReminderPolicy
from cases.policy import NotAllowed, actor_for_user
from cases.services import case_move
from cases.states import ACTIVE_STATES, Action, IllegalMove


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ActiveFilter(admin.SimpleListFilter):
    title = "active"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "Active (open, assigned, waiting)"), ("no", "Resolved or closed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(state__in=ACTIVE_STATES)
        if self.value() == "no":
            return queryset.exclude(state__in=ACTIVE_STATES)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "follow-ups"
    parameter_name = "followups"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue (a follow-up is due)"),
            ("escalated", "Escalated"),
            ("problem", "Follow-up failed"),
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
    list_display = [
        "number",
        "state",
        "escalation_level",
        "channel",
        "reporter_name",
        "assignee",
        "topic",
        "created_at",
    ]
    list_filter = ["state", ActiveFilter, OverdueFilter, "assignee", "escalation_level", "channel", "account_kind"]
    search_fields = ["=number", "reporter_id", "reporter_name", "appid", "tencent_account_id", "description"]
    readonly_fields = [f.name for f in Case._meta.fields]
    inlines = [CaseEventInline]
    actions = ["assign_to_me", "resolve"]
    list_select_related = ["assignee", "topic"]

    def has_add_permission(self, request) -> bool:
        return False  # cases are opened by reporters, in chat or through the API

    def _move_each(self, request, queryset, action: str, **extra) -> None:
        actor = actor_for_user(request.user)
        moved, refused = 0, []
        for case in queryset:
            try:
                case_move(number=case.number, action=action, actor=actor, **extra)
                moved += 1
            except (IllegalMove, NotAllowed, ValidationError) as error:
                refused.append(f"{case}: {error}")
        if moved:
            self.message_user(request, f"{Action(action).label.capitalize()}: {moved} case(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description="Assign selected cases to me")
    def assign_to_me(self, request, queryset):
        self._move_each(request, queryset, Action.ASSIGN, assignee=request.user)

    @admin.action(description="Resolve selected cases")
    def resolve(self, request, queryset):
        self._move_each(request, queryset, Action.RESOLVE)


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Unassigned cases", {"fields": ["unassigned_first", "unassigned_repeat"]}),
        ("Agents", {"fields": ["agent_idle"]}),
        ("Reporters", {"fields": ["reporter_nudge_after", "reporter_nudges"]}),
        ("Escalation", {"fields": ["sla", "escalation_levels"]}),
        ("Business hours", {"fields": ["business_day_start", "business_day_end", "business_weekdays", "holidays"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return not ReminderPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The follow-up log, failures first."""

    list_display = ["case", "kind", "step", "state", "attempts", "error", "destination", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["=case__number", "error"]
    list_select_related = ["case"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    ordering = ["state", "-created_at"]  # "failed" sorts before "pending" and "sent": failures first

    def has_add_permission(self, request) -> bool:
        return False
