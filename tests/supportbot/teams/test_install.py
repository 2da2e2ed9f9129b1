"""The bot being installed: in a team it says which conversation id to configure; in a personal chat, hello."""

import pytest

from supportbot.models import ChatUser
from tests.supportbot.teams.conftest import PERSONAL, REPORTER, SUPPORT, settle, visible_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_added_to_a_team_it_tells_the_channel_its_conversation_id(teams, standin):
    assert teams.post(teams.activity("conversation_update_install")).status == 200
    (sent,) = standin.wait_for(1)
    assert sent.conversation == SUPPORT
    text = visible_text(sent.cards()[0])
    assert "TEAMS_SUPPORT_CONVERSATION" in text
    assert SUPPORT in text


def test_one_installation_told_twice_says_hello_once(teams, standin):
    teams.post(teams.activity("installation_update_add"))
    teams.post(
        teams.activity(
            "installation_update_add",
            type="conversationUpdate",
            membersAdded=[{"id": "28:c9e1b0a3-0000-0000-0000-000000000b07"}],
        )
    )
    standin.wait_for(1)
    settle(0.3)
    assert len(standin.sent) == 1
    card = standin.sent[0].cards()[0]
    assert "一步步排查" in visible_text(card)  # the help card, in the installer's locale (zh-CN)


def test_a_personal_install_keeps_how_to_reach_the_person(teams, standin):
    teams.post(teams.activity("installation_update_add"))
    standin.wait_for(1)
    person = ChatUser.objects.get(platform="teams", user_id=REPORTER)
    assert PERSONAL in person.route
    assert person.locale == "zh-CN"


def test_other_members_joining_a_team_are_not_greeted(teams, standin):
    activity = teams.activity("conversation_update_install", membersAdded=[{"id": "29:someone-else"}])
    assert teams.post(activity).status == 200
    settle(0.3)
    assert standin.sent == []


def test_removal_says_nothing(teams, standin):
    assert teams.post(teams.activity("installation_update_add", action="remove")).status == 200
    settle(0.3)
    assert standin.sent == []
