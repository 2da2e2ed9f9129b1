import json
import re

import yaml
from jsonschema import Draft7Validator

from tests.conftest import REPO, shared_file


def test_compose_file_follows_the_compose_specification():
    schema = json.loads(shared_file("schemas/compose-spec.json").read_text(encoding="utf-8"))
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    errors = sorted(Draft7Validator(schema).iter_errors(compose), key=str)
    assert not errors, [error.message for error in errors]
    assert {"web", "db", "redis"} <= set(compose["services"])


def test_every_setting_read_by_the_code_is_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for p in REPO.glob("supportbot/**/*.py"))
    read = set(re.findall(r'env_\w+\("([A-Z_]+)"', code)) | set(re.findall(r'environ.get\("([A-Z_]+)"', code))
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert read, "no settings found; the pattern above is out of date"
    for name in read:
        assert f"{name}=" in example, f"{name} is missing from .env.example"
        assert f"`{name}`" in readme, f"{name} is missing from the README"


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"
