"""Rules a reader can check: the domain knows no chat platform; front ends hold no product rule."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PLATFORM_SDKS = ("slack_bolt", "slack_sdk", "microsoft_teams", "microsoft_agents", "botbuilder")
# What a front end may not touch: case services, models and the ORM, where product rules live.
DOMAIN_WRITES_AND_READS = ("cases.services", "cases.models", "cases.policy", "faq.models", "supportbot.models")


def _runtime_nodes(tree: ast.AST):
    """Every node, except what sits under ``if TYPE_CHECKING:`` (annotations only, never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def uses_the_orm(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.Attribute) and node.attr == "objects" for node in ast.walk(tree))


def modules(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (REPO / folder).rglob("*.py") if "migrations" not in p.parts]


def test_front_ends_only_translate():
    uses_an_sdk = [p for p in modules("supportbot") if any(i.startswith(PLATFORM_SDKS) for i in imports_of(p))]
    front_ends = set(uses_an_sdk) | set(modules("supportbot/slack", "supportbot/teams", "supportbot/trybot"))
    assert {p.parent.name for p in uses_an_sdk} >= {"slack", "teams"}, "expected both front ends to use their SDKs"
    for path in sorted(front_ends):
        touched = {i for i in imports_of(path) if i.startswith(DOMAIN_WRITES_AND_READS)}
        assert not touched, f"{path.relative_to(REPO)} imports {touched}"
        assert not uses_the_orm(path), f"{path.relative_to(REPO)} queries the ORM"


@pytest.mark.parametrize("folder", ["faq", "cases", "supportbot/conversation"])
def test_the_domain_and_the_core_know_no_chat_platform(folder):
    for path in modules(folder):
        chat = {i for i in imports_of(path) if i.startswith((*PLATFORM_SDKS, "supportbot.slack", "supportbot.teams"))}
        assert not chat, f"{path.relative_to(REPO)} imports {chat}"


@pytest.mark.parametrize("folder", ["faq", "cases"])
def test_the_domain_does_not_reach_into_the_conversation(folder):
    for path in modules(folder):
        core = {i for i in imports_of(path) if i.startswith("supportbot")}
        assert not core, f"{path.relative_to(REPO)} imports {core}"
