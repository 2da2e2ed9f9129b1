"""Property-based: whatever the page (or someone posing as it) sends, Try the bot answers 200 or a 400 with a
reason, never a server error; a request it refuses opens no case."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from tests.fuzzing import hostile_json

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
HOSTILE = [
    "",
    "\x00",
    "\ud800",
    "<script>alert(1)</script>",
    "{{DATE(2026-01-01)}}",
    "a" * 5000,
    "case:resolve",
    "diagnosis:yes",
    "submit_case",
    "feedback:yes",
    "slack",
    "teams",
    "0" * 32,
    "1001",
    "zh",
    "en",
]
BODIES = st.one_of(
    hostile_json(HOSTILE),
    st.fixed_dictionaries(
        {"platform": st.sampled_from(["slack", "teams"])},
        optional={
            "action": hostile_json(HOSTILE),
            "data": hostile_json(HOSTILE),
            "view": hostile_json(HOSTILE),
            "form": hostile_json(HOSTILE),
        },
    ),
    st.fixed_dictionaries(
        {"text": st.text(max_size=200) | st.sampled_from(HOSTILE)}, optional={"language": hostile_json(HOSTILE)}
    ),
)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def staff_client(client, staff, faq_content):
    client.force_login(staff)
    return client


@SETTINGS
@given(body=BODIES, url=st.sampled_from(["/try/say", "/try/act"]))
def test_any_json_gets_a_reply_or_a_reason_never_a_server_error(staff_client, body, url):
    before = Case.objects.count()
    response = staff_client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code in {200, 400}, response.content[:300]
    if response.status_code == 400:
        assert response.json()["error"]
        assert Case.objects.count() == before
