from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from slack_bolt.adapter.socket_mode import SocketModeHandler

from supportbot.slack.app import SlackNotConfigured, get_app


def socket_mode_handler(app_token: str) -> SocketModeHandler:
    """The Slack app over Socket Mode: the same listeners as the HTTP endpoint."""
    app = get_app()

    @app.middleware
    def fresh_database_connections(next):
        # Socket Mode runs listeners on its own threads, outside Django's request
        # cycle, so stale connections are closed here as Django would per request.
        close_old_connections()
        try:
            return next()
        finally:
            close_old_connections()

    return SocketModeHandler(app, app_token)


class Command(BaseCommand):
    help = "Connect to Slack over Socket Mode (no public URL needed). Needs SLACK_APP_TOKEN (xapp-…)."

    def handle(self, *args, **options) -> None:
        if not settings.SLACK_APP_TOKEN:
            raise CommandError("SLACK_APP_TOKEN is not set: create an app-level token with connections:write.")
        try:
            handler = socket_mode_handler(settings.SLACK_APP_TOKEN)
        except SlackNotConfigured as error:
            raise CommandError(str(error)) from None
        self.stdout.write("Connecting to Slack over Socket Mode. Stop with Ctrl+C.")
        handler.start()
