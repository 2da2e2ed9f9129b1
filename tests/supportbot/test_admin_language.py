"""The admin in Chinese or English, chosen per staff member and saved with their account."""

import ast
import gettext
import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.policy import Actor
from cases.services import case_open
from supportbot.admin_language import admin_language_save
from supportbot.models import AdminLanguage
from tests.conftest import REPO

pytestmark = pytest.mark.django_db

CATALOG = REPO / "locale" / "zh_Hans" / "LC_MESSAGES"
SWITCH = reverse("admin-language")
REPORTER = Actor(label="slack:U1", channel="slack", workspace_id="T1", user_id="U1")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(username="editor-i18n", password="pw-editor-123")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, url: str, **params) -> str:
    response = client.get(url, params, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def a_case(db):
    return case_open(reporter=REPORTER, description="cannot bind").case


# What each language shows on the four pages staff use most, and the other language's words that must not show.
PAGES = {
    "en": {
        "index": ["FAQ and binding cases", "Binding cases", "Entries", "Example questions", "Reminder policy"],
        "entries": [
            "Select entry to change",
            "By languages",
            "Complete (Chinese + English)",
            "Publish selected entries",
            "Mark reviewed (next review in 180 days)",
            "Helpfulness",
        ],
        "cases": ["Select case to change", "By follow-ups", "Assign selected cases to me", "waiting on reporter"],
        "policy": ["Unassigned cases", "Business hours", "Business days", "Monday", 'value="30 minutes"'],
    },
    "zh-hans": {
        "index": ["常见问题与绑定工单", "绑定工单", "条目", "示例问题", "提醒策略"],
        "entries": [
            "选择 条目 来修改",
            "以 语言",
            "完整（中文 + 英文）",
            "发布所选条目",
            "标记为已复核（180 天后再复核）",
            "有用程度",
        ],
        "cases": ["选择 工单 来修改", "以 跟进", "将所选工单分配给我", "等待报告人"],
        "policy": ["未分配的工单", "工作时间", "工作日", "星期一", 'value="30 分钟"'],
    },
}
NEVER = {
    "en": ["常见问题与绑定工单", "提醒策略", "选择 条目 来修改", "发布所选条目", "将所选工单分配给我", "30 分钟"],
    "zh-hans": [
        "Binding cases",
        "Entries",
        "Example questions",
        "Reminder policy",
        "Select entry",
        "Publish selected",
        "By languages",
        "Assign selected",
        "Unassigned cases",
        "30 minutes",
    ],
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_staff_member_reads_every_admin_page_in_the_language_they_chose(
    language, editor, faq_content, a_case, settings
):
    settings.LANGUAGE_CODE = "zh-hans" if language == "en" else "en"  # their choice, not the default
    admin_language_save(user=editor, language=language)
    client = signed_in(editor)
    pages = {
        "index": page(client, reverse("admin:index")),
        "entries": page(client, reverse("admin:faq_entry_changelist")),
        "cases": page(client, reverse("admin:cases_case_changelist")),
        "policy": page(client, reverse("admin:cases_reminderpolicy_changelist")),
    }
    for name, html in pages.items():
        assert f'<html lang="{language}"' in html, name
        for text in PAGES[language][name]:
            assert text in html, f"{text!r} missing from the {language} {name} page"
        for text in NEVER[language]:
            assert text not in html, f"{text!r} on the {language} {name} page"
        assert "Reminder policys" not in html
        assert "policys" not in html.lower()


def test_a_chinese_reader_sees_no_english_column_filter_or_fieldset_on_an_entry(editor, faq_content):
    from faq.models import Entry

    client = signed_in(editor)
    html = page(client, reverse("admin:faq_entry_change", args=[Entry.objects.get(slug="bind").pk]))
    for text in ["标题（中文）", "正文（英文）", "在聊天中的样子", "复核期限", "预览未保存的修改"]:
        assert text in html
    for text in ["Title (Chinese)", "How it reads in chat", "Review by", "Preview unsaved changes", "Record"]:
        assert text not in html


def test_without_a_choice_a_signed_in_person_gets_the_deployment_default_not_their_browser(editor, settings):
    client = signed_in(editor)
    assert "绑定工单" in client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    settings.LANGUAGE_CODE = "en"
    assert "Binding cases" in client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()


def test_the_sign_in_page_follows_the_browser(client):
    assert "Log in" in client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登录" in client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()


def test_the_header_offers_both_languages_and_marks_the_current_one(editor):
    html = page(signed_in(editor), reverse("admin:faq_entry_changelist"), q="bind")
    form = re.search(r'<form id="admin-language" method="post" action="([^"]+)".*?</form>', html, re.S)
    assert form
    assert form[1] == SWITCH
    assert 'name="csrfmiddlewaretoken"' in form[0]
    assert 'name="next" value="/admin/faq/entry/?q=bind"' in form[0]
    assert re.search(r'value="zh-hans"[^>]*aria-pressed="true">简体中文</button>', form[0])
    assert re.search(r'value="en"[^>]*aria-pressed="false">English</button>', form[0])


def test_choosing_a_language_saves_it_for_the_person_and_goes_back(editor):
    first = signed_in(editor)
    response = first.post(SWITCH, {"language": "en", "next": "/admin/faq/entry/?q=bind"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/faq/entry/?q=bind"
    assert AdminLanguage.objects.get(user=editor).language == "en"
    assert "Binding cases" in page(first, reverse("admin:index"))
    # Another browser, signed in as the same person, without the first one's cookie.
    assert "Binding cases" in page(signed_in(editor), reverse("admin:index"))
    first.post(SWITCH, {"language": "zh-hans", "next": "/admin/"})
    assert AdminLanguage.objects.get(user=editor).language == "zh-hans"
    assert "绑定工单" in page(signed_in(editor), reverse("admin:index"))


def test_one_persons_choice_is_theirs_alone(editor, superuser):
    signed_in(editor).post(SWITCH, {"language": "en", "next": "/admin/"})
    assert "绑定工单" in page(signed_in(superuser), reverse("admin:index"))


@pytest.mark.parametrize("language", ["fr", "", "zh-hans<script>", "EN"])
def test_a_language_not_offered_is_refused_and_nothing_changes(editor, language):
    admin_language_save(user=editor, language="en")
    response = signed_in(editor).post(SWITCH, {"language": language, "next": "/admin/"})
    assert response.status_code == 400
    assert AdminLanguage.objects.get(user=editor).language == "en"


@pytest.mark.parametrize("target", ["https://evil.example/admin/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_switcher_never_sends_anyone_off_the_site(editor, target):
    response = signed_in(editor).post(SWITCH, {"language": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert AdminLanguage.objects.get(user=editor).language == "en"


def test_the_switcher_is_for_staff_and_posts_only(client, user, editor):
    assert client.post(SWITCH, {"language": "en"}).status_code == 302  # to the sign-in page
    client.force_login(user)
    assert client.post(SWITCH, {"language": "en"}).status_code == 302
    assert not AdminLanguage.objects.exists()
    assert signed_in(editor).get(SWITCH, {"language": "en"}).status_code == 405
    assert not AdminLanguage.objects.exists()


def test_the_switcher_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(SWITCH, {"language": "en", "next": "/admin/"}).status_code == 403
    assert not AdminLanguage.objects.exists()


def test_api_errors_come_in_the_language_of_whoever_is_signed_in(editor, staff):
    admin_language_save(user=editor, language="en")
    english = APIClient()
    english.force_login(editor)  # a browser session
    refused = english.post("/api/cases/", {"description": "x", "appid": "wx12"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Invalid request.")
    assert "A Mini Program AppID is “wx” followed by 16 hex digits." in refused.json()["detail"]
    assert english.post("/api/cases/99999/transition/", {"action": "resolve"}).json() == {"detail": "No such case."}

    admin_language_save(user=staff, language="zh-hans")
    chinese = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # an API token: the saved choice wins over the header
    chinese.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")
    refused = chinese.post("/api/cases/", {"description": "x", "appid": "wx12"}, format="json")
    assert refused.json()["detail"].startswith("请求无效。")
    assert "小程序 AppID 是“wx”加 16 位十六进制数字。" in refused.json()["detail"]
    assert chinese.post("/api/cases/99999/transition/", {"action": "resolve"}).json() == {"detail": "没有这个工单。"}


def test_a_refused_move_through_the_api_says_why_in_the_readers_language(editor, a_case):
    admin_language_save(user=editor, language="en")
    client = APIClient()
    client.force_login(editor)
    conflict = client.post(f"/api/cases/{a_case.number}/transition/", {"action": "reopen"}, format="json")
    assert conflict.status_code == 409
    assert conflict.json()["detail"] == "A case that is open cannot be moved by “reopen”."


def test_durations_shown_in_chinese_read_back_as_the_same_duration():
    import datetime

    from django.utils import translation

    from cases.forms import parse_human_duration, show_duration

    for value in [datetime.timedelta(minutes=30), datetime.timedelta(days=8, hours=4, seconds=5)]:
        with translation.override("zh-hans"):
            shown = show_duration(value)
        assert not re.search(r"[a-z]", shown), shown
        assert parse_human_duration(shown) == value


# The catalog -----------------------------------------------------------------------------------------------------


def read_po(path) -> list[dict]:
    """The .po's entries: msgctxt, msgid, msgid_plural, msgstr (a list), flags; obsolete (#~) ones left out."""
    entries, current, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current and "msgid" in current:
                entries.append(current)
            current = None
            continue
        current = current or {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(key, int):
                current["msgstr"][key] += text
            else:
                current[key] += text
        else:
            name, quoted = line.split(" ", 1)
            match = re.fullmatch(r"msgstr\[(\d+)\]", name)
            key = int(match[1]) if match else (0 if name == "msgstr" else name)
            if isinstance(key, int):
                current["msgstr"][key] = ast.literal_eval(quoted)
            else:
                current[key] = ast.literal_eval(quoted)
    return [{**entry, "msgstr": [entry["msgstr"][n] for n in sorted(entry["msgstr"])]} for entry in entries]


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    return [entry for entry in read_po(CATALOG / "django.po") if entry["msgid"]]


def test_every_string_is_translated_and_none_is_fuzzy(po_entries):
    assert len(po_entries) > 300
    untranslated = [entry["msgid"] for entry in po_entries if not all(entry["msgstr"])]
    fuzzy = [entry["msgid"] for entry in po_entries if "fuzzy" in entry["flags"]]
    assert not untranslated, f"translate these in {CATALOG / 'django.po'}: {untranslated}"
    assert not fuzzy, f"check these translations, then drop their fuzzy flag: {fuzzy}"


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\([a-z_]+\)[sdr]|%[sdr]|\{[a-z_]+\}", text))


def test_every_translation_keeps_the_placeholders_of_its_english(po_entries):
    for entry in po_entries:
        for translated in entry["msgstr"]:
            assert placeholders(translated) == placeholders(entry["msgid"]), entry["msgid"]


def test_the_compiled_catalog_is_the_po_as_it_stands(po_entries):
    """A .po edited without running compilemessages leaves a stale .mo: this catches it."""
    with (CATALOG / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for entry in po_entries:
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            expected.update({(key, n): text for n, text in enumerate(entry["msgstr"])})
        else:
            expected[key] = entry["msgstr"][0]
    compiled_entries = {key: text for key, text in catalog.items() if key not in ("", ("", 0))}
    assert compiled_entries == expected
