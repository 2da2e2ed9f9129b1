"""Real Chromium for the browser tests: Debian's build, driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

SCREENSHOTS = Path(os.environ.get("WXBIND_SCREENSHOT_DIR", settings.BASE_DIR / "build" / "screenshots"))


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is not installed (.ci/run installs Debian's chromium)")
    pytest.skip("needs Chromium for the browser tests (apt-get install chromium fonts-wqy-microhei)")


@pytest.fixture
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    # Playwright's sync API runs an event loop in this thread; the tests' ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright_api.sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            yield launched
            launched.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(page, base_url: str, username: str, password: str, *, then: str = "/", start: str = "") -> None:
    """Through the admin's login form, as a person does: from ``start`` (a page that leads there), else the
    login page itself; ``then`` is where it must land."""
    page.goto(f"{base_url}{start or f'/admin/login/?next={then}'}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}{then}")


def choose_admin_language(page, language: str) -> None:
    """Pick the admin's language with the header's switch, as a person does ("zh-hans" or "en").

    It switches away and back, so the page shows the person's own choice, not a default that happens to match.
    """
    other = "en" if language == "zh-hans" else "zh-hans"
    page.click(f"#admin-language button[value={other}]")
    page.click(f"#admin-language button[value={language}]")
    page.wait_for_load_state()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
