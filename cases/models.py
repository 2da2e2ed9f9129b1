from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.states import ACTIVE_STATES, State

APPID_VALIDATOR = RegexValidator(r"^wx[0-9a-f]{16}$", _("A Mini Program AppID is “wx” followed by 16 hex digits."))


def normalize_appid(typed: str) -> str:
    """AppIDs are compared and stored in lower case, however they were typed (WX0123…ABCD is wx0123…abcd)."""
    return typed.strip().lower()


ACCOUNT_ID_VALIDATOR = RegexValidator(r"^[0-9]{5,20}$", _("A Tencent Cloud account ID is 5 to 20 digits."))


class AccountKind(models.TextChoices):
    MAIN = "main", _("main account")
    SUB = "sub", _("sub-account")
    VIA_MINIPROGRAM = "via_miniprogram", _("registered through a mini program")


API_CHANNEL = "api"


class CaseQuerySet(models.QuerySet):
    def active(self) -> CaseQuerySet:
        return self.filter(state__in=ACTIVE_STATES)

    def of_reporter(self, *, channel: str, workspace_id: str, user_id: str) -> CaseQuerySet:
        return self.filter(channel=channel, workspace_id=workspace_id, reporter_id=user_id)


class Case(models.Model):
    """A binding problem the FAQ did not solve, followed until it is resolved."""

    number = models.PositiveIntegerField(
        _("number"), unique=True, editable=False, help_text=_("Said aloud as “case 1042”.")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    channel = models.CharField(
        _("channel"), max_length=8, help_text=_("Where it came from: a chat platform (slack, teams) or the API (api).")
    )
    workspace_id = models.CharField(_("workspace ID"), max_length=64)
    chat_channel_id = models.CharField(
        _("chat channel ID"), max_length=64, blank=True, help_text=_("Where the reporter asked.")
    )
    reporter_id = models.CharField(_("reporter ID"), max_length=128)
    reporter_name = models.CharField(_("reporter name"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    assignee_chat_id = models.CharField(
        _("assignee's chat ID"), max_length=128, blank=True, help_text=_("The agent's id on the chat platform.")
    )

    topic = models.ForeignKey(
        "faq.Entry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("topic"),
    )
    tencent_account_id = models.CharField(
        _("Tencent Cloud account ID"), max_length=20, blank=True, validators=[ACCOUNT_ID_VALIDATOR]
    )
    appid = models.CharField(_("Mini Program AppID"), max_length=18, blank=True, validators=[APPID_VALIDATOR])
    account_kind = models.CharField(_("account kind"), max_length=16, choices=AccountKind.choices, blank=True)
    ruled_out = models.JSONField(
        _("ruled out"), default=list, blank=True, help_text=_("Diagnosis causes the reporter already ruled out.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Stored with anything that looked like a secret masked.")
    )
    question = models.TextField(_("question"), blank=True, help_text=_("What the reporter asked the bot."))
    answer_slug = models.CharField(
        _("answer"), max_length=64, blank=True, help_text=_("The FAQ answer that did not help.")
    )

    created_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, db_index=True)
    # Follow-ups: when the next one is due (swept by index), and what they follow.
    next_due_at = models.DateTimeField(_("next follow-up due"), null=True, blank=True, db_index=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    first_response_at = models.DateTimeField(
        _("first response"),
        null=True,
        blank=True,
        help_text=_("When an agent first wrote to the reporter or took the case."),
    )
    # Business hours from opening, kept when they happen so that insights need not recount them.
    first_response_hours = models.FloatField(_("business hours to first response"), null=True, blank=True)
    resolution_hours = models.FloatField(_("business hours to resolution"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The reporter's rating when the case was resolved, 1 (poor) to 5 (great)."),
    )
    satisfaction_comment = models.TextField(_("satisfaction comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True, db_index=True)
    delivery_problem = models.CharField(
        _("follow-up problem"), max_length=200, blank=True, help_text=_("The last follow-up that could not be sent.")
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
        indexes = [
            models.Index(fields=["card_platform", "card_message"], name="case_by_card"),
            # Did this asker open a case after the answer? (insights' deflection)
            models.Index(fields=["channel", "workspace_id", "reporter_id", "created_at"], name="case_by_reporter"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return gettext("case %(number)s") % {"number": self.number}

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    def is_reporter(self, *, channel: str, workspace_id: str, user_id: str) -> bool:
        return (self.channel, self.workspace_id, self.reporter_id) == (channel, workspace_id, user_id)

    @property
    def has_card(self) -> bool:
        return bool(self.card_platform and self.card_message)

    @property
    def is_rated(self) -> bool:
        return self.satisfaction is not None

    def responded(self, at: datetime.datetime, *, hours: float) -> None:
        """The first response (an agent's message or taking the case), kept once."""
        if self.first_response_at is None:
            self.first_response_at, self.first_response_hours = at, hours


class Said(models.TextChoices):
    """Timeline lines that record words rather than moves (a move's line is named by its cases.states.Action)."""

    AGENT = "agent_message", _("agent wrote to the reporter")
    REPORTER = "reporter_message", _("reporter wrote")
    NOTE = "internal_note", _("internal note")
    RATED = "rated", _("rated the support")


class CaseEvent(models.Model):
    """One line of a case's timeline, written with the change it records. Never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.CharField(_("actor"), max_length=200, help_text=_("Who: a staff user, a chat user, or the system."))
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from state"), max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=16, choices=State.choices)
    note = models.TextField(_("note"), blank=True)
    # Messages between agents and the reporter (and agents' internal notes) are timeline lines too.
    actor_name = models.CharField(_("actor's name"), max_length=200, blank=True)
    platform = models.CharField(_("platform"), max_length=8, blank=True, help_text=_("Where a message was written."))
    attachments = models.JSONField(
        _("files"), default=list, blank=True, help_text=_("Files sent with a message, as names and links.")
    )
    # The platform's id of the message recorded, so a platform's retry records (and relays) it once.
    source_key = models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return gettext("%(case)s: %(from_state)s → %(to_state)s by %(actor)s") % {
            "case": self.case,
            "from_state": self.get_from_state_display() or "—",
            "to_state": self.get_to_state_display(),
            "actor": self.actor,
        }

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Case events are immutable: write a new one instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case events are immutable.")


class CaseNumber(models.Model):
    """The last case number handed out; locked while the next one is taken."""

    last = models.PositiveIntegerField(_("last number"), default=1000)

    class Meta:
        verbose_name = _("case number")
        verbose_name_plural = _("case numbers")

    def __str__(self) -> str:
        return gettext("last case number %(number)s") % {"number": self.last}


class ReminderPolicy(models.Model):
    """When follow-ups happen. One row, edited in admin; every interval can be as short as seconds."""

    unassigned_first = models.DurationField(
        _("first reminder of an unassigned case"),
        default=datetime.timedelta(minutes=30),
        help_text=_("Post an unassigned case in the support channel after this."),
    )
    unassigned_repeat = models.DurationField(
        _("repeat for an unassigned case"),
        default=datetime.timedelta(hours=2),
        help_text=_("…then again every this."),
    )
    agent_idle = models.DurationField(
        _("agent idle"),
        default=datetime.timedelta(hours=4),
        help_text=_("Remind the agent after this much business time without activity."),
    )
    reporter_nudge_after = models.DurationField(
        _("ask the reporter after"),
        default=datetime.timedelta(hours=24),
        help_text=_("Ask a reporter we wait on whether the fix worked after this."),
    )
    reporter_nudges = models.PositiveSmallIntegerField(
        _("questions to the reporter"), default=2, help_text=_("Ask at most this often, then resolve.")
    )
    sla = models.DurationField(
        _("resolution SLA"),
        default=datetime.timedelta(hours=8),
        help_text=_("Business time to resolve before escalating (once per level)."),
    )
    escalation_levels = models.PositiveSmallIntegerField(_("escalation levels"), default=3)
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekly digest day"),
        null=True,
        blank=True,
        default=0,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
        help_text=_("The support channel of each platform gets last week's digest then. Empty: no digest."),
    )
    digest_time = models.TimeField(_("weekly digest time"), default=datetime.time(9, 0))
    agent_message_waits = models.BooleanField(
        _("an agent's message waits on the reporter"),
        default=True,
        help_text=_("When an agent's message is relayed to the reporter, the case waits on the reporter."),
    )
    business_day_start = models.TimeField(_("business day starts"), default=datetime.time(9, 0))
    business_day_end = models.TimeField(_("business day ends"), default=datetime.time(18, 0))
    business_weekdays = models.CharField(
        _("business days"), max_length=13, default="0,1,2,3,4", help_text=_("Days with business hours.")
    )
    holidays = models.TextField(
        _("holidays"), blank=True, help_text=_("Dates without business hours, one YYYY-MM-DD per line.")
    )

    SINGLETON_ID = 1

    class Meta:
        # There is one policy: the admin's list of them is that policy.
        verbose_name = verbose_name_plural = _("reminder policy")

    def __str__(self) -> str:
        return gettext("reminder policy")

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
    """One follow-up message, written before it is sent, so nothing is lost and nothing is sent twice.

    Most are about a case; a weekly digest is about none, and names the platform it goes to (``scope``).
    """

    class Kind(models.TextChoices):
        ANNOUNCE = "announce", _("new case shown to agents")
        CASE_CHANGED = "case_changed", _("case change shown to agents")
        UNASSIGNED = "unassigned", _("unassigned case in support channel")
        AGENT_IDLE = "agent_idle", _("agent reminder")
        REPORTER_NUDGE = "reporter_nudge", _("did the fix work?")
        AUTO_RESOLVED = "auto_resolved", _("resolved after no reply")
        ESCALATION = "escalation", _("escalation")
        TO_REPORTER = "to_reporter", _("agent's message to the reporter")
        TO_AGENTS = "to_agents", _("reporter's message to agents")
        SURVEY = "survey", _("satisfaction survey")
        DIGEST = "digest", _("weekly digest")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("nothing to send")
        FAILED = "failed", _("failed for good")

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    scope = models.CharField(
        _("for"), max_length=16, blank=True, help_text=_("The platform a delivery about no case (a digest) is for.")
    )
    step = models.BigIntegerField(
        _("step"),
        help_text=_("Which one of its kind: the 1st, 2nd…, the activity it follows, or the timeline event it shows."),
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_until = models.DateTimeField(
        _("claimed until"), null=True, blank=True, help_text=_("A worker is sending it until then.")
    )
    retry_at = models.DateTimeField(
        _("retry at"),
        null=True,
        blank=True,
        help_text=_("It failed for a passing reason: tried again then, and never before."),
    )
    destination = models.CharField(
        _("destination"), max_length=200, blank=True, help_text=_("Platform and conversation it went to.")
    )
    message_ref = models.CharField(
        _("message"), max_length=200, blank=True, help_text=_("The message as the platform knows it.")
    )
    error = models.CharField(
        _("error"), max_length=200, blank=True, help_text=_("Why it failed, or why there was nothing to send.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "step"], name="one_delivery_per_step"),
            # A digest: one per week (its step) and platform, however many beats run.
            models.UniqueConstraint(
                fields=["kind", "step", "scope"], condition=models.Q(case__isnull=True), name="one_digest_per_week"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "claimed_until"], name="delivery_pending_claims"),
            # A reply in the thread of a relayed message finds its case by the message.
            models.Index(fields=["kind", "message_ref"], name="delivery_by_message"),
        ]
        verbose_name = _("follow-up delivery")
        verbose_name_plural = _("follow-up deliveries")

    def __str__(self) -> str:
        return gettext("%(case)s, %(kind)s #%(step)s: %(state)s") % {
            "case": self.case or self.scope,
            "kind": self.get_kind_display(),
            "step": self.step,
            "state": self.get_state_display(),
        }


class SendPause(models.Model):
    """A platform that asked us to wait (HTTP 429 with Retry-After): nothing is sent to it until ``until``.

    Then one sender at a time may try again (it moves ``until`` on by a probe's
    length with a compare-and-set); a success lifts the pause for everyone, a
    new 429 starts the next window. So a rate-limit storm costs one attempt per
    window, however many follow-ups are waiting and however many workers run.
    """

    scope = models.CharField(_("scope"), max_length=64, unique=True, help_text=_("What is paused: a platform's name."))
    until = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("send pause")
        verbose_name_plural = _("send pauses")

    def __str__(self) -> str:
        return gettext("%(scope)s paused until %(time)s") % {"scope": self.scope, "time": f"{self.until:%H:%M:%S}"}
