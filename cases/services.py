"""Every write to cases: one transaction each, with its timeline event."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.followups import BusinessClock, due_now
from cases.models import Case, CaseEvent, CaseNumber, Delivery, ReminderPolicy, Said, SendPause, normalize_appid
from cases.policy import Actor, NotAllowed, check_may
from cases.secrets import mask_secrets, mask_text
from cases.states import Action, State, next_state
from cases.transports import TransportError, Undeliverable, courier
from faq.models import Entry
from faq.plaintext import storable


@dataclass(frozen=True)
class OpenedCase:
    case: Case
    created: bool  # False when this submission had opened the case already
    masked: tuple[str, ...]  # kinds of secret masked in the description or the question


def _text(value: str) -> str:
    """Text as it can be stored anywhere (see faq.plaintext)."""
    return storable(value)


def _next_number() -> int:
    counter, _ = CaseNumber.objects.select_for_update().get_or_create(pk=1)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def case_open(
    *,
    reporter: Actor,
    description: str = "",
    question: str = "",
    topic_slug: str = "",
    answer_slug: str = "",
    tencent_account_id: str = "",
    appid: str = "",
    account_kind: str = "",
    ruled_out: list[str] | tuple[str, ...] = (),
    chat_channel_id: str = "",
    reporter_name: str = "",
    source_key: str | None = None,
) -> OpenedCase:
    """Open a case for a reporter. Invalid fields raise ValidationError and save nothing."""
    description, question, reporter_name = _text(description), _text(question), _text(reporter_name)
    tencent_account_id, appid, account_kind = _text(tencent_account_id), _text(appid), _text(account_kind)
    topic_slug, answer_slug, chat_channel_id = _text(topic_slug), _text(answer_slug), _text(chat_channel_id)
    ruled_out = [_text(str(key)) for key in ruled_out]
    if source_key and (existing := Case.objects.filter(source_key=source_key).first()):
        return OpenedCase(case=existing, created=False, masked=())
    masked, asked = mask_secrets(description.strip()), mask_secrets(question)
    case = Case(
        channel=reporter.channel,
        workspace_id=reporter.workspace_id,
        reporter_id=reporter.user_id,
        reporter_name=reporter_name[:200],
        chat_channel_id=chat_channel_id[:64],
        topic=Entry.objects.filter(slug=topic_slug).first() if topic_slug else None,
        tencent_account_id=tencent_account_id.strip(),
        appid=normalize_appid(appid),
        account_kind=account_kind,
        ruled_out=[key[:64] for key in ruled_out][:20],
        description=masked.text[: settings.CASE_DESCRIPTION_MAX_CHARS],
        question=asked.text[:3000],
        answer_slug=answer_slug[:64],
        source_key=source_key,
    )
    case.number = 0  # placeholder so validation can run before a number is taken
    case.full_clean(exclude=["number", "source_key"])
    try:
        with transaction.atomic():
            case.number = _next_number()
            case.next_due_at = case.created_at + ReminderPolicy.current().unassigned_first
            case.save()
            CaseEvent.objects.create(case=case, actor=reporter.label, action="open", to_state=State.OPEN)
            # Every case is shown to agents, wherever it came from (chat, the API).
            announce = Delivery.objects.create(case=case, kind=Delivery.Kind.ANNOUNCE, step=0)
            send_after_commit([announce.pk])
    except IntegrityError:
        if source_key and (existing := Case.objects.filter(source_key=source_key).first()):
            return OpenedCase(case=existing, created=False, masked=())  # the same submission won a race
        raise
    found = tuple(dict.fromkeys(masked.found + asked.found))
    return OpenedCase(case=case, created=True, masked=found)


def case_move(
    *, number: int, action: str, actor: Actor, note: str = "", assignee=None, assignee_chat_id: str = ""
) -> Case:
    """Apply one move, or refuse it (IllegalMove, NotAllowed) without changing anything."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(number=number)
        check_may(actor, case, action)
        to_state = next_state(case.state, action)
        if action == Action.ASSIGN:
            if assignee is None and not assignee_chat_id:
                raise ValidationError(_("Say whom to assign the case to."))
            if case.assignee == assignee and case.assignee_chat_id == assignee_chat_id:
                return case  # already theirs: a repeated click changes nothing
            case.assignee, case.assignee_chat_id = assignee, assignee_chat_id
            now = timezone.now()
            case.responded(now, hours=business_hours(case.created_at, now))
        changed = _apply_move(case, action=action, to_state=to_state, actor_label=actor.label, note=note)
        case.save()
        send_after_commit([delivery.pk for delivery in changed])
    return case


def _apply_move(
    case: Case,
    *,
    action: str,
    to_state: str,
    actor_label: str,
    note: str = "",
    shown: bool = True,
    policy: ReminderPolicy | None = None,
) -> list[Delivery]:
    """Change the case in memory and write its timeline event; the caller saves the case.

    Returns the deliveries the change calls for, written in the same
    transaction: the one that shows it to agents (their card, and a line under
    it), one per change whichever path made it (chat, admin, the API, the
    sweep), unless ``shown`` is False (the caller shows it another way); and,
    the first time the case is resolved, the reporter's survey. ``policy``:
    the reminder policy, if the caller has read it already (business hours).
    """
    now = timezone.now()
    from_state = case.state
    if to_state == State.RESOLVED:
        case.resolved_at, case.resolution_hours = now, business_hours(case.created_at, now, policy=policy)
    if action == Action.REOPEN:
        case.resolved_at, case.resolution_hours = None, None
    case.waiting_since = (case.waiting_since or now) if to_state == State.WAITING else None
    case.state = to_state
    case.last_activity_at = now
    case.next_due_at = now  # the next sweep works out the case's new follow-ups
    event = CaseEvent.objects.create(
        case=case,
        actor=_text(actor_label)[:200],
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=mask_text(_text(note))[:2000],
    )
    deliveries = [Delivery.objects.create(case=case, kind=Delivery.Kind.CASE_CHANGED, step=event.pk)] if shown else []
    if to_state == State.RESOLVED and not case.is_rated:
        survey, created = Delivery.objects.get_or_create(case=case, kind=Delivery.Kind.SURVEY, step=0)
        if created:  # asked once, however often the case is resolved again
            deliveries.append(survey)
    return deliveries


def business_hours(start: datetime.datetime, end: datetime.datetime, *, policy: ReminderPolicy | None = None) -> float:
    """Business hours between two moments, under the reminder policy (what SLAs and insights count).

    ``policy``: the one the caller has read already, rather than reading it again.
    """
    return BusinessClock(policy or ReminderPolicy.current()).between(start, end).total_seconds() / 3600


def send_after_commit(delivery_ids: list[int]) -> None:
    """Hand deliveries to the workers once they are committed (a lost hand-over is caught by the sweep)."""

    def enqueue() -> None:
        from cases.tasks import enqueue_deliveries  # the tasks call these services

        enqueue_deliveries(delivery_ids)

    transaction.on_commit(enqueue)


def case_card_posted(*, case_id: int, platform: str, conversation: str, message: str, route: str = "") -> None:
    """Remember where the agents' card of a case is, so changes update it and follow-ups thread under it."""
    Case.objects.filter(pk=case_id).update(
        card_platform=platform[:8],
        card_conversation=conversation[:200],
        card_message=message[:200],
        card_route=route[:300],
    )


# Messages between agents and the reporter -------------------------------------------

MAX_FILES = 10
MAX_MESSAGE_CHARS = 10_000  # a long message is kept and relayed whole up to here (Slack allows 40,000)


def _files(files) -> list[dict]:
    """Files as a timeline keeps them: a name and a web link each, secrets masked; anything else left out."""
    kept = []
    for file in list(files or ())[:MAX_FILES]:
        name, url = _text(str(file.get("name") or ""))[:200], _text(str(file.get("url") or ""))[:1000]
        if url.startswith(("https://", "http://")):
            kept.append({"name": mask_text(name) or url.rsplit("/", 1)[-1][:200], "url": mask_text(url)})
    return kept


def _said(
    case: Case,
    *,
    said: str,
    author: Actor,
    platform: str,
    text: str,
    author_name: str = "",
    files=(),
    source_key: str | None = None,
) -> CaseEvent:
    """A timeline line of words (a message, a note, a rating), masked and cut as every timeline text is."""
    return CaseEvent.objects.create(
        case=case,
        actor=_text(author.label)[:200],
        actor_name=_text(author_name)[:200],
        action=said,
        from_state=case.state,
        to_state=case.state,
        note=mask_text(_text(text))[:MAX_MESSAGE_CHARS],
        platform=platform[:8],
        attachments=_files(files),
        source_key=source_key[:200] if source_key else None,
    )


def _recorded_already(source_key: str | None) -> bool:
    return bool(source_key) and CaseEvent.objects.filter(source_key=source_key[:200]).exists()


def case_agent_message(
    *,
    number: int,
    author: Actor,
    author_name: str = "",
    platform: str,
    text: str,
    files=(),
    source_key: str | None = None,
    internal: bool = False,
    assignee=None,
) -> CaseEvent | None:
    """An agent wrote in the case's thread: relayed to the reporter, or kept as an internal note.

    Relaying follows the conversation: an unassigned case becomes the writer's
    (``assignee``: their site account, if linked), the case waits on the reporter
    (``ReminderPolicy.agent_message_waits``), and the first relayed message or
    assignment is the case's first response. Returns the timeline event, or None
    when the platform had delivered this message before (``source_key``).
    """
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(number=number)
            if _recorded_already(source_key):
                return None
            words = {"author": author, "author_name": author_name, "platform": platform, "text": text, "files": files}
            if internal:
                return _said(case, said=Said.NOTE, source_key=source_key, **words)
            event = _said(case, said=Said.AGENT, source_key=source_key, **words)
            now, policy = timezone.now(), ReminderPolicy.current()
            deliveries = [Delivery(case=case, kind=Delivery.Kind.TO_REPORTER, step=event.pk)]
            case.responded(now, hours=business_hours(case.created_at, now, policy=policy))
            moved = []
            if case.state == State.OPEN:
                case.assignee, case.assignee_chat_id = assignee, author.user_id
                moved += _apply_move(
                    case, action=Action.ASSIGN, to_state=State.ASSIGNED, actor_label=author.label, shown=False
                )
            if case.state == State.ASSIGNED and policy.agent_message_waits:
                moved += _apply_move(
                    case, action=Action.WAIT, to_state=State.WAITING, actor_label=author.label, shown=False
                )
            elif case.state == State.WAITING:
                case.waiting_since = now  # the reporter is asked again: their reminders count from now
            case.last_activity_at, case.next_due_at = now, now
            if event.from_state != case.state:  # the card shows the new state; the message itself is the thread line
                deliveries.append(Delivery(case=case, kind=Delivery.Kind.CASE_CHANGED, step=event.pk))
            case.save()
            Delivery.objects.bulk_create(deliveries)
            send_after_commit([delivery.pk for delivery in deliveries + moved])
            return event
    except IntegrityError:
        if _recorded_already(source_key):
            return None  # the same message, recorded by a concurrent delivery of it
        raise


def case_reporter_message(
    *,
    number: int,
    author: Actor,
    author_name: str = "",
    platform: str,
    text: str,
    files=(),
    source_key: str | None = None,
    relay: bool = True,
) -> CaseEvent | None:
    """The reporter wrote about their case: relayed to the agents' thread (unless written there, ``relay=False``).

    A case waiting on the reporter goes back to its agent, and the agent's
    reminder clock starts again. Returns the timeline event, or None for a
    message recorded before (``source_key``).
    """
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(number=number)
            if not case.is_reporter(channel=author.channel, workspace_id=author.workspace_id, user_id=author.user_id):
                raise NotAllowed(f"only the reporter writes as the reporter of case {number}", number=number)
            if _recorded_already(source_key):
                return None
            event = _said(
                case,
                said=Said.REPORTER,
                author=author,
                author_name=author_name,
                platform=platform,
                text=text,
                files=files,
                source_key=source_key,
            )
            deliveries = [Delivery(case=case, kind=Delivery.Kind.TO_AGENTS, step=event.pk)] if relay else []
            moved = []
            if case.state == State.WAITING:
                moved = _apply_move(
                    case, action=Action.REPORTER_REPLIED, to_state=State.ASSIGNED, actor_label=author.label, shown=False
                )
                deliveries.append(Delivery(case=case, kind=Delivery.Kind.CASE_CHANGED, step=event.pk))
            if case.is_active:
                case.last_activity_at = case.next_due_at = timezone.now()
            case.save()
            Delivery.objects.bulk_create(deliveries)
            send_after_commit([delivery.pk for delivery in deliveries + moved])
            return event
    except IntegrityError:
        if _recorded_already(source_key):
            return None
        raise


def case_rate(*, number: int, reporter: Actor, score: int, comment: str = "") -> tuple[Case, bool]:
    """The reporter's answer to "How did we do?": kept once (True), later answers ignored (False).

    Only the reporter rates, only a resolved (or closed) case, 1 to 5.
    """
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError(_("A rating is a whole number from 1 to 5."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(number=number)
        if not case.is_reporter(channel=reporter.channel, workspace_id=reporter.workspace_id, user_id=reporter.user_id):
            raise NotAllowed(_("Only the reporter rates case %(number)s.") % {"number": number}, number=number)
        if case.is_active:
            raise ValidationError(_("A case is rated once it is resolved."))
        if case.is_rated:
            return case, False
        comment = mask_text(_text(comment).strip())[:2000]
        case.satisfaction, case.satisfaction_comment, case.rated_at = score, comment, timezone.now()
        case.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at", "updated_at"])
        note = f"{score}/5" + (f" {comment}" if comment else "")
        event = _said(case, said=Said.RATED, author=reporter, platform="", text=note)
        shown = Delivery.objects.create(case=case, kind=Delivery.Kind.CASE_CHANGED, step=event.pk)
        send_after_commit([shown.pk])
    return case, True


# Follow-ups ------------------------------------------------------------------


def _delivery_lease() -> datetime.timedelta:
    """How long a worker's claim on a delivery holds before the sweep hands it out again."""
    return datetime.timedelta(seconds=settings.CASE_DELIVERY_LEASE_SECONDS)


def _lost_enqueue_grace() -> datetime.timedelta:
    """How long a delivery nobody claimed waits (its task may yet arrive) before the sweep sends it again."""
    return datetime.timedelta(seconds=settings.CASE_LOST_TASK_SECONDS)


def followups_sweep(*, now: datetime.datetime | None = None, limit: int = 1000) -> list[int]:
    """Claim cases whose follow-ups are due, write their deliveries, and return the deliveries to send.

    Concurrent sweeps never see the same case (SKIP LOCKED), and a delivery is
    unique per case, kind and step, so no follow-up can be written twice.
    """
    now = now or timezone.now()
    policy = ReminderPolicy.current()
    clock = BusinessClock(policy)
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True)
            .filter(next_due_at__lte=now)
            .order_by("next_due_at")[:limit]
        )
        written: dict[int, set[tuple[str, int]]] = {case.pk: set() for case in cases}
        for case_id, kind, step in Delivery.objects.filter(case__in=cases).values_list("case_id", "kind", "step"):
            written[case_id].add((kind, step))
        new: list[Delivery] = []
        for case in cases:
            due, case.next_due_at = due_now(case, policy, clock, now, written[case.pk])
            for item in due:
                new.append(Delivery(case=case, kind=item.kind, step=item.step))
                if item.kind == Delivery.Kind.ESCALATION:
                    case.escalation_level = max(case.escalation_level, item.step)
                elif item.kind == Delivery.Kind.AUTO_RESOLVED:
                    _apply_move(
                        case,
                        action=Action.RESOLVE,
                        to_state=State.RESOLVED,
                        actor_label="system",
                        note="No reply from the reporter after the reminders.",
                        policy=policy,
                    )
                    case.next_due_at = None  # a resolved case has no more follow-ups
                    case.save(
                        update_fields=["state", "resolved_at", "resolution_hours", "waiting_since", "last_activity_at"]
                    )
                    # Its survey was written with it, and is sent with the sweep's other new deliveries.
        Delivery.objects.bulk_create(new, ignore_conflicts=True)
        _save_schedules(cases)
        # New deliveries, and any whose worker died or whose task (first or retry) was lost.
        lost = now - _lost_enqueue_grace()
        to_send = list(
            Delivery.objects.filter(state=Delivery.State.PENDING)
            .filter(
                Q(case__in=cases, attempts=0, retry_at__isnull=True)
                | Q(claimed_until__lt=now)
                | Q(claimed_until__isnull=True, retry_at__isnull=True, created_at__lt=lost)
                | Q(claimed_until__isnull=True, retry_at__lt=lost)
            )
            .values_list("pk", flat=True)
        )
    return to_send


def _save_schedules(cases: list[Case]) -> None:
    """Store each case's next due time and escalation level in one statement.

    Django's bulk_update builds a CASE expression per row, which costs seconds
    for a thousand cases; this is what a sweep does most.
    """
    if not cases:
        return
    table = Case._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS c SET next_due_at = v.due, escalation_level = v.level "
                "FROM unnest(%s::bigint[], %s::timestamptz[], %s::smallint[]) AS v(id, due, level) WHERE c.id = v.id",
                [[c.pk for c in cases], [c.next_due_at for c in cases], [c.escalation_level for c in cases]],
            )
        else:
            adapt = connection.ops.adapt_datetimefield_value
            cursor.executemany(
                f"UPDATE {table} SET next_due_at = %s, escalation_level = %s WHERE id = %s",
                [(adapt(c.next_due_at), c.escalation_level, c.pk) for c in cases],
            )


def digests_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Write this week's digest for each platform once its day and hour (reminder policy) have come; return
    the ones written now, to send. Each is written once per week and platform, however many beats run."""
    now = now or timezone.now()
    policy = ReminderPolicy.current()
    if policy.digest_weekday is None:
        return []
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    due_day = monday + datetime.timedelta(days=policy.digest_weekday)
    due_at = timezone.make_aware(datetime.datetime.combine(due_day, policy.digest_time))
    if now < due_at:
        return []
    year, week, _ = due_day.isocalendar()
    written = []
    for scope in settings.WXBIND_PLATFORMS:
        try:
            with transaction.atomic():
                digest, created = Delivery.objects.get_or_create(
                    case=None, kind=Delivery.Kind.DIGEST, step=year * 100 + week, scope=scope[:16]
                )
        except IntegrityError:
            continue  # another beat wrote it a moment ago
        if created:
            written.append(digest.pk)
    return written


def digest_week(step: int) -> tuple[datetime.date, datetime.date]:
    """The week a digest tells about: the full week (Monday to Sunday) before the one it is sent in."""
    year, week = divmod(step, 100)
    monday = datetime.date.fromisocalendar(year, week, 1) - datetime.timedelta(days=7)
    return monday, monday + datetime.timedelta(days=6)


class RetryScheduled(Exception):
    """A delivery failed for a passing reason and is due again in ``seconds`` (its ``retry_at``)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry in {seconds:.1f} s")
        self.seconds = seconds


def _retry_backoff(attempts: int) -> float:
    """Seconds before trying again after the ``attempts``-th failure: doubling, at most five minutes."""
    return min(settings.CASE_RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), 300.0)


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery unless another worker has it, it is not due yet, or it is done. Returns what happened.

    A transient failure schedules the retry on the row (``retry_at``: never
    sent before then, whoever holds a task for it) and raises RetryScheduled
    for the caller to come back then; once the attempts run out, and on a
    permanent failure, the failure is recorded on the delivery and its case.
    A delivery with nobody to send it to is recorded once as skipped.
    """
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
        .update(claimed_until=now + _delivery_lease(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return "taken"  # sent already, failed for good, not due again yet, or another worker holds it
    delivery = Delivery.objects.select_related("case", "case__assignee", "case__topic").get(pk=delivery_id)
    if delivery.attempts > settings.CASE_DELIVERY_MAX_ATTEMPTS:  # its senders kept dying mid-send
        return _delivery_failed(delivery, f"gave up after {delivery.attempts - 1} attempts")
    try:
        destination, message_ref = courier()(delivery)
    except Undeliverable as nothing:
        Delivery.objects.filter(pk=delivery_id).update(
            state=Delivery.State.SKIPPED, claimed_until=None, retry_at=None, error=nothing.reason[:200]
        )
        return "skipped"
    except TransportError as error:
        if error.permanent:
            return _delivery_failed(delivery, error.reason)
        # Only failures count toward giving up. Waiting out a pause another sender hit sent
        # nothing; a rate limit's refusal is the platform saying when, and a storm of them
        # costs one send per window already: neither may lose a reminder, however long it lasts.
        counts = error.attempted and error.retry_after is None
        if counts and delivery.attempts >= settings.CASE_DELIVERY_MAX_ATTEMPTS:
            return _delivery_failed(delivery, f"gave up after {delivery.attempts} attempts: {error.reason}")
        seconds = error.retry_after if error.retry_after is not None else _retry_backoff(delivery.attempts)
        Delivery.objects.filter(pk=delivery_id).update(
            claimed_until=None,
            retry_at=timezone.now() + datetime.timedelta(seconds=seconds),
            attempts=F("attempts") - (0 if counts else 1),
            error=error.reason[:200],
        )
        raise RetryScheduled(seconds) from error
    Delivery.objects.filter(pk=delivery_id).update(
        state=Delivery.State.SENT,
        claimed_until=None,
        retry_at=None,
        destination=destination[:200],
        message_ref=message_ref[:200],
        sent_at=timezone.now(),
        error="",
    )
    return "sent"


def _delivery_failed(delivery: Delivery, reason: str) -> str:
    """Record a delivery as failed for good, on it and on its case, where admins see it."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.FAILED, claimed_until=None, retry_at=None, error=reason[:200]
        )
        problem = f"{delivery.get_kind_display()}: {reason}"[:200]
        Case.objects.filter(pk=delivery.case_id).update(delivery_problem=problem)
    return "failed"


# Rate limits ------------------------------------------------------------------------

# A sender trying again after a pause holds the right to for this long (a send
# takes far less); the others look again then, and if it died, one of them tries.
PAUSE_PROBE = datetime.timedelta(seconds=5)


def send_wait(*, scope: str) -> float | None:
    """Seconds to wait before sending to ``scope``: None when nothing is paused, 0 to go as the one trying again.

    While a pause lasts, everyone waits. When it is over, one sender wins the
    right to try (compare-and-set on ``until``; "0 rows" means another won).
    """
    now = timezone.now()
    pause = SendPause.objects.filter(scope=scope).values_list("pk", "until").first()
    if pause is None:
        return None
    pk, until = pause
    if until > now:
        return (until - now).total_seconds()
    won = SendPause.objects.filter(pk=pk, until=until).update(until=now + PAUSE_PROBE)
    return 0.0 if won else PAUSE_PROBE.total_seconds()


def send_paused(*, scope: str, seconds: float) -> None:
    """The platform said to wait ``seconds``: nothing goes to ``scope`` until then."""
    until = timezone.now() + datetime.timedelta(seconds=max(seconds, 0.0))
    SendPause.objects.update_or_create(scope=scope[:64], defaults={"until": until})


def send_resumed(*, scope: str) -> None:
    """A send to ``scope`` went through: whatever waits may go."""
    SendPause.objects.filter(scope=scope).delete()
