from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from cases.models import Case, CaseEvent
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
    list_filter = ["state", ActiveFilter, "assignee", "escalation_level", "channel", "account_kind"]
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
