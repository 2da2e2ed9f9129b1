import datetime

import pytest
from django.core.exceptions import ValidationError

from faq.engine import unpack_terms
from faq.languages import Language
from faq.models import Entry, IndexGeneration

pytestmark = pytest.mark.django_db


def make_entry(**fields) -> Entry:
    defaults = {"slug": "demo", "title_zh": "标题", "body_zh": "正文", "title_en": "Title", "body_en": "Body"}
    return Entry.objects.create(**{**defaults, **fields})


def test_title_falls_back_to_the_other_language():
    entry = make_entry(title_en="", body_en="")
    assert entry.title(Language.EN) == "标题"
    assert entry.missing_languages() == [Language.EN]


def test_keywords_split_on_chinese_and_english_separators():
    entry = make_entry(keywords_zh="解绑，解除绑定、取消绑定\n换绑", keywords_en="unbind, unlink")
    assert entry.keywords(Language.ZH) == ["解绑", "解除绑定", "取消绑定", "换绑"]
    assert entry.keywords(Language.EN) == ["unbind", "unlink"]


def test_images_come_from_the_body_in_each_language():
    entry = make_entry(body_zh="![按钮](https://i.example/a.png)", body_en="![button](https://i.example/a.png)")
    assert [(i.url, i.alt) for i in entry.images(Language.ZH)] == [("https://i.example/a.png", "按钮")]
    assert entry.images(Language.EN)[0].alt == "button"


def test_review_overdue():
    entry = make_entry(review_by=datetime.date(2026, 1, 1))
    assert entry.is_review_overdue(today=datetime.date(2026, 1, 2))
    assert not entry.is_review_overdue(today=datetime.date(2026, 1, 1))
    assert list(Entry.objects.review_overdue(datetime.date(2026, 1, 2))) == [entry]


@pytest.mark.parametrize(
    ("fields", "field_with_error"),
    [
        ({"title_zh": "", "title_en": ""}, "title_zh"),
        ({"body_en": ""}, "body_en"),
        ({"body_zh": "![](https://i.example/a.png)"}, "body_zh"),
        ({"body_zh": "字" * 60_001}, "body_zh"),
        ({"slug": "Not A Slug"}, "slug"),
    ],
)
def test_invalid_entries_are_refused_with_a_field_message(fields, field_with_error):
    entry = Entry(**{"slug": "demo", "title_zh": "标题", "body_zh": "正文", "title_en": "T", "body_en": "B", **fields})
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert field_with_error in error.value.message_dict


def test_saving_computes_search_terms():
    entry = make_entry(title_zh="解绑小程序", keywords_en="unlink")
    terms = unpack_terms(entry.search_terms)
    assert "解绑" in terms["title"]
    assert "unlink" in terms["keywords"]
    assert entry.search_terms_version


def test_every_change_replaces_the_index_generation():
    before = IndexGeneration.current()
    entry = make_entry()
    after_create = IndexGeneration.current()
    entry.title_en = "Changed"
    entry.save()
    after_edit = IndexGeneration.current()
    entry.delete()
    assert len({before, after_create, after_edit, IndexGeneration.current()}) == 4


def test_every_change_is_a_revision_that_can_be_reverted():
    entry = make_entry(title_en="First")
    entry.title_en = "Second"
    entry.save()
    assert entry.history.count() == 2
    first = entry.history.earliest()
    first.instance.save()
    entry.refresh_from_db()
    assert entry.title_en == "First"
    assert entry.history.count() == 3
