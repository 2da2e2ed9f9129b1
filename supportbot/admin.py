from django.contrib import admin

from supportbot.models import ChatUser, HeldMessage


@admin.register(ChatUser)
class ChatUserAdmin(admin.ModelAdmin):
    list_display = ["platform", "workspace_id", "user_id", "display_name", "locale", "django_user"]
    list_filter = ["platform", "locale"]
    search_fields = ["user_id", "display_name", "django_user__username"]
    fields = ["platform", "workspace_id", "user_id", "display_name", "locale", "django_user", "fetched_at"]
    readonly_fields = ["platform", "workspace_id", "user_id", "display_name", "locale", "fetched_at"]
    autocomplete_fields = ["django_user"]

    def has_add_permission(self, request) -> bool:
        return False  # people appear here when they first use the bot


@admin.register(HeldMessage)
class HeldMessageAdmin(admin.ModelAdmin):
    """Reporters' messages waiting for them to say which case they are about: none is lost from sight."""

    list_display = ["received_at", "platform", "user_id", "name", "case_number", "text"]
    list_filter = ["platform", ("case_number", admin.EmptyFieldListFilter)]
    search_fields = ["user_id", "name", "text"]
    readonly_fields = [
        "platform",
        "workspace_id",
        "user_id",
        "name",
        "text",
        "files",
        "source_key",
        "case_number",
        "received_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
