"""The weekly digest: what the support channel of each platform hears about the past week."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from faq.languages import Language
from faq.selectors import unanswered_groups
from supportbot.conversation.replies import Digest, LinkButton
from supportbot.conversation.wording import say
from supportbot.insights import selectors
from supportbot.insights.charts import Filters
from supportbot.insights.services import answer_days_refresh

TOP_UNANSWERED = 5


def weekly_digest(*, start, end, language: Language) -> Digest:
    """The figures of the week from ``start`` to ``end`` (dates), and the questions most worth teaching now."""
    answer_days_refresh()
    week = Filters(start=start, end=end)
    asked = selectors.questions(week).series
    questions = sum(asked["answered"]) + sum(asked["choices"]) + sum(asked["no_answer"])
    deflected = selectors.deflection(week).series["deflected"][0]
    cases = selectors.cases(week).series
    times = selectors.response_times(week).series
    breaches = sum(selectors.sla(week).series["breaches"])
    figures = (
        (say("digest_questions", language), str(questions)),
        (say("digest_deflection", language), "—" if deflected is None else f"{deflected:g}%"),
        (say("digest_cases", language), f"{sum(cases['opened'])} / {sum(cases['resolved'])}"),
        (say("digest_first_response", language), _hours(times["first_response_median"][0])),
        (say("digest_resolution", language), _hours(times["resolution_median"][0])),
        (say("digest_sla", language), str(breaches)),
    )
    unanswered = tuple((group.question, group.count) for group in unanswered_groups(limit=TOP_UNANSWERED))
    base = settings.WXBIND_BASE_URL
    teach = LinkButton(say("digest_teach", language), f"{base}{reverse('admin:faq_unansweredquestion_changelist')}")
    return Digest(
        language=language,
        title=say("digest_title", language, start=start.isoformat(), end=end.isoformat()),
        figures=figures,
        unanswered_title=say("digest_unanswered", language) if unanswered else say("digest_none_unanswered", language),
        unanswered=unanswered,
        teach=teach if base and unanswered else None,
    )


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
