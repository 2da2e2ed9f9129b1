from django.conf import settings
from django.db import models
from django.utils import timezone


class ChatUser(models.Model):
    """A person as a chat platform knows them, with what we looked up about them once."""

    class Platform(models.TextChoices):
        SLACK = "slack", "Slack"
        TEAMS = "teams", "Microsoft Teams"

    platform = models.CharField(max_length=8, choices=Platform.choices)
    workspace_id = models.CharField(max_length=64)
    user_id = models.CharField(max_length=128)
    locale = models.CharField(max_length=16, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    route = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the platform reaches this person later, where it needs more than the id.",
    )
    fetched_at = models.DateTimeField(default=timezone.now)
    django_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_users",
        help_text="The site account of this person; members of the Agents group act as agents in chat.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "workspace_id", "user_id"], name="unique_chat_user"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace_id}:{self.user_id}"


class ChatEventReceipt(models.Model):
    """An inbound chat event we have handled, so a platform's retry causes nothing twice."""

    platform = models.CharField(max_length=8, choices=ChatUser.Platform.choices)
    event_id = models.CharField(max_length=128)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "event_id"], name="unique_chat_event")]

    def __str__(self) -> str:
        return f"{self.platform}:{self.event_id}"
