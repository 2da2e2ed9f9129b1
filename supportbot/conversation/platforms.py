"""Chat platforms as the core sees them: where to reach people, how to send, who the agents are.

Each front end provides one ``ChatPlatform`` (Slack's is ``supportbot.slack.platform``)
and registers it in ``settings.WXBIND_PLATFORMS``. The core composes what to
say; a platform only renders replies in its own format and sends them. Adding
a platform means: a front end that turns its payloads into core calls, a
renderer for the reply types, and a ChatPlatform here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Address:
    """Where a message goes on a platform."""

    platform: str
    conversation: str  # a channel, a person's direct conversation, a Teams conversation id
    thread: str = ""  # a message to reply under, if any
    route: str = ""  # what else the platform needs to reach it (Teams: the service URL)


@dataclass(frozen=True)
class MessageRef:
    """A message the bot posted, so it can be updated or replied under later."""

    platform: str
    conversation: str
    message: str
    route: str = ""

    def thread(self) -> Address:
        return Address(self.platform, self.conversation, thread=self.message, route=self.route)


class ChatPlatform:
    """What the core needs from a chat platform. Raise ``cases.transports.TransportError`` on failed sends."""

    name = ""

    def is_configured(self) -> bool:
        return False

    # Whether agents pick an assignee from a list the core gives (Teams) rather than the platform's own picker.
    assigns_from_list = False

    def is_agent(self, person) -> bool:
        """The platform's own agent rule (e.g. a Slack user group); site accounts are checked by the core."""
        return False

    def agent_ids(self) -> tuple[str, ...]:
        """The people the platform's own rule makes agents, where it can list them."""
        return ()

    def support_address(self) -> Address | None:
        """Where agents work cases (a channel), if set."""
        return None

    def escalation_address(self) -> Address | None:
        return None

    def direct_address(self, *, workspace: str, user_id: str, route: str = "") -> Address | None:
        """A person's direct conversation with the bot."""
        return None

    def command_text(self, arguments: str) -> str:
        """How a person types a command to the bot on this platform, e.g. "/wxbind case 1042"."""
        return f"wxbind {arguments}"

    def send(self, address: Address, reply) -> MessageRef:
        raise NotImplementedError

    def update(self, ref: MessageRef, reply) -> None:
        raise NotImplementedError


@functools.cache
def _load(path: str) -> ChatPlatform:
    return import_string(path)()


def platform(name: str) -> ChatPlatform | None:
    path = settings.WXBIND_PLATFORMS.get(name)
    return _load(path) if path else None


def home_platform() -> ChatPlatform | None:
    """The platform agents work on for cases that came from elsewhere (the API): WXBIND_HOME_PLATFORM."""
    return platform(settings.WXBIND_HOME_PLATFORM)
