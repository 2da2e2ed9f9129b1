"""Teaching the FAQ from unanswered questions: grouped as asked alike, taught in one click, checked by searching."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from faq.answers import AnswerKind, answer_question
from faq.languages import Language
from faq.models import AnswerEvent, Entry
from faq.tokenize import question_key
from supportbot.conversation.people import Person
from supportbot.conversation.recording import record_answered
from supportbot.conversation.replies import AnswerRecord
from supportbot.recorder import recorder

pytestmark = pytest.mark.django_db(transaction=True)

MOVE = "小程序的云开发环境怎么迁移到另一个账号下"
MOVE_AGAIN = "请问 小程序的云开发环境，如何迁移到另一个账号下？"
OTHER = "公众号菜单怎么设置"
LIST = reverse("admin:faq_unansweredquestion_changelist")
TEACH = reverse("admin:faq_unansweredquestion_teach")


def unanswered(question: str, user: str = "U1") -> None:
    """A question that found no confident answer, recorded as every front end records it."""
    record = AnswerRecord(entry_id=None, confident=False, question=question)
    record_answered(record, person=Person("slack", "T1", user))


@pytest.fixture
def asked(faq_content):
    for user in ("U1", "U2"):
        unanswered(MOVE, user)
    unanswered(MOVE_AGAIN, "U3")
    unanswered(OTHER)
    recorder.flush()


def test_questions_asked_alike_share_a_key_and_others_do_not():
    assert question_key(MOVE) == question_key(MOVE_AGAIN)
    assert question_key("怎么解绑小程序？") == question_key("请问小程序如何解绑")
    assert question_key(MOVE) != question_key(OTHER)
    assert question_key("How do I unbind?") == question_key("how to UNBIND")


def test_unanswered_questions_are_recorded_with_their_key_and_answers_without(faq_content):
    unanswered(MOVE)
    entry = Entry.objects.get(slug="unbind")
    record_answered(
        AnswerRecord(entry_id=entry.pk, confident=True, question="怎么解绑"), person=Person("slack", "T1", "U")
    )
    recorder.flush()
    keys = dict(AnswerEvent.objects.values_list("kind", "question_key"))
    assert keys == {AnswerEvent.Kind.NO_MATCH: question_key(MOVE), AnswerEvent.Kind.SHOWN: ""}


def test_the_page_groups_questions_asked_alike_most_asked_first_with_the_closest_entries(client, superuser, asked):
    client.force_login(superuser)
    page = client.get(LIST)
    assert page.status_code == 200
    groups = page.context["groups"]
    assert [(g["group"].count, g["group"].question) for g in groups] == [(3, MOVE_AGAIN), (1, OTHER)]
    assert 1 <= len(groups[0]["closest"]) <= 3
    shown = page.content.decode()
    assert MOVE_AGAIN in shown
    assert shown.count('name="key"') >= 2
    # Every asking is still there to read, one per row.
    each = client.get(reverse("admin:faq_unansweredquestion_each"))
    assert each.context["cl"].result_count == 4


def test_one_click_makes_the_question_an_alias_and_search_then_answers_it(client, superuser, asked):
    assert answer_question(question=MOVE_AGAIN).kind is not AnswerKind.ANSWER
    client.force_login(superuser)
    entry = Entry.objects.get(slug="unbind")
    key = question_key(MOVE)
    response = client.post(TEACH, {"key": key, "entry": str(entry.pk)}, follow=True)
    assert response.status_code == 200
    said = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert [level for level, _ in said] == ["success", "success"]  # both wordings, checked by searching
    assert {text.split("”")[0].strip("“") for _, text in said} == {
        MOVE,
        "请问 小程序的云开发环境 如何迁移到另一个账号下？",
    }
    entry.refresh_from_db()
    assert "请问 小程序的云开发环境 如何迁移到另一个账号下？" in entry.keywords(
        Language.ZH
    )  # the latest asking, one item
    revision = entry.history.first()
    assert (revision.history_change_reason, revision.history_user) == ("Taught from unanswered questions", superuser)
    # Search answers it now (asked, not assumed), and the taught group leaves the list.
    found = answer_question(question=MOVE_AGAIN)
    assert (found.kind, found.entry.slug) == (AnswerKind.ANSWER, "unbind")
    assert [g["group"].question for g in response.context["groups"]] == [OTHER]
    assert AnswerEvent.objects.filter(taught_entry=entry).count() == 3
    # Its later askers get the answer, and are counted as answered.
    again = answer_question(question=MOVE)
    assert again.entry.slug == "unbind"


def test_teaching_a_group_taught_already_changes_nothing(client, superuser, asked):
    client.force_login(superuser)
    entry = Entry.objects.get(slug="unbind")
    client.post(TEACH, {"key": question_key(MOVE), "entry": str(entry.pk)}, follow=True)  # its messages shown
    revisions = entry.history.count()
    response = client.post(TEACH, {"key": question_key(MOVE), "entry": str(entry.pk)}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert entry.history.count() == revisions


@pytest.mark.parametrize(
    "form", [{}, {"key": "x"}, {"entry": "1"}, {"key": "x", "entry": "abc"}, {"key": "x", "entry": "99999999"}]
)
def test_a_bad_request_says_what_is_missing_and_changes_nothing(client, superuser, asked, form):
    client.force_login(superuser)
    before = list(Entry.objects.values_list("keywords_zh", flat=True))
    response = client.post(TEACH, form, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert list(Entry.objects.values_list("keywords_zh", flat=True)) == before
    assert not AnswerEvent.objects.filter(taught_entry__isnull=False).exists()


def test_only_staff_who_may_edit_entries_teach(client, django_user_model, asked):
    reader = django_user_model.objects.create_user(username="reader", password="pw", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_answerevent"))
    client.force_login(reader)
    page = client.get(LIST)
    assert page.status_code == 200
    assert 'name="key"' not in page.content.decode()
    entry = Entry.objects.get(slug="unbind")
    assert client.post(TEACH, {"key": question_key(MOVE), "entry": str(entry.pk)}).status_code == 403
    assert not AnswerEvent.objects.filter(taught_entry__isnull=False).exists()


def test_new_entry_from_a_question_opens_the_form_prefilled_and_unpublished(client, superuser, asked):
    client.force_login(superuser)
    groups = client.get(LIST).context["groups"]
    form = client.get(groups[1]["new_entry"]).context["adminform"].form
    assert form.initial["title_zh"] == OTHER
    assert form.initial["keywords_zh"] == OTHER
    assert not form.initial["is_published"]
