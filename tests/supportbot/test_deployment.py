import json
import os
import re

import pytest
import yaml
from jsonschema import Draft7Validator

from tests.conftest import REPO, shared_file


def test_compose_file_follows_the_compose_specification():
    schema = json.loads(shared_file("schemas/compose-spec.json").read_text(encoding="utf-8"))
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    errors = sorted(Draft7Validator(schema).iter_errors(compose), key=str)
    assert not errors, [error.message for error in errors]
    services = compose["services"]
    assert {"db", "redis", "migrate", "web", "worker", "beat", "slack-socket-mode"} <= set(services)
    for name in ("web", "worker", "beat", "slack-socket-mode"):  # everything that needs the schema waits for it
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
    assert all("healthcheck" in service for name, service in services.items() if name != "migrate")
    assert services["beat"]["deploy"]["replicas"] == 1
    assert services["slack-socket-mode"]["profiles"] == ["socket-mode"]
    assert {"db-data", "redis-data"} <= set(compose["volumes"])


def test_the_image_runs_without_privileges_and_never_holds_the_env_file():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users
    assert users[-1] not in ("root", "0")
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored
    assert ".venv" in ignored


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


def _documented_production_settings() -> dict[str, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- production-settings -->", 1)[1].split("<!-- /production-settings -->", 1)[0]
    lines = [line for line in block.splitlines() if "=" in line and not line.startswith("```")]
    return dict(line.split("=", 1) for line in lines)


def test_the_documented_production_settings_pass_djangos_deployment_checks():
    import secrets
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(_documented_production_settings())
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(60)
    env["DATABASE_URL"] = "sqlite:///:memory:"  # the checks read settings, not data
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_staff_sign_in_to_admin_through_a_tls_terminating_proxy(settings, staff, caplog):
    from django.test import Client

    documented = _documented_production_settings()
    settings.ALLOWED_HOSTS = [documented["DJANGO_ALLOWED_HOSTS"]]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    proxied = {"HTTP_HOST": "support.example.com", "HTTP_X_FORWARDED_PROTO": "https"}

    def sign_in(client: Client):
        client.get("/admin/login/", **proxied)
        token = client.cookies["csrftoken"].value
        form = {"username": "editor", "password": "pw-editor-123", "csrfmiddlewaretoken": token, "next": "/admin/"}
        origin = {"HTTP_ORIGIN": "https://support.example.com", "HTTP_REFERER": "https://support.example.com/"}
        return client.post("/admin/login/", form, **proxied, **origin)

    # Without the proxy settings the https request looks like http to Django: "Origin checking failed".
    settings.CSRF_TRUSTED_ORIGINS, settings.SECURE_PROXY_SSL_HEADER = [], None
    refused = sign_in(Client(enforce_csrf_checks=True))
    assert refused.status_code == 403
    assert "Origin checking failed" in caplog.text
    settings.CSRF_TRUSTED_ORIGINS = documented["DJANGO_CSRF_TRUSTED_ORIGINS"].split(",")
    header, value = documented["DJANGO_SECURE_PROXY_SSL_HEADER"].split(":", 1)
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_" + header.strip().upper().replace("-", "_"), value.strip())
    client = Client(enforce_csrf_checks=True)
    signed_in = sign_in(client)
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/admin/")
    assert client.cookies["sessionid"]["secure"]
    assert client.get("/admin/", **proxied).status_code == 200
