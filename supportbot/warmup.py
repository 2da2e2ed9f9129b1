"""Work a fresh server process does once, before its first request, instead of during it."""

import contextlib
import logging

from django.db import DatabaseError, close_old_connections

logger = logging.getLogger(__name__)


def warm_up() -> None:
    from faq import salience, tokenize
    from faq.search import current_generation
    from supportbot.slack.app import SlackNotConfigured, get_handler

    tokenize.warm_up()  # loads the segmentation dictionary (about half a second)
    salience.warm_up()  # loads the word frequency lists
    try:
        current_generation()  # builds the search index
    except DatabaseError as error:  # e.g. not migrated yet: the first query will retry
        logger.warning("could not build the search index at start-up: %s", error)
    with contextlib.suppress(SlackNotConfigured):  # Slack is optional
        get_handler()
    from supportbot.teams.platform import TeamsPlatform

    if TeamsPlatform().is_configured():  # Teams is optional too: its SDK is only loaded when it is set up
        from supportbot.teams.views import warm_up as teams_warm_up

        teams_warm_up()
    close_old_connections()
