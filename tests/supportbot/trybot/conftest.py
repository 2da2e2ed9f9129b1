import os
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from supportbot.trybot.assets import ADAPTIVE_CARDS
from tests.supportbot.teams.conftest import button


class Buttons(HTMLParser):
    """The Slack buttons in rendered Block Kit HTML: their label, action_id, value and block id."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "button" and "data-action-id" in attributes:
            self._open = {
                "action_id": attributes["data-action-id"],
                "value": attributes.get("data-value", ""),
                "block_id": attributes.get("data-block-id", ""),
                "label": "",
            }

    def handle_data(self, data):
        if self._open is not None:
            self._open["label"] += data

    def handle_endtag(self, tag):
        if tag == "button" and self._open is not None:
            self._open["label"] = self._open["label"].strip()
            self.found.append(self._open)
            self._open = None


def slack_buttons(html: str) -> list[dict]:
    parser = Buttons()
    parser.feed(html)
    return parser.found


def slack_button(html: str, label: str) -> dict:
    found = [button for button in slack_buttons(html) if button["label"] == label]
    assert found, f"no Slack button {label!r} in {[b['label'] for b in slack_buttons(html)]}"
    return {"type": "button", **{key: found[0][key] for key in ("action_id", "value", "block_id")}}


def card_submit(card: dict, title: str) -> dict:
    """What a card's button sends when pressed."""
    return button(card, title)["data"]


def require_card_renderer() -> None:
    """The npm package is part of `make install` wherever npm is; CI has npm, so there it must be installed."""
    finders.get_finder.cache_clear()
    if finders.find(ADAPTIVE_CARDS):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("the Adaptive Cards renderer is not installed (make install runs npm ci)")
    pytest.skip("the Adaptive Cards renderer is not installed (needs npm: make install)")
