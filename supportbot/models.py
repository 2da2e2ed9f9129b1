from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChatUser(models.Model):
    """A person as a chat platform knows them, with what we looked up about them once."""

    class Platform(models.TextChoices):
        SLACK = "slack", "Slack"
        TEAMS = "teams", "Microsoft Teams"

    platform = models.CharField(_("platform"), max_length=8, choices=Platform.choices)
    workspace_id = models.CharField(_("workspace ID"), max_length=64)
    user_id = models.CharField(_("user ID"), max_length=128)
    locale = models.CharField(_("locale"), max_length=16, blank=True)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    route = models.CharField(
        _("route"),
        max_length=300,
        blank=True,
        help_text=_("How the platform reaches this person later, where it needs more than the id."),
    )
    fetched_at = models.DateTimeField(_("looked up"), default=timezone.now)
    django_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_users",
        verbose_name=_("site account"),
        help_text=_("The site account of this person; members of the Agents group act as agents in chat."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "workspace_id", "user_id"], name="unique_chat_user"),
        ]
        verbose_name = _("chat user")
        verbose_name_plural = _("chat users")

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace_id}:{self.user_id}"


class ChatEventReceipt(models.Model):
    """An inbound chat event we have handled, so a platform's retry causes nothing twice."""

    platform = models.CharField(_("platform"), max_length=8, choices=ChatUser.Platform.choices)
    event_id = models.CharField(_("event ID"), max_length=128)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "event_id"], name="unique_chat_event")]
        verbose_name = _("chat event receipt")
        verbose_name_plural = _("chat event receipts")

    def __str__(self) -> str:
        return f"{self.platform}:{self.event_id}"


class HeldMessage(models.Model):
    """A reporter's message kept until they say which of their open cases it is about."""

    platform = models.CharField(_("platform"), max_length=8, choices=ChatUser.Platform.choices)
    workspace_id = models.CharField(_("workspace ID"), max_length=64)
    user_id = models.CharField(_("user ID"), max_length=128)
    name = models.CharField(_("name"), max_length=200, blank=True)
    text = models.TextField(
        _("text"), blank=True, help_text=_("Stored with anything that looked like a secret masked.")
    )
    files = models.JSONField(_("files"), default=list, blank=True)
    source_key = models.CharField(_("message"), max_length=200, unique=True)
    case_number = models.PositiveIntegerField(
        _("passed on to case"), null=True, blank=True, help_text=_("Empty until the writer chose a case.")
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("held message")
        verbose_name_plural = _("held messages")

    def __str__(self) -> str:
        return f"{self.platform}:{self.user_id} {self.received_at:%Y-%m-%d %H:%M}"


class AnswerDay(models.Model):
    """Answer statistics of one day, platform and entry, kept by the workers: insights read days, not events.

    Days before ``RollupMark.final_before`` are final; the rest are recounted on
    every refresh (whether an answered question led to a case is known a day later).
    """

    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=16)
    entry = models.ForeignKey(
        "faq.Entry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entry")
    )
    answered = models.PositiveIntegerField(_("questions answered"), default=0)
    deflected = models.PositiveIntegerField(
        _("answered without a case"), default=0, help_text=_("Answered, and the asker opened no case within a day.")
    )
    choices = models.PositiveIntegerField(_("closest entries offered"), default=0)
    no_answer = models.PositiveIntegerField(_("no answer"), default=0)
    shown = models.PositiveIntegerField(_("answers shown"), default=0, help_text=_("Topic buttons too."))
    helpful = models.PositiveIntegerField(_("marked helpful"), default=0)
    not_helpful = models.PositiveIntegerField(_("marked not helpful"), default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "channel"], name="answer_day_by_day")]
        verbose_name = _("answer day")
        verbose_name_plural = _("answer days")

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.entry_id or '—'}"


class RollupMark(models.Model):
    """How far a rollup is final: the days before ``final_before`` are never counted again."""

    name = models.CharField(max_length=32, unique=True)
    final_before = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: final before {self.final_before}"


class AdminLanguage(models.Model):
    """The language a staff member reads the admin and the API in, whichever browser they use."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="admin_language",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("admin language")
        verbose_name_plural = _("admin languages")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
