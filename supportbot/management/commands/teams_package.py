"""Build the Teams app package (manifest and icons, zipped) to upload in Teams or the Teams admin center."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

TEAMS_APP = Path(settings.BASE_DIR) / "teams"
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def build_manifest(*, app_id: str, base_url: str) -> dict:
    """The shipped manifest, made this deployment's: its bot, its address."""
    if not GUID.match(app_id or ""):
        raise CommandError("Set TEAMS_APP_ID to the Azure Bot's Microsoft App ID (a GUID) first.")
    host = urlsplit(base_url or "").netloc
    if not base_url.startswith("https://") or not host:
        raise CommandError("Set WXBIND_BASE_URL to this site's public https address (Teams links to it) first.")
    manifest = json.loads((TEAMS_APP / "manifest.json").read_text(encoding="utf-8"))
    manifest["id"] = app_id
    for bot in manifest["bots"]:
        bot["botId"] = app_id
    # Agents' replies under a case card reach the bot without @mentioning it (resource-specific consent).
    manifest["webApplicationInfo"]["id"] = app_id
    home = f"{base_url.rstrip('/')}/"
    manifest["developer"].update(websiteUrl=home, privacyUrl=home, termsOfUseUrl=home)
    manifest["validDomains"] = [host]
    return manifest


class Command(BaseCommand):
    help = "Build build/wxbind-teams.zip from teams/ with TEAMS_APP_ID and WXBIND_BASE_URL filled in."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "build" / "wxbind-teams.zip"))

    def handle(self, *args, output: str, **options) -> None:
        manifest = build_manifest(app_id=settings.TEAMS_APP_ID, base_url=settings.WXBIND_BASE_URL)
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as package:
            package.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            for icon in ("color.png", "outline.png"):
                package.write(TEAMS_APP / icon, icon)
        self.stdout.write(f"Wrote {target}: upload it in Teams (Apps › Manage your apps › Upload an app).")
