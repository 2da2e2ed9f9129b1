import pytest

from faq.models import Entry

pytestmark = pytest.mark.django_db


def test_reading_needs_a_signed_in_user(api, faq_content):
    assert api.get("/api/faq/").status_code in (401, 403)
    assert api.get("/api/faq/search/", {"q": "解绑"}).status_code in (401, 403)


def test_token_authentication_lists_published_entries_in_order(reader_api, faq_content):
    Entry.objects.filter(slug="reauthorize").update(is_published=False)
    response = reader_api.get("/api/faq/")
    assert response.status_code == 200
    slugs = [item["slug"] for item in response.json()["results"]]
    assert slugs == ["bind", "unbind", "second-miniprogram", "auth-exception"]


def test_session_authentication_works_too(client, user, faq_content):
    client.force_login(user)
    assert client.get("/api/faq/bind/").status_code == 200


def test_retrieve_gives_both_languages_images_and_the_title_in_the_asked_language(reader_api, faq_content):
    data = reader_api.get("/api/faq/unbind/", {"lang": "en"}).json()
    assert data["title"] == data["title_en"]
    assert data["title_zh"].startswith("如何解除")
    assert data["images_en"][0]["url"].endswith("jiebang.jpg")
    assert data["missing_languages"] == []
    assert reader_api.get("/api/faq/unbind/").json()["title"] == data["title_zh"]


def test_unknown_entry_is_404(reader_api, faq_content):
    assert reader_api.get("/api/faq/nope/").status_code == 404


def test_search_answers_in_the_documented_shape(reader_api, faq_content):
    response = reader_api.get("/api/faq/search/", {"q": "授權異常怎麼辦", "lang": "en"})
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "授權異常怎麼辦"
    assert data["best"] == "auth-exception"
    top = data["results"][0]
    assert set(top) == {"slug", "title", "score"}
    assert top["title"].startswith("What should I do")
    assert isinstance(top["score"], float)


def test_search_with_no_confident_match_has_null_best(reader_api, faq_content):
    data = reader_api.get("/api/faq/search/", {"q": "what's the weather in Shenzhen"}).json()
    assert data["best"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "x" * 501}, "q"),
        ({"q": "解绑", "lang": "fr"}, "lang"),
        ({"q": "解绑", "limit": "0"}, "limit"),
        ({"q": "解绑", "limit": "many"}, "limit"),
    ],
)
def test_bad_search_parameters_are_400_with_a_message(reader_api, faq_content, params, field):
    response = reader_api.get("/api/faq/search/", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert field in body["detail"]


def test_bad_lang_on_list_is_400(reader_api, faq_content):
    assert reader_api.get("/api/faq/", {"lang": "xx"}).status_code == 400


def test_readers_cannot_write(reader_api, faq_content):
    assert reader_api.patch("/api/faq/bind/", {"title_en": "Hacked"}, format="json").status_code == 403
    assert reader_api.delete("/api/faq/bind/").status_code == 403
    assert Entry.objects.get(slug="bind").title_en.startswith("How do I bind")


def test_staff_create_and_edit_with_validation(staff_api, faq_content):
    created = staff_api.post(
        "/api/faq/",
        {"slug": "billing", "title_en": "Billing", "body_en": "Ask finance.", "keywords_en": "invoice"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert staff_api.get("/api/faq/search/", {"q": "invoice"}).json()["best"] == "billing"

    edited = staff_api.patch("/api/faq/billing/", {"title_zh": "账单", "body_zh": "找财务"}, format="json")
    assert edited.status_code == 200
    assert Entry.objects.get(slug="billing").missing_languages() == []


def test_staff_writes_that_break_rules_are_400_and_change_nothing(staff_api, faq_content):
    response = staff_api.patch("/api/faq/bind/", {"body_en": "![](https://i.example/x.png)"}, format="json")
    assert response.status_code == 400
    assert "需要替代文字" in str(response.json())  # needs alt text, in the deployment's language
    duplicate = staff_api.post("/api/faq/", {"slug": "bind", "title_en": "x", "body_en": "y"}, format="json")
    assert duplicate.status_code == 400
    assert Entry.objects.count() == 5


def test_staff_see_unpublished_entries(staff_api, faq_content):
    Entry.objects.filter(slug="bind").update(is_published=False)
    assert staff_api.get("/api/faq/bind/").status_code == 200


def test_openapi_schema_and_docs(reader_api, user, client):
    schema = reader_api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/faq/", "/api/faq/{slug}/", "/api/faq/search/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/faq/search/"]["get"]["parameters"]}
    assert {"q", "lang", "limit"} <= parameters
    client.force_login(user)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_the_schema_and_docs_need_a_signed_in_user_like_the_rest_of_the_api(client):
    assert client.get("/api/schema/", {"format": "json"}).status_code in (401, 403)
    docs = client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/admin/login/?next=/api/docs/")


def test_revisions_record_which_staff_member_wrote_them(staff_api, staff, faq_content):
    staff_api.post("/api/faq/", {"slug": "new", "title_en": "New", "body_en": "Body"}, format="json")
    staff_api.patch("/api/faq/bind/", {"keywords_en": "connect"}, format="json")
    assert Entry.objects.get(slug="new").history.latest().history_user == staff
    assert Entry.objects.get(slug="bind").history.latest().history_user == staff
