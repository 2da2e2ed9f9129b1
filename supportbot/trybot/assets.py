"""The browser's Adaptive Cards renderer: Microsoft's ``adaptivecards`` package from npm (package.json).

``make install`` installs it into node_modules when npm is there; settings
serve it as static files. Without it, pages show each card's JSON and say why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.translation import gettext as _

ADAPTIVE_CARDS = "vendor/adaptivecards/adaptivecards.min.js"
MARKDOWN = "vendor/markdown-it/markdown-it.umd.min.js"


@dataclass(frozen=True)
class CardRenderer:
    scripts: tuple[str, ...]
    missing: str  # why cards show as JSON; "" when the renderer is there

    @property
    def available(self) -> bool:
        return not self.missing


def card_renderer() -> CardRenderer:
    if finders.find(ADAPTIVE_CARDS) and finders.find(MARKDOWN):
        return CardRenderer(scripts=(static(MARKDOWN), static(ADAPTIVE_CARDS)), missing="")
    return CardRenderer(
        scripts=(),
        missing=_(
            "Microsoft's Adaptive Cards renderer is not installed (it comes from npm: install Node.js, then run "
            "“make install”), so Teams cards are shown as their JSON."
        ),
    )
