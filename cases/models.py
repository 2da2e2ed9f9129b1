from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from cases.states import ACTIVE_STATES, State

APPID_VALIDATOR = RegexValidator(r"^wx[0-9a-f]{16}$", "A Mini Program AppID is “wx” followed by 16 hex digits.")
ACCOUNT_ID_VALIDATOR = RegexValidator(r"^[0-9]{5,20}$", "A Tencent Cloud account ID is 5 to 20 digits.")


class AccountKind(models.TextChoices):
    MAIN = "main", "main account"
    SUB = "sub", "sub-account"
    VIA_MINIPROGRAM = "via_miniprogram", "registered through a mini program"


class Channel(models.TextChoices):
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"
    API = "api", "API"


class CaseQuerySet(models.QuerySet):
    def active(self) -> CaseQuerySet:
        return self.filter(state__in=ACTIVE_STATES)

    def of_reporter(self, *, channel: str, workspace_id: str, user_id: str) -> CaseQuerySet:
        return self.filter(channel=channel, workspace_id=workspace_id, reporter_id=user_id)


class Case(models.Model):
    """A binding problem the FAQ did not solve, followed until it is resolved."""

    number = models.PositiveIntegerField(unique=True, editable=False, help_text="Said aloud as “case 1042”.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)

    channel = models.CharField(max_length=8, choices=Channel.choices)
    workspace_id = models.CharField(max_length=64)
    chat_channel_id = models.CharField(max_length=64, blank=True, help_text="Where the reporter asked.")
    reporter_id = models.CharField(max_length=128)
    reporter_name = models.CharField(max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_cases"
    )
    assignee_chat_id = models.CharField(max_length=128, blank=True, help_text="The agent's id on the chat platform.")

    topic = models.ForeignKey("faq.Entry", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    tencent_account_id = models.CharField(
        "Tencent Cloud account ID", max_length=20, blank=True, validators=[ACCOUNT_ID_VALIDATOR]
    )
    appid = models.CharField("Mini Program AppID", max_length=18, blank=True, validators=[APPID_VALIDATOR])
    account_kind = models.CharField(max_length=16, choices=AccountKind.choices, blank=True)
    ruled_out = models.JSONField(default=list, blank=True, help_text="Diagnosis causes the reporter already ruled out.")
    description = models.TextField(blank=True, help_text="Stored with anything that looked like a secret masked.")
    question = models.TextField(blank=True, help_text="What the reporter asked the bot.")
    answer_slug = models.CharField(max_length=64, blank=True, help_text="The FAQ answer that did not help.")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Where the case is discussed by agents (e.g. the Slack support channel message).
    support_channel_id = models.CharField(max_length=64, blank=True)
    support_message_ts = models.CharField(max_length=32, blank=True)
    # The same submission seen twice (a double click, a platform retry) opens one case.
    source_key = models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"case {self.number}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    def is_reporter(self, *, channel: str, workspace_id: str, user_id: str) -> bool:
        return (self.channel, self.workspace_id, self.reporter_id) == (channel, workspace_id, user_id)


class CaseEvent(models.Model):
    """One line of a case's timeline, written with the change it records. Never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=200, help_text="Who: a staff user, a chat user, or the system.")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_state or '—'} → {self.to_state} by {self.actor}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Case events are immutable: write a new one instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case events are immutable.")


class CaseNumber(models.Model):
    """The last case number handed out; locked while the next one is taken."""

    last = models.PositiveIntegerField(default=1000)

    def __str__(self) -> str:
        return f"last case number {self.last}"
