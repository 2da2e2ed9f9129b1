from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone

from cases.states import ACTIVE_STATES, State

APPID_VALIDATOR = RegexValidator(r"^wx[0-9a-f]{16}$", "A Mini Program AppID is “wx” followed by 16 hex digits.")


def normalize_appid(typed: str) -> str:
    """AppIDs are compared and stored in lower case, however they were typed (WX0123…ABCD is wx0123…abcd)."""
    return typed.strip().lower()


ACCOUNT_ID_VALIDATOR = RegexValidator(r"^[0-9]{5,20}$", "A Tencent Cloud account ID is 5 to 20 digits.")


class AccountKind(models.TextChoices):
    MAIN = "main", "main account"
    SUB = "sub", "sub-account"
    VIA_MINIPROGRAM = "via_miniprogram", "registered through a mini program"


API_CHANNEL = "api"


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

    channel = models.CharField(
        max_length=8, help_text="Where it came from: a chat platform (slack, teams) or the API (api)."
    )
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
    # Follow-ups: when the next one is due (swept by index), and what they follow.
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    waiting_since = models.DateTimeField(null=True, blank=True)
    delivery_problem = models.CharField(
        max_length=200, blank=True, help_text="The last follow-up that could not be sent."
    )

    # The card agents work the case from: which platform, which conversation, which message.
    card_platform = models.CharField(max_length=8, blank=True)
    card_conversation = models.CharField(max_length=200, blank=True)
    card_message = models.CharField(max_length=200, blank=True)
    card_route = models.CharField(
        max_length=300, blank=True, help_text="How the platform reaches it, if it needs more."
    )
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

    @property
    def has_card(self) -> bool:
        return bool(self.card_platform and self.card_message)


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


class ReminderPolicy(models.Model):
    """When follow-ups happen. One row, edited in admin; every interval can be as short as seconds."""

    unassigned_first = models.DurationField(
        default=datetime.timedelta(minutes=30), help_text="Post an unassigned case in the support channel after this."
    )
    unassigned_repeat = models.DurationField(default=datetime.timedelta(hours=2), help_text="…then again every this.")
    agent_idle = models.DurationField(
        default=datetime.timedelta(hours=4),
        help_text="Remind the agent after this much business time without activity.",
    )
    reporter_nudge_after = models.DurationField(
        default=datetime.timedelta(hours=24), help_text="Ask a reporter we wait on whether the fix worked after this."
    )
    reporter_nudges = models.PositiveSmallIntegerField(default=2, help_text="Ask at most this often, then resolve.")
    sla = models.DurationField(
        "resolution SLA",
        default=datetime.timedelta(hours=8),
        help_text="Business time to resolve before escalating (once per level).",
    )
    escalation_levels = models.PositiveSmallIntegerField(default=3)
    business_day_start = models.TimeField(default=datetime.time(9, 0))
    business_day_end = models.TimeField(default=datetime.time(18, 0))
    business_weekdays = models.CharField(
        "business days", max_length=13, default="0,1,2,3,4", help_text="Days with business hours."
    )
    holidays = models.TextField(blank=True, help_text="Dates without business hours, one YYYY-MM-DD per line.")

    SINGLETON_ID = 1

    class Meta:
        verbose_name = verbose_name_plural = "reminder policy"

    def __str__(self) -> str:
        return "reminder policy"

    def save(self, *args, **kwargs) -> None:
        # Open cases keep the due time the old policy gave them; asking the next
        # sweep to look at each again applies the new one from then on. What is
        # due under it is sent once, as always (one delivery per case, kind and step).
        with transaction.atomic():
            super().save(*args, **kwargs)
            Case.objects.active().update(next_due_at=timezone.now())

    @classmethod
    def current(cls) -> ReminderPolicy:
        return cls.objects.get_or_create(pk=cls.SINGLETON_ID)[0]

    def weekdays(self) -> set[int]:
        return {int(d) for d in self.business_weekdays.split(",") if d.strip().isdigit()}

    def holiday_dates(self) -> set[datetime.date]:
        dates = set()
        for line in self.holidays.split():
            try:
                dates.add(datetime.date.fromisoformat(line.strip()))
            except ValueError:
                continue
        return dates


class Delivery(models.Model):
    """One follow-up message, written before it is sent, so nothing is lost and nothing is sent twice."""

    class Kind(models.TextChoices):
        ANNOUNCE = "announce", "new case shown to agents"
        CASE_CHANGED = "case_changed", "case change shown to agents"
        UNASSIGNED = "unassigned", "unassigned case in support channel"
        AGENT_IDLE = "agent_idle", "agent reminder"
        REPORTER_NUDGE = "reporter_nudge", "did the fix work?"
        AUTO_RESOLVED = "auto_resolved", "resolved after no reply"
        ESCALATION = "escalation", "escalation"

    class State(models.TextChoices):
        PENDING = "pending", "pending"
        SENT = "sent", "sent"
        SKIPPED = "skipped", "nothing to send"
        FAILED = "failed", "failed for good"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    step = models.BigIntegerField(
        help_text="Which one of its kind: the 1st, 2nd…, the activity it follows, or the timeline event it shows."
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True, help_text="A worker is sending it until then.")
    retry_at = models.DateTimeField(
        null=True, blank=True, help_text="It failed for a passing reason: tried again then, and never before."
    )
    destination = models.CharField(max_length=200, blank=True, help_text="Platform and conversation it went to.")
    message_ref = models.CharField(max_length=200, blank=True, help_text="The message as the platform knows it.")
    error = models.CharField(max_length=200, blank=True, help_text="Why it failed, or why there was nothing to send.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind", "step"], name="one_delivery_per_step")]
        indexes = [models.Index(fields=["state", "claimed_until"], name="delivery_pending_claims")]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.case} {self.kind} #{self.step}: {self.state}"


class SendPause(models.Model):
    """A platform that asked us to wait (HTTP 429 with Retry-After): nothing is sent to it until ``until``.

    Then one sender at a time may try again (it moves ``until`` on by a probe's
    length with a compare-and-set); a success lifts the pause for everyone, a
    new 429 starts the next window. So a rate-limit storm costs one attempt per
    window, however many follow-ups are waiting and however many workers run.
    """

    scope = models.CharField(max_length=64, unique=True, help_text="What is paused: a platform's name.")
    until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.scope} paused until {self.until:%H:%M:%S}"
