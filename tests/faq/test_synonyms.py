"""Synonym groups: what staff edit, how they are validated, loaded and recorded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from faq.importer import DEFAULT_SYNONYMS, read_synonym_groups
from faq.models import IndexGeneration, SynonymGroup

pytestmark = pytest.mark.django_db


def group(**fields) -> SynonymGroup:
    made = SynonymGroup(**fields)
    made.full_clean()
    made.save()
    return made


def test_members_from_both_languages_make_one_group():
    made = group(members_zh="解绑，解除绑定、解掉", members_en="unbind\ndisconnect")
    assert made.members() == ["解绑", "解除绑定", "解掉", "unbind", "disconnect"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"members_zh": "解绑"}, "members_zh", "at least two"),
        ({"members_zh": "解绑, 请问", "members_en": "unbind"}, "members_zh", "no searchable word"),
        ({"members_en": "unbind, " + "x" * 80}, "members_en", "too long"),
    ],
)
def test_a_group_that_could_not_work_is_refused_with_a_reason(fields, field, message):
    with pytest.raises(ValidationError) as refused:
        group(**fields)
    with translation.override("en"):
        assert message in " ".join(refused.value.message_dict[field])
    assert not SynonymGroup.objects.exists()


def test_a_word_belongs_to_one_group_in_use():
    group(members_zh="解绑, 解除绑定", members_en="unbind")
    with pytest.raises(ValidationError) as refused:
        group(members_en="Unbind, release")
    with translation.override("en"):
        assert "already in the group" in refused.value.message_dict["members_en"][0]
    group(members_en="unbind, release", is_active=False)  # a group not in use may overlap


def test_every_change_is_a_revision_and_moves_the_index_on():
    before = IndexGeneration.current()
    made = group(members_zh="订阅号, 服务号")
    made.members_zh += ", 公众号"
    made.save()
    assert made.history.count() == 2
    assert IndexGeneration.current() != before


def test_the_shipped_file_loads_into_an_empty_table_and_only_then(faq_content):
    shipped = read_synonym_groups(DEFAULT_SYNONYMS)
    assert SynonymGroup.objects.count() == len(shipped) >= 30
    out = io.StringIO()
    call_command("import_faq", stdout=out)
    assert "Synonym groups" not in out.getvalue()
    assert SynonymGroup.objects.count() == len(shipped)


def test_importing_a_synonym_file_adds_new_groups_and_skips_overlaps(tmp_path, faq_content):
    path = tmp_path / "more.txt"
    path.write_text("# team words\n账单, invoice, bill\n解绑, 搞掉\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_faq", "--synonyms", str(path), stdout=out, stderr=err)
    assert "1 added" in out.getvalue()
    assert "skipped 解绑, 搞掉" in err.getvalue()
    assert SynonymGroup.objects.filter(members_en__contains="invoice").exists()


def test_a_malformed_synonym_file_names_its_line_and_imports_nothing(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("绑定, 关联\n只有一个\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("import_faq", "--synonyms", str(path), stdout=io.StringIO())
    assert not SynonymGroup.objects.exists()


def test_staff_add_a_group_in_admin_and_see_errors_in_the_form(admin_client, faq_content):
    url = reverse("admin:faq_synonymgroup_add")
    added = admin_client.post(url, {"members_zh": "松开, 放开", "members_en": "", "note": "", "is_active": "on"})
    assert added.status_code == 302
    assert SynonymGroup.objects.get(members_zh="松开, 放开").history.first().history_user is not None
    refused = admin_client.post(url, {"members_zh": "解绑, 松绑", "members_en": "", "note": "", "is_active": "on"})
    assert refused.status_code == 200
    assert "已在词组" in refused.content.decode()  # already in the group: the admin speaks Chinese by default


def test_the_change_list_lets_staff_try_a_question(admin_client, faq_content):
    page = admin_client.get(reverse("admin:faq_synonymgroup_changelist"), {"try": "请问怎么 detach 小程序？"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<code>unbind</code>" in html
    assert "通过同义词组 <em>解绑</em>" in html  # through the synonym group
    assert "“请问”" not in html  # question words are not listed as counting
    unknown = admin_client.get(reverse("admin:faq_synonymgroup_changelist"), {"try": "火星天气预报"})
    assert "没有匹配的条目" in unknown.content.decode() or "没有条目提到它" in unknown.content.decode()
