import json
import logging
from urllib.parse import parse_qs

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from slack_sdk.signature import SignatureVerifier

from supportbot.slack import files, schemas
from supportbot.slack.app import SlackNotConfigured, get_handler

logger = logging.getLogger(__name__)


@csrf_exempt
def slack_events(request: HttpRequest) -> HttpResponse:
    """Slash commands, interactivity and events: the one request URL Slack is given.

    The signature is checked on the raw bytes before anything reads them:
    unsigned, forged or stale requests get 401 with nothing parsed and nothing
    done. A signed body that is not what Slack sends gets 400. Bolt's adapter
    answers anything but POST with 404; Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    refuses oversized bodies with 400.
    """
    try:
        handler = get_handler()
    except SlackNotConfigured as error:
        return HttpResponse(str(error), status=503, content_type="text/plain")
    if request.method != "POST":
        return handler.handle(request)
    if _is_ssl_check(request.body):
        return HttpResponse(status=200)
    if not _is_signed(request):
        return HttpResponse("Invalid request", status=401, content_type="text/plain")
    if problem := body_problem(request.body, request.content_type):
        return HttpResponse(f"Malformed payload: {problem}", status=400, content_type="text/plain")
    try:
        return handler.handle(request)
    except Exception:
        # Signed, well-formed at the top, and still not readable by Bolt: say so
        # to Slack rather than fail, and keep the details for whoever runs wxbind.
        logger.exception("Slack request could not be handled")
        return HttpResponse("Malformed payload", status=400, content_type="text/plain")


@require_GET
def slack_file(request: HttpRequest, token: str, name: str) -> HttpResponse:
    """A file sent in Slack, for whoever was given its signed link (a reporter on Teams): see ``files``."""
    file_id = files.file_of(token)
    if file_id is None:
        return HttpResponse("This file link is not valid, or it has expired.", status=404, content_type="text/plain")
    try:
        opened = files.open_file(file_id)
    except files.FileUnavailable as error:
        logger.warning("could not open Slack file %s: %s", file_id, error)
        return HttpResponse(f"Slack did not give the file: {error}", status=502, content_type="text/plain")
    chunks = iter(lambda: opened.stream.read(64 * 1024), b"")
    response = StreamingHttpResponse(
        chunks, content_type=opened.content_type if opened.inline else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(not opened.inline, opened.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=300"
    if opened.size is not None:
        response["Content-Length"] = str(opened.size)
    return response


def _is_signed(request: HttpRequest) -> bool:
    """Signed by Slack, within the last five minutes, over exactly these bytes."""
    verifier = SignatureVerifier(settings.SLACK_SIGNING_SECRET)
    try:
        return verifier.is_valid_request(request.body, dict(request.headers))
    except (ValueError, UnicodeDecodeError):
        # A timestamp that is no number, or a body that is no text: Slack signs neither.
        return False


def body_problem(body: bytes, content_type: str) -> str | None:
    """What makes a signed body no Slack request of its kind, or None (see ``schemas``)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    if content_type == "application/json":
        return _object_problem(text, "body", kinds="event")
    fields = parse_qs(text, keep_blank_values=True)
    if "payload" in fields:
        return _object_problem(fields["payload"][0], "payload", kinds="interaction")
    if "command" in fields:
        return schemas.problem("command", {name: values[0] for name, values in fields.items()})
    return None


def _object_problem(text: str, name: str, *, kinds: str) -> str | None:
    try:
        value = json.loads(text)
    except RecursionError:
        return f"{name} nests too deeply"
    except ValueError:
        return f"{name} is not JSON"
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return f"{name} is not a JSON object with a type"
    return schemas.problem(f"{kinds}:{value['type']}", value)


def _is_ssl_check(body: bytes) -> bool:
    """Slack's unsigned probe of the URL's certificate, answered (as Bolt would) with an empty 200 and nothing else."""
    try:
        return parse_qs(body.decode("ascii")).get("ssl_check") == ["1"]
    except UnicodeDecodeError:
        return False
