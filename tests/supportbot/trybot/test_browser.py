"""Try the bot in a real browser (Debian's Chromium, driven by Playwright): a staff member signs in, asks,
walks the diagnosis in the Slack pane and sends the case modal, then fills the case form on the Teams card
that Microsoft's renderer drew. Screenshots are kept in WXBIND_SCREENSHOT_DIR (default build/screenshots)."""

import pytest

from cases.models import Case
from tests.browser import browser, screenshot, sign_in  # noqa: F401 (a fixture)
from tests.supportbot.slack.conftest import _load_diagnosis_steps
from tests.supportbot.trybot.conftest import require_card_renderer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in(browser, live_server, django_user_model, faq_content):  # noqa: F811
    _load_diagnosis_steps()
    django_user_model.objects.create_user(username="tryer", password="pw-try-12345", is_staff=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="en-US")
    # Home sends a signed-out visitor to the login, then to Try the bot.
    sign_in(page, live_server.url, "tryer", "pw-try-12345", start="/", then="/try/")
    yield page
    page.close()


def test_a_question_the_diagnosis_and_a_case_in_the_browser(signed_in):
    require_card_renderer()
    page = signed_in
    page.select_option("#try-language", "en")
    page.fill("#try-text", "our mini program keeps showing an authorization exception, what should we check?")
    page.press("#try-text", "Enter")
    answer = page.locator(".slack-pane").last
    answer.locator(".sk-header").first.wait_for()
    assert "authorization exception" in answer.locator(".sk-header").first.inner_text().lower()
    # Teams' pane holds the card Microsoft's renderer drew, with its buttons.
    teams_card = page.locator(".teams-pane").last.locator(".ac-adaptiveCard")
    teams_card.wait_for()
    assert teams_card.locator("button.ac-pushButton").count() >= 4
    answer.get_by_role("button", name="Diagnose step by step").click()
    page.locator(".try-turn").nth(1).wait_for()

    for answer in ("Yes", "No", "Yes", "Yes"):  # each rules its cause out
        turns = page.locator(".try-turn").count()
        page.locator(".slack-pane").last.get_by_role("button", name=answer, exact=True).click()
        page.locator(".try-turn").nth(turns).wait_for()
    assert page.locator(".try-turn").count() == 6  # the answer, the first step, then one reply per check

    page.locator(".slack-pane").last.get_by_role("button", name="Open a case").click()
    modal = page.locator("form.sk-modal")
    modal.wait_for()
    modal.locator("textarea[name=description]").fill("Authorization exception; all four causes checked.")
    modal.locator("input[name=appid]").fill("wx0123456789abcdef")
    screenshot(page, "try-the-bot-case-modal")
    modal.locator("button[type=submit]").click()
    modal.wait_for(state="detached")
    confirmation = page.locator(".slack-pane").last
    case = Case.objects.get()
    assert str(case.number) in confirmation.inner_text()
    assert case.appid == "wx0123456789abcdef"
    assert len(case.ruled_out) == 4

    # The same in Teams: the form is a card, and sending it replaces the card with the case number.
    page.fill("#try-text", "case")
    page.press("#try-text", "Enter")
    form_card = page.locator(".teams-pane").last.locator(".ac-adaptiveCard")
    form_card.locator("textarea, input.ac-textInput").first.wait_for()
    form_card.locator("textarea").first.fill("Second case, from the Teams card.")
    form_card.get_by_role("button", name="Open case").click()
    last_teams_pane = "[...document.querySelectorAll('.teams-pane')].pop().innerText"
    page.wait_for_function(f"{last_teams_pane}.includes('is open')")
    assert Case.objects.count() == 2
    screenshot(page, "try-the-bot")
