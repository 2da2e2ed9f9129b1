"""Property-based: whatever the address says, the insights page answers 200 (charts, or the filters' errors) and a
chart's CSV answers 200, or a 400 or 404 with the reason in plain text; never a server error."""

import os
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
HOSTILE = [
    "",
    "\x00",
    "<script>alert(1)</script>",
    "2026-11-16",
    "2026-11-29",
    "2026-02-29",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "-1",
    "1" * 40,
    "slack",
    "teams",
    "api",
    "SLACK",
    "1",
]
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)  # what a URL can carry once decoded
VALUES = st.sampled_from(HOSTILE) | TEXT | st.dates().map(str)
PARAMS = st.dictionaries(
    st.sampled_from(["start", "end", "platform", "topic"]) | TEXT,
    VALUES | st.lists(VALUES, min_size=2, max_size=3),
    max_size=5,
)
# Escapes no form would send: bytes that are not UTF-8, a lone surrogate, empty names.
RAW = st.sampled_from(["", "&start=%ff%fe", "&end=%ED%A0%80", "&topic=%00", "&&=&", "&platform=%C0%AF"])
QUERIES = st.builds(lambda params, raw: urlencode(params, doseq=True) + raw, PARAMS, RAW)
KEYS = st.sampled_from(["questions", "backlog", "due_for_review", "weather", "-", "_"])
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def staff_client(client, staff, faq_content):
    client.force_login(staff)
    return client


@SETTINGS
@given(query=QUERIES)
def test_any_filters_show_the_page(staff_client, query):
    assert staff_client.get(f"{reverse('insights')}?{query}").status_code == 200


@SETTINGS
@given(query=QUERIES, key=KEYS)
def test_any_filters_give_a_csv_or_a_reason(staff_client, query, key):
    response = staff_client.get(f"{reverse('insights-csv', args=[key])}?{query}")
    assert response.status_code in {200, 400, 404}, response.content[:300]
    if response.status_code != 200:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.strip()
