import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from slack_sdk.signature import SignatureVerifier

from supportbot.slack.app import SlackNotConfigured, get_handler


@csrf_exempt
def slack_events(request: HttpRequest) -> HttpResponse:
    """Slash commands, interactivity and events: the one request URL Slack is given.

    Bolt's adapter answers anything but POST with 404; Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE refuses oversized bodies with 400.
    """
    try:
        handler = get_handler()
    except SlackNotConfigured as error:
        return HttpResponse(str(error), status=503, content_type="text/plain")
    try:
        return handler.handle(request)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, json.JSONDecodeError):
        # Bolt could not even parse the body. Tell a forger nothing more than Bolt would.
        verifier = SignatureVerifier(settings.SLACK_SIGNING_SECRET)
        if not verifier.is_valid_request(request.body, dict(request.headers)):
            return HttpResponse("Invalid request", status=401, content_type="text/plain")
        return HttpResponse("Malformed payload", status=400, content_type="text/plain")
