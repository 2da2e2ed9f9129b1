"""The Teams app package: a manifest Teams accepts, for this deployment's bot, with its commands and icons."""

import io
import json
import struct
import zipfile

import pytest
from django.core.management import CommandError, call_command

from supportbot.conversation.grammar import (
    CASE_WORDS,
    DIAGNOSE_WORDS,
    HELP_WORDS,
    MY_CASES_WORDS,
    Intent,
    parse_command,
)
from tests.supportbot.teams.conftest import APP_ID


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def package(settings, tmp_path):
    settings.TEAMS_APP_ID = APP_ID
    settings.WXBIND_BASE_URL = "https://wxbind.example.org"
    target = tmp_path / "wxbind-teams.zip"
    call_command("teams_package", output=str(target), stdout=io.StringIO())
    return zipfile.ZipFile(target)


def test_the_package_holds_the_manifest_and_both_icons(package):
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
    assert _png_size(package.read("color.png")) == (192, 192)
    assert _png_size(package.read("outline.png")) == (32, 32)


def test_the_manifest_is_for_this_bot_and_this_site(package):
    manifest = json.loads(package.read("manifest.json"))
    major, minor = (int(part) for part in manifest["manifestVersion"].split("."))
    assert (major, minor) >= (1, 17)
    assert str(minor) in manifest["$schema"]
    assert manifest["id"] == APP_ID
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert manifest["validDomains"] == ["wxbind.example.org"]
    assert manifest["developer"]["websiteUrl"].startswith("https://wxbind.example.org")
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_every_listed_command_is_one_the_bot_understands(package):
    manifest = json.loads(package.read("manifest.json"))
    commands = [c for listing in manifest["bots"][0]["commandLists"] for c in listing["commands"]]
    titles = [c["title"] for c in commands]
    assert titles == ["help", "diagnose", "cases", "case"]
    for command in commands:
        assert len(command["title"]) <= 32
        assert len(command["description"]) <= 128
    assert parse_command("help").intent is Intent.HELP
    assert {"help", "diagnose", "cases", "case"} <= HELP_WORDS | DIAGNOSE_WORDS | MY_CASES_WORDS | CASE_WORDS


def test_without_an_app_id_or_an_https_site_it_says_what_to_set(settings, tmp_path):
    settings.TEAMS_APP_ID = ""
    settings.WXBIND_BASE_URL = "https://wxbind.example.org"
    with pytest.raises(CommandError, match="TEAMS_APP_ID"):
        call_command("teams_package", output=str(tmp_path / "x.zip"))
    settings.TEAMS_APP_ID = APP_ID
    settings.WXBIND_BASE_URL = "http://localhost:8000"
    with pytest.raises(CommandError, match="WXBIND_BASE_URL"):
        call_command("teams_package", output=str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()
