"""POST /api/teams/messages: the messaging endpoint the Azure Bot registration points at."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cases.transports import TransportError
from supportbot.teams import auth
from supportbot.teams.payloads import MalformedActivity

logger = logging.getLogger(__name__)

# Activity types the bot acts on; Teams sends others (typing, reactions, …) that need only a 200.
HANDLED_TYPES = frozenset({"message", "invoke", "conversationUpdate", "installationUpdate"})


def _text(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def teams_messages(request: HttpRequest) -> HttpResponse:
    try:
        auth.check_configured()
    except auth.TeamsNotConfigured as error:
        return _text(503, str(error))
    authorization = request.headers.get("Authorization", "")
    if not settings.TEAMS_SKIP_AUTH and not authorization:
        return _text(401, "Unauthorized: no Bot Framework token")
    try:
        activity = json.loads(request.body)
    except RequestDataTooBig:
        return _text(413, "Activity too large")
    except (ValueError, UnicodeDecodeError):
        activity = None
    service_url = activity.get("serviceUrl") if isinstance(activity, dict) else None
    if not settings.TEAMS_SKIP_AUTH:
        try:
            auth.authenticate(authorization, service_url=service_url if isinstance(service_url, str) else None)
        except auth.Unauthenticated as error:
            logger.info("refused a Teams request: %s", error)
            return _text(401, "Unauthorized")
    if not isinstance(activity, dict):
        return _text(400, "Malformed activity: not a JSON object")
    if activity.get("type") not in HANDLED_TYPES:
        return HttpResponse(status=200)
    from microsoft_teams.api import ActivityTypeAdapter
    from pydantic import ValidationError

    from supportbot.teams.handlers import handle

    try:
        ActivityTypeAdapter.validate_python(activity)  # shaped as Teams sends it, by the SDK's own models
        outcome = handle(activity)
    except ValidationError as error:
        problem = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in problem.get("loc", ()))[:120]
        return _text(400, f"Malformed activity: {where} {problem.get('msg', '')}"[:300])
    except MalformedActivity as error:
        return _text(400, f"Malformed activity: {error}")
    except TransportError as error:
        # The activity was understood; the reply could not reach Teams. Teams does not redeliver messages.
        logger.error("could not reply on Teams: %s", error)
        return HttpResponse(status=200)
    if outcome.body is not None:
        return JsonResponse(outcome.body, status=outcome.status)
    return HttpResponse(status=outcome.status)


def warm_up() -> None:
    """Load the Teams SDK and the card renderer before the first activity, not during it."""
    import microsoft_teams.api  # noqa: F401

    from supportbot.teams import handlers  # noqa: F401

    if not settings.TEAMS_SKIP_AUTH and settings.TEAMS_APP_ID:
        auth.warm_up()
