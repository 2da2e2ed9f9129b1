"""Every write to cases: one transaction each, with its timeline event."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseNumber
from cases.policy import Actor, check_may
from cases.secrets import mask_secrets
from cases.states import Action, State, next_state
from faq.models import Entry


@dataclass(frozen=True)
class OpenedCase:
    case: Case
    created: bool  # False when this submission had opened the case already
    masked: tuple[str, ...]  # kinds of secret masked in the description


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
    if source_key and (existing := Case.objects.filter(source_key=source_key).first()):
        return OpenedCase(case=existing, created=False, masked=())
    masked = mask_secrets(description.strip())
    case = Case(
        channel=reporter.channel,
        workspace_id=reporter.workspace_id,
        reporter_id=reporter.user_id,
        reporter_name=reporter_name[:200],
        chat_channel_id=chat_channel_id[:64],
        topic=Entry.objects.filter(slug=topic_slug).first() if topic_slug else None,
        tencent_account_id=tencent_account_id.strip(),
        appid=appid.strip().lower(),
        account_kind=account_kind,
        ruled_out=[str(key)[:64] for key in ruled_out][:20],
        description=masked.text[: settings.CASE_DESCRIPTION_MAX_CHARS],
        question=question[:3000],
        answer_slug=answer_slug[:64],
        source_key=source_key,
    )
    case.number = 0  # placeholder so validation can run before a number is taken
    case.full_clean(exclude=["number", "source_key"])
    try:
        with transaction.atomic():
            case.number = _next_number()
            case.save()
            CaseEvent.objects.create(case=case, actor=reporter.label, action="open", to_state=State.OPEN)
    except IntegrityError:
        if source_key and (existing := Case.objects.filter(source_key=source_key).first()):
            return OpenedCase(case=existing, created=False, masked=())  # the same submission won a race
        raise
    return OpenedCase(case=case, created=True, masked=masked.found)


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
                raise ValidationError("Say whom to assign the case to.")
            if case.assignee == assignee and case.assignee_chat_id == assignee_chat_id:
                return case  # already theirs: a repeated click changes nothing
            case.assignee, case.assignee_chat_id = assignee, assignee_chat_id
        if to_state == State.RESOLVED:
            case.resolved_at = timezone.now()
        if action == Action.REOPEN:
            case.resolved_at = None
        from_state = case.state
        case.state = to_state
        case.save()
        CaseEvent.objects.create(
            case=case, actor=actor.label, action=action, from_state=from_state, to_state=to_state, note=note[:2000]
        )
    return case
