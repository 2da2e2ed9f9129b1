"""The conversation on a case, as staff read it in the admin: who wrote what, where, with which files; the
notes agents kept among themselves; and how the reporter rated the support."""

import re

import pytest
from django.urls import reverse

from cases.models import Case, CaseEvent, ReminderPolicy, Said
from cases.policy import Actor
from cases.services import case_agent_message, case_move, case_open, case_rate, case_reporter_message
from cases.states import State
from tests.cases.test_admin import VALID_POLICY_FORM

pytestmark = pytest.mark.django_db

REPORTER = Actor(label="teams:R1", channel="teams", workspace_id="TEN", user_id="R1")
AGENT = Actor(label="slack:UAGENT", channel="slack", workspace_id="T1", user_id="UAGENT")
SYSTEM = Actor(label="system")
SCREENSHOT = "https://files.example.com/T1/F0SHOT/auth-error.png"


@pytest.fixture
def talked_over_case() -> Case:
    """A case the reporter and an agent talked through, with a file and a note, then resolved and rated."""
    case = case_open(reporter=REPORTER, description="授权异常", reporter_name="Ada").case
    case_reporter_message(
        number=case.number,
        author=REPORTER,
        author_name="Ada",
        platform="teams",
        text="重新授权后还是失败，截图如下",
        files=[{"name": "auth-error.png", "url": SCREENSHOT}],
        source_key="teams:c:1",
    )
    case_agent_message(
        number=case.number,
        author=AGENT,
        author_name="Grace",
        platform="slack",
        text="请用主账号重新授权一次",
        source_key="slack:C1:1.1",
    )
    case_agent_message(
        number=case.number,
        author=AGENT,
        author_name="Grace",
        platform="slack",
        text="疑似子账号没有权限，先别告诉报告人",
        source_key="slack:C1:1.2",
        internal=True,
    )
    case_move(number=case.number, action="resolve", actor=SYSTEM)
    case_rate(number=case.number, reporter=REPORTER, score=4, comment="很快，谢谢")
    return Case.objects.get(pk=case.pk)


def case_page(client, case: Case) -> str:
    response = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def timeline_row(page: str, text: str) -> str:
    """The timeline row (a <tr>) that holds ``text``."""
    rows = [row for row in re.findall(r"<tr class=\"form-row[^\"]*\".*?</tr>", page, re.S) if text in row]
    assert len(rows) == 1, f"{text!r} is in {len(rows)} timeline rows"
    return rows[0]


def test_the_case_page_shows_the_rating_the_comment_and_the_first_response(client, superuser, talked_over_case):
    client.force_login(superuser)
    page = case_page(client, talked_over_case)
    assert "报告人的评价" in page  # the fieldset: Reporter's rating
    assert "★★★★☆</span> 4/5" in page
    assert "很快，谢谢" in page
    assert "评价时间" in page  # rated at
    assert "首次响应时间" in page  # first response
    assert talked_over_case.first_response_at is not None


def test_a_case_not_rated_says_so(client, superuser):
    case = case_open(reporter=REPORTER, description="x").case
    client.force_login(superuser)
    assert "未评价" in case_page(client, case)  # Not rated


def test_the_timeline_shows_who_wrote_where_what_and_the_file_as_a_link(client, superuser, talked_over_case):
    client.force_login(superuser)
    page = case_page(client, talked_over_case)
    reporter_row = timeline_row(page, "截图如下")
    assert "报告人发了消息" in reporter_row  # reporter wrote
    assert "Ada" in reporter_row
    assert "teams:R1" in reporter_row
    assert "Teams" in reporter_row
    assert f'<a href="{SCREENSHOT}" target="_blank" rel="noopener noreferrer">auth-error.png</a>' in reporter_row
    agent_row = timeline_row(page, "请用主账号重新授权一次")
    assert "客服给报告人发了消息" in agent_row  # agent wrote to the reporter
    assert "Grace" in agent_row
    assert "Slack" in agent_row
    assert "wxbind-internal-note" not in agent_row
    rated_row = timeline_row(page, "4/5 很快，谢谢")
    assert "评价了支持服务" in rated_row  # rated the support


def test_an_internal_note_is_marked_as_one(client, superuser, talked_over_case):
    client.force_login(superuser)
    note_row = timeline_row(case_page(client, talked_over_case), "先别告诉报告人")
    assert '<span class="wxbind-internal-note">内部备注</span>' in note_row  # internal note


def test_the_timeline_in_english_names_the_new_lines(client, superuser, talked_over_case, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(superuser)
    page = case_page(client, talked_over_case)
    for text in ["agent wrote to the reporter", "reporter wrote", "internal note", "rated the support", "4/5"]:
        assert text in page
    assert "Reporter&#x27;s rating" in page or "Reporter's rating" in page


def test_a_hostile_file_name_or_address_is_shown_as_text_and_never_linked(client, superuser, talked_over_case):
    # What the services keep is already a web address; the page does not rely on it.
    CaseEvent.objects.create(
        case=talked_over_case,
        actor="teams:R1",
        actor_name='<img src=x onerror="alert(1)">',
        action=Said.REPORTER,
        to_state=talked_over_case.state,
        note="<script>alert('note')</script>",
        platform="teams",
        attachments=[
            {"name": "<script>alert('name')</script>.png", "url": "https://files.example.com/a.png"},
            {"name": "click me", "url": "javascript:alert('url')"},
            {"name": "data", "url": " JAVASCRIPT:alert(1)"},
            {"name": "quoted", "url": 'https://files.example.com/b.png" onmouseover="alert(1)'},
            "not a file",
        ],
    )
    client.force_login(superuser)
    page = case_page(client, talked_over_case)
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;.png</a>" in page
    assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "javascript:" not in page.lower()
    assert "click me" in page  # named, but not a link
    assert 'onmouseover="alert' not in page
    assert 'href="https://files.example.com/b.png&quot; onmouseover=&quot;alert(1)"' in page


def test_the_list_shows_satisfaction_and_filters_by_it(client, superuser, talked_over_case):
    unrated = case_open(reporter=REPORTER, description="still open").case
    client.force_login(superuser)
    url = reverse("admin:cases_case_changelist")
    listed = client.get(url).content.decode()
    assert "满意度" in listed  # the column and the filter: satisfaction
    assert '<td class="field-rating_stars">★ 4/5</td>' in listed
    assert '<td class="field-rating_stars">—</td>' in listed
    assert [c.number for c in client.get(url, {"satisfaction": "4"}).context["cl"].result_list] == [
        talked_over_case.number
    ]
    assert [c.number for c in client.get(url, {"satisfaction": "none"}).context["cl"].result_list] == [unrated.number]
    assert client.get(url, {"satisfaction": "5"}).context["cl"].result_list.count() == 0
    assert client.get(url, {"satisfaction": "x"}).status_code == 200


def test_the_reminder_policy_page_offers_whether_an_agents_message_waits_on_the_reporter(client, superuser):
    client.force_login(superuser)
    page = reverse("admin:cases_reminderpolicy_change", args=[ReminderPolicy.current().pk])
    shown = client.get(page).content.decode()
    assert 'name="agent_message_waits"' in shown
    assert "客服发消息后等待报告人" in shown
    form = dict(VALID_POLICY_FORM)  # agent_message_waits unticked: a browser sends no value for it
    assert client.post(page, form).status_code == 302
    assert ReminderPolicy.current().agent_message_waits is False
    assert client.post(page, {**form, "agent_message_waits": "on"}).status_code == 302
    assert ReminderPolicy.current().agent_message_waits is True
    case = case_open(reporter=REPORTER, description="x").case
    case_agent_message(number=case.number, author=AGENT, platform="slack", text="hi", source_key="slack:C1:9.9")
    assert Case.objects.get(pk=case.pk).state == State.WAITING
