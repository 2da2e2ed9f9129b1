from django.contrib import admin

from supportbot.models import ChatUser


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
