import pytest
from django.urls import reverse

from faq.models import Entry

pytestmark = pytest.mark.django_db


def changelist(client, **params):
    return client.get(reverse("admin:faq_entry_changelist"), params)


def test_changelist_filters(admin_client, faq_content):
    Entry.objects.filter(slug="bind").update(title_en="", review_by="2020-01-01")
    assert [e.slug for e in changelist(admin_client, languages="missing-en").context["cl"].result_list] == ["bind"]
    assert [e.slug for e in changelist(admin_client, review="overdue").context["cl"].result_list] == ["bind"]
    assert len(changelist(admin_client, languages="complete").context["cl"].result_list) == 4
    assert [e.slug for e in changelist(admin_client, q="切换开发商").context["cl"].result_list] == [
        "second-miniprogram"
    ]


def test_reordering_from_the_list_changes_display_order(admin_client, faq_content):
    entries = list(Entry.objects.in_display_order())
    data = {"form-TOTAL_FORMS": len(entries), "form-INITIAL_FORMS": len(entries), "_save": "Save"}
    for i, entry in enumerate(entries):
        data[f"form-{i}-id"] = entry.pk
        data[f"form-{i}-display_order"] = 1 if entry.slug == "auth-exception" else entry.display_order
        data[f"form-{i}-is_published"] = "on"
    response = admin_client.post(reverse("admin:faq_entry_changelist"), data)
    assert response.status_code == 302
    assert Entry.objects.in_display_order().first().slug == "auth-exception"


def test_change_form_shows_the_chat_preview(admin_client, faq_content):
    entry = Entry.objects.get(slug="unbind")
    response = admin_client.get(reverse("admin:faq_entry_change", args=[entry.pk]))
    html = response.content.decode()
    assert '<aside class="caveat">' in html
    assert "jiebang-wx.jpg" in html
    assert "预览未保存的修改" in html  # "Preview unsaved changes": the admin speaks Chinese by default


def test_preview_renders_unsaved_markdown_safely(admin_client):
    response = admin_client.post(
        reverse("admin:faq_entry_preview"),
        {"language": "en", "title": "<b>T</b>", "body": "1. step <script>x</script>\n\n> careful"},
    )
    html = response.json()["html"]
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;T&lt;/b&gt;" in html
    assert '<aside class="caveat">' in html


def test_preview_rejects_bad_input(admin_client):
    url = reverse("admin:faq_entry_preview")
    assert admin_client.post(url, {"language": "fr", "body": "x"}).status_code == 400
    assert admin_client.post(url, {"language": "en", "body": "x" * 60_001}).status_code == 400
    assert admin_client.get(url).status_code == 405


def test_preview_needs_staff(client, user):
    client.force_login(user)
    response = client.post(reverse("admin:faq_entry_preview"), {"language": "en", "body": "x"})
    assert response.status_code == 302  # sent to the admin login


def test_saving_in_admin_records_who_and_updates_search(admin_client, superuser, faq_content):
    entry = Entry.objects.get(slug="bind")
    url = reverse("admin:faq_entry_change", args=[entry.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"keywords_en": "zebra crossing", "is_published": "on", "owner": "", "review_by": ""})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert entry.history.latest().history_user == superuser
    assert admin_client.get("/api/faq/search/", {"q": "zebra crossing"}).json()["best"] == "bind"


def test_history_view_and_revert(admin_client, faq_content):
    entry = Entry.objects.get(slug="bind")
    original = entry.title_en
    entry.title_en = "Changed"
    entry.save()
    first = entry.history.earliest()
    history = admin_client.get(reverse("admin:faq_entry_history", args=[entry.pk]))
    assert history.status_code == 200
    revert_url = reverse("admin:faq_entry_simple_history", args=[entry.pk, first.history_id])
    form = admin_client.get(revert_url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["is_published"] = "on"
    assert admin_client.post(revert_url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.title_en == original


def test_actions_publish_and_mark_reviewed(admin_client, faq_content):
    Entry.objects.update(is_published=False, review_by="2020-01-01")
    ids = list(Entry.objects.values_list("pk", flat=True))
    url = reverse("admin:faq_entry_changelist")
    admin_client.post(url, {"action": "publish", "_selected_action": ids})
    admin_client.post(url, {"action": "mark_reviewed", "_selected_action": ids})
    assert Entry.objects.filter(is_published=True).count() == 5
    assert not Entry.objects.review_overdue().exists()


def test_entry_page_for_signed_in_users(client, user, faq_content):
    assert client.get("/faq/unbind/").status_code == 302
    client.force_login(user)
    page = client.get("/faq/unbind/", {"lang": "en"})
    assert page.status_code == 200
    assert "Stop authorization" in page.content.decode()
    assert client.get("/faq/nope/").status_code == 404


def _event(kind, slug=None, question="q", **fields):
    from faq.models import AnswerEvent

    entry = Entry.objects.get(slug=slug) if slug else None
    return AnswerEvent.objects.create(
        kind=kind, entry=entry, question=question, language="zh", channel="slack", **fields
    )


def test_changelist_shows_helpfulness_per_entry(admin_client, faq_content):
    from faq.models import AnswerEvent

    for _ in range(4):
        _event(AnswerEvent.Kind.SHOWN, "unbind")
    _event(AnswerEvent.Kind.HELPFUL, "unbind")
    _event(AnswerEvent.Kind.HELPFUL, "unbind")
    _event(AnswerEvent.Kind.NOT_HELPFUL, "unbind")
    html = changelist(admin_client, q="unbind").content.decode()
    assert "展示 4 次 · 2 次有用 · 1 次没用（66% 有用）" in html  # 4 shown · 2 yes · 1 no (66% helpful)


def test_every_unanswered_asking_newest_first(admin_client, faq_content):
    import datetime

    from django.utils import timezone

    from faq.models import AnswerEvent

    now = timezone.now()
    _event(AnswerEvent.Kind.NO_MATCH, question="报销流程", created_at=now - datetime.timedelta(hours=2))
    _event(AnswerEvent.Kind.NO_MATCH, question="域名备案", created_at=now)
    _event(AnswerEvent.Kind.SHOWN, "bind", question="绑定")
    response = admin_client.get(reverse("admin:faq_unansweredquestion_each"))
    assert [e.question for e in response.context["cl"].result_list] == ["域名备案", "报销流程"]


def test_answer_events_are_read_only(admin_client, faq_content):
    from faq.models import AnswerEvent

    event = _event(AnswerEvent.Kind.SHOWN, "bind")
    assert admin_client.get(reverse("admin:faq_answerevent_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:faq_answerevent_change", args=[event.pk]), {"question": "x"}).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.question == "q"


def test_diagnosis_steps_are_edited_in_admin_with_history(admin_client, db):
    from faq.models import DiagnosisStep

    step = DiagnosisStep.objects.get(key="not-linked")
    response = admin_client.get(reverse("admin:faq_diagnosisstep_changelist"))
    assert "not-linked" in response.content.decode()
    assert admin_client.get(reverse("admin:faq_diagnosisstep_history", args=[step.pk])).status_code == 200


def test_change_form_draws_the_slack_message_and_the_teams_card(admin_client, faq_content):
    entry = Entry.objects.get(slug="bind")
    html = admin_client.get(reverse("admin:faq_entry_change", args=[entry.pk])).content.decode()
    # Slack: the very blocks the bot sends, drawn (and their JSON, with a link to Slack's builder).
    assert f'<div class="sk-header">{entry.title_zh}</div>' in html
    assert 'data-action-id="feedback:yes"' in html
    assert "https://app.slack.com/block-kit-builder/#" in html
    # Teams: the card's JSON handed to the Adaptive Cards renderer in the page.
    assert '<script id="wxbind-teams-card-zh-1" type="application/json">' in html
    assert "window.wxbindCards.render" in html


def test_admin_actions_record_who_made_the_revision(admin_client, superuser, faq_content):
    ids = list(Entry.objects.values_list("pk", flat=True))
    admin_client.post(reverse("admin:faq_entry_changelist"), {"action": "unpublish", "_selected_action": ids})
    assert {e.history.latest().history_user for e in Entry.objects.all()} == {superuser}
