"""Teams as a chat platform of the core: where agents work, who they are, and sending what the core says."""

from __future__ import annotations

import json

from django.conf import settings

from cases.transports import TransportError
from supportbot.conversation.platforms import Address, ChatPlatform, MessageRef
from supportbot.teams import cards
from supportbot.teams.connector import connector
from supportbot.teams.payloads import PLATFORM

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def route(*, service_url: str, conversation: str = "", user: str = "") -> str:
    """How to reach a person later: the service that serves them, their chat with the bot, their Teams id."""
    return json.dumps({"s": service_url, "c": conversation, "u": user}, separators=(",", ":"))


def read_route(value: str) -> dict:
    try:
        found = json.loads(value) if value else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def thread_conversation(conversation: str, message: str) -> str:
    """A reply under a channel post goes to the post's own conversation id."""
    base = conversation.split(";messageid=")[0]
    return f"{base};messageid={message}"


def activity(card: cards.Card, *, reply_to: str = ""):
    from microsoft_teams.api import Attachment, MessageActivityInput

    message = MessageActivityInput(summary=card.summary)
    message.attachments = [Attachment(content_type=ADAPTIVE_CARD, content=card.content)]
    if reply_to:
        message.reply_to_id = reply_to
    return message


class TeamsPlatform(ChatPlatform):
    name = PLATFORM
    assigns_from_list = True  # cards have no people picker that works everywhere: agents choose from a list

    def is_configured(self) -> bool:
        return bool(settings.TEAMS_APP_ID or settings.TEAMS_SKIP_AUTH)

    # Where --------------------------------------------------------------------------------------

    def support_address(self) -> Address | None:
        return self._channel(settings.TEAMS_SUPPORT_CONVERSATION)

    def escalation_address(self) -> Address | None:
        return self._channel(settings.TEAMS_ESCALATION_CONVERSATION)

    def _channel(self, conversation: str) -> Address | None:
        return Address(PLATFORM, conversation, route=settings.TEAMS_SERVICE_URL) if conversation else None

    def direct_address(self, *, workspace: str, user_id: str, route: str = "") -> Address | None:
        """The person's chat with the bot, as they last reached us; opened on first send if not known yet."""
        if not user_id:
            return None
        known = read_route(route)
        service_url = known.get("s") or settings.TEAMS_SERVICE_URL
        opener = json.dumps({"s": service_url, "u": known.get("u") or user_id, "t": workspace})
        return Address(PLATFORM, str(known.get("c") or ""), route=opener)

    def command_text(self, arguments: str) -> str:
        return f"wxbind {arguments}"

    # Who are agents ------------------------------------------------------------------------------

    def is_agent(self, person) -> bool:
        return person.platform == PLATFORM and person.user_id in settings.TEAMS_AGENT_IDS

    def agent_ids(self) -> tuple[str, ...]:
        return tuple(settings.TEAMS_AGENT_IDS)

    # Sending -------------------------------------------------------------------------------------

    def send(self, address: Address, reply) -> MessageRef:
        service_url = self._service_url(address)
        conversation = address.conversation or self._open_direct(address)
        reply_to = ""
        if address.thread:
            conversation, reply_to = thread_conversation(conversation, address.thread), address.thread
        first = None
        for card in cards.render(reply):
            posted = connector.post(
                service_url=service_url, conversation=conversation, activity=activity(card, reply_to=reply_to)
            )
            first = first or MessageRef(PLATFORM, conversation.split(";messageid=")[0], posted.activity_id, service_url)
        return first

    def update(self, ref: MessageRef, reply) -> None:
        card = cards.render(reply)[0]
        connector.update(
            service_url=ref.route or settings.TEAMS_SERVICE_URL,
            conversation=ref.conversation,
            activity_id=ref.message,
            activity=activity(card),
        )

    @staticmethod
    def _service_url(address: Address) -> str:
        known = read_route(address.route) if address.route.startswith("{") else {"s": address.route}
        return known.get("s") or settings.TEAMS_SERVICE_URL

    @staticmethod
    def _open_direct(address: Address) -> str:
        known = read_route(address.route)
        if not known.get("u"):
            raise TransportError("no Teams conversation or user to reach", permanent=True)
        return connector.open_direct(
            service_url=known.get("s") or settings.TEAMS_SERVICE_URL, user_id=known["u"], tenant_id=known.get("t", "")
        )
