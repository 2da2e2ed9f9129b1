"""Property-based tests of the cases API: whatever a signed-in user sends, the answer is 2xx or a 4xx
that names the problem and changes nothing; never a 5xx."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["\x00", "<!channel>", "AppSecret 0123456789abcdef0123456789abcdef", "长" * 5000, "\u202e"]),
)
ANY_VALUE = st.one_of(HOSTILE_TEXT, st.integers(), st.none(), st.booleans(), st.lists(st.integers(), max_size=3))
OPEN_BODY = st.fixed_dictionaries(
    {},
    optional={
        "description": ANY_VALUE,
        "appid": ANY_VALUE,
        "tencent_account_id": ANY_VALUE,
        "account_kind": ANY_VALUE,
        "topic": ANY_VALUE,
        "question": ANY_VALUE,
    },
)
MOVE_BODY = st.fixed_dictionaries(
    {"action": st.one_of(st.sampled_from(["assign", "wait", "resolve", "reopen"]), ANY_VALUE)},
    optional={"assignee": ANY_VALUE, "note": ANY_VALUE},
)
QUIET = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@QUIET
@given(body=OPEN_BODY)
def test_opening_a_case_is_201_or_a_400_that_stores_nothing(reader_api, body):
    before = Case.objects.count()
    response = reader_api.post("/api/cases/", body, format="json")
    assert response.status_code in (201, 400), (body, response.status_code, response.content[:300])
    if response.status_code == 400:
        assert response.json()["detail"]
        assert Case.objects.count() == before
    else:
        assert "\x00" not in Case.objects.get(number=response.json()["number"]).description


@QUIET
@given(body=MOVE_BODY)
def test_moving_a_case_is_2xx_or_a_4xx_that_changes_nothing(staff_api, body):
    number = staff_api.post("/api/cases/", {"description": "授权异常"}, format="json").json()["number"]
    state = Case.objects.get(number=number).state
    response = staff_api.post(f"/api/cases/{number}/transition/", body, format="json")
    assert response.status_code < 500, (body, response.content[:300])
    if response.status_code >= 400:
        assert response.json()["detail"]
        assert Case.objects.get(number=number).state == state


@QUIET
@given(limit=st.one_of(st.integers(), st.text(max_size=25)), offset=st.one_of(st.integers(), st.text(max_size=25)))
def test_any_page_request_is_answered(staff_api, limit, offset):
    for path in ("/api/cases/", "/api/faq/"):
        response = staff_api.get(path, {"limit": limit, "offset": offset})
        assert response.status_code == 200, (path, limit, offset)
        assert len(response.json()["results"]) <= 200


SECRET_VALUE = st.text(
    alphabet="abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#$%", min_size=8, max_size=24
).filter(lambda value: any(ch.isdigit() for ch in value))
LABELLED = st.sampled_from(
    [
        "SecretKey: {}",
        "SecretKey={}",
        '{{"SecretKey": "{}"}}',
        "SecretKey是{}",
        "密钥：{}",
        "密码：{}",
        "password: {}",
        "my password is {}",
        "登录密码为{}",
        "access_token={}",
        "pwd={}",
        "口令: {}",
    ]
)
AROUND = st.sampled_from(["", "授权异常，", "绑定失败 AppID wx1234567890abcdef，", "account 100012345678: ", "\n"])


@QUIET
@given(
    before=AROUND, form=LABELLED, secret=SECRET_VALUE, after=AROUND, field=st.sampled_from(["description", "question"])
)
def test_a_labelled_secret_in_any_text_field_is_never_stored_and_the_rest_is(
    reader_api, before, form, secret, after, field
):
    text = f"{before}{form.format(secret)}，{after}"
    response = reader_api.post("/api/cases/", {field: text}, format="json")
    assert response.status_code == 201, response.content[:300]
    stored = getattr(Case.objects.get(number=response.json()["number"]), field)
    assert secret not in stored, (text, stored)
    for kept in ("wx1234567890abcdef", "100012345678", "授权异常"):
        assert (kept in stored) == (kept in text), (text, stored)
