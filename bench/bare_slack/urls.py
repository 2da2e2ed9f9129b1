from django.conf import settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from slack_bolt import App
from slack_bolt.adapter.django import SlackRequestHandler
from slack_sdk import WebClient

# Configured like the product's app, so the comparison measures only what the product adds.
app = App(
    signing_secret=settings.SLACK_SIGNING_SECRET,
    client=WebClient(token=settings.SLACK_BOT_TOKEN, base_url=settings.SLACK_API_URL),
    process_before_response=True,
    token_verification_enabled=False,
)


@app.command("/wxbind")
def constant(ack):
    ack("ok")


handler = SlackRequestHandler(app)


@csrf_exempt
def events(request):
    return handler.handle(request)


urlpatterns = [path("slack/events", events)]
