"""An echo bot: the activity validated by the SDK's models, the text sent back through the SDK's ApiClient.

Hosted as the product hosts the SDK (a synchronous Django view; the SDK's
asynchronous client on one event loop per process), in skip-auth mode as the
benchmark runs the product.
"""

import asyncio
import json
import threading

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from microsoft_teams.api import ActivityTypeAdapter, ApiClient, MessageActivityInput
from microsoft_teams.common import Client, ClientOptions

_loop = asyncio.new_event_loop()
threading.Thread(target=_loop.run_forever, daemon=True).start()


async def _client():
    return Client(ClientOptions(timeout=settings.TEAMS_API_TIMEOUT))


_http = asyncio.run_coroutine_threadsafe(_client(), _loop).result()
_apis: dict[str, ApiClient] = {}


@csrf_exempt
def messages(request):
    activity = json.loads(request.body)
    ActivityTypeAdapter.validate_python(activity)
    service_url = activity["serviceUrl"].rstrip("/")
    api = _apis.get(service_url) or _apis.setdefault(service_url, ApiClient(service_url, _http))
    reply = MessageActivityInput(text=activity.get("text", ""), reply_to_id=activity["id"])
    sent = api.conversations.create_activity(activity["conversation"]["id"], reply)
    asyncio.run_coroutine_threadsafe(sent, _loop).result(timeout=settings.TEAMS_API_TIMEOUT + 5)
    return HttpResponse(status=200)


urlpatterns = [path("api/teams/messages", messages)]
