"""The main admin pages in real Chromium at 1366 px, in Chinese and English (chosen with the header's
switcher), light and dark: each readable, nothing cut off, the chat previews drawn. The screenshots are kept
(WXBIND_SCREENSHOT_DIR, default build/screenshots) to be looked at."""

import pytest

from cases.policy import Actor
from cases.services import case_agent_message, case_move, case_open, case_rate, case_reporter_message
from faq.models import AnswerEvent, Entry
from faq.tokenize import question_key
from tests.browser import browser, choose_admin_language, screenshot, sign_in  # noqa: F401 (a fixture)
from tests.supportbot.trybot.conftest import require_card_renderer

pytestmark = pytest.mark.django_db(transaction=True)
WIDTH = 1366
# What each language's page must say (its title in the header of the page) and must not.
SAYS = {
    "zh-hans": {"index": "常见问题与绑定工单", "entries": "选择", "policy": "提醒", "unanswered": "选出能回答它的条目"},
    "en": {
        "index": "FAQ and binding cases",
        "entries": "Select",
        "policy": "eminder",
        "unanswered": "Pick the entry that answers",
    },
}
# An English model name inside a Chinese heading ("选择 entry 来修改") is the mix this guards against.
ENGLISH_MODEL_NAMES = ("entry", "entries", "case", "reminder polic", "policys")


def luminance(css_color: str) -> float:
    """Relative luminance (0 dark … 1 light) of an rgb()/rgba() colour."""
    parts = [float(p) for p in css_color[css_color.index("(") + 1 : css_color.index(")")].split(",")[:3]]
    linear = [(c / 255) / 12.92 if c / 255 <= 0.03928 else (((c / 255) + 0.055) / 1.055) ** 2.4 for c in parts]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def background_of(page, selector: str) -> str:
    """The colour actually behind an element: the first non-transparent background up its ancestors."""
    return page.eval_on_selector(
        selector,
        """element => {
            for (let node = element; node; node = node.parentElement) {
                const colour = getComputedStyle(node).backgroundColor;
                if (colour && colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
            }
            return 'rgb(255, 255, 255)';
        }""",
    )


def assert_readable(page, selector: str) -> None:
    for index in range(page.locator(selector).count()):
        element = f"{selector} >> nth={index}"
        colour = page.eval_on_selector(element, "e => getComputedStyle(e).color")
        assert contrast(colour, background_of(page, element)) >= 3, f"{selector} #{index} is hard to read"


def talked_over(number: int, reporter: Actor) -> None:
    """What a case page mostly shows: the conversation, a file, an agents' note, and the reporter's rating."""
    agent = Actor(label="slack:UAGENT", channel="slack", workspace_id="T1", user_id="UAGENT")
    file = {
        "name": "授权失败截图-2026-11-24-very-long-file-name-from-a-phone-camera.png",
        "url": "https://files.example.com/T1/F0SHOT/auth-error-screenshot-taken-on-a-phone-with-a-long-name.png",
    }
    reporter_says = {"number": number, "author": reporter, "author_name": "Ada Chen", "platform": "slack"}
    agent_says = {**reporter_says, "author": agent, "author_name": "Grace"}
    case_reporter_message(**reporter_says, text="重新授权后还是失败，截图如下。", files=[file], source_key="s:1")
    case_agent_message(**agent_says, text="请用主账号登录腾讯云控制台，再授权一次。", source_key="s:2")
    case_agent_message(**agent_says, text="看起来是子账号没有授权权限，先确认一下。", internal=True, source_key="s:3")
    case_reporter_message(**reporter_says, text="好了，谢谢！", source_key="s:4")
    case_move(number=number, action="resolve", actor=reporter)
    case_rate(number=number, reporter=reporter, score=4, comment="回复很快，问题解决了。")


@pytest.fixture
def pages(live_server, django_user_model, faq_content):
    django_user_model.objects.create_superuser(username="chief", password="pw-chief-12345")
    reporter = Actor(label="slack:U1", channel="slack", workspace_id="T1", user_id="U1")
    opened = case_open(
        reporter=reporter,
        reporter_name="Ada Chen",
        description="授权异常，已重新授权仍失败",
        appid="wx0123456789abcdef",
    )
    talked_over(opened.case.number, reporter)
    for question in (
        "小程序的云开发环境怎么迁移到另一个账号下",
        "请问小程序的云开发环境如何迁移到另一个账号下？",
        "公众号菜单怎么设置",
    ):
        AnswerEvent.objects.create(
            kind=AnswerEvent.Kind.NO_MATCH,
            question=question,
            language="zh",
            channel="slack",
            question_key=question_key(question),
        )
    entry = Entry.objects.get(slug="auth-exception")
    return {
        "index": "/admin/",
        "entries": "/admin/faq/entry/",
        "entry": f"/admin/faq/entry/{entry.pk}/change/",
        "cases": "/admin/cases/case/",
        "case": f"/admin/cases/case/{opened.case.pk}/change/",
        "policy": "/admin/cases/reminderpolicy/",
        "unanswered": "/admin/faq/unansweredquestion/",
        "try": "/try/",
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_main_admin_pages_in_both_languages_light_and_dark(browser, live_server, pages, language):  # noqa: F811
    require_card_renderer()
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "chief", "pw-chief-12345", then="/admin/")
    choose_admin_language(page, language)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            assert page.get_attribute("html", "lang") == language, f"{name} is not in {language}"
            if name in SAYS[language]:
                assert SAYS[language][name] in page.inner_text("#content"), name
            heading = (
                page.locator("#content h1").first.inner_text().lower() if page.locator("#content h1").count() else ""
            )
            if language == "zh-hans":
                assert not any(word in heading for word in ENGLISH_MODEL_NAMES), f"{name}: {heading!r}"
            assert "policys" not in page.inner_text("body").lower()
            # Nothing cut off at 1366 px: the page is no wider than the window.
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, f"{name} scrolls sideways"
            assert_readable(page, "#content h1, #content h2, #content h3")
            if name == "case":  # the conversation is there, the file a link, the agents' note marked, the rating
                assert page.locator(".field-said a[href^='https://files.example.com/']").count() == 1
                assert page.locator(".wxbind-internal-note").count() == 1
                assert "4/5" in page.inner_text(".field-rating")
            if name == "unanswered":  # asked alike, counted once as a group, each with entries to teach it to
                assert page.locator(".unanswered td.asked").all_inner_texts() == ["2", "1"]
                assert page.locator(".unanswered .teach-closest button").count() >= 2
            if name == "entry":  # the chat previews are drawn, not dumped
                assert page.locator(".wxbind-slack-preview .sk-message").count() >= 1
                assert page.locator(".wxbind-teams-preview .ac-adaptiveCard").count() >= 1
            screenshot(page, f"admin-{name}-{language}-{scheme}")
    context.close()
