import re

import pytest
from django.core.management import CommandError, call_command

from faq.importer import DocumentError, default_documents, parse_document, read_document
from faq.languages import Language
from faq.models import Entry
from faq.services import faq_import
from tests.conftest import shared_file

REQUIRED_SLUGS = {"bind", "unbind", "second-miniprogram", "reauthorize", "auth-exception"}
URL = re.compile(r"""https?://[^\s)"'>]+""")


def test_default_content_has_every_required_entry_in_both_languages():
    for path in default_documents():
        document = read_document(path)
        assert {entry.slug for entry in document.entries} >= REQUIRED_SLUGS
    assert read_document(default_documents()[0]).language is Language.ZH
    assert read_document(default_documents()[1]).language is Language.EN


def test_default_content_keeps_every_link_and_image_of_the_seed_in_both_languages():
    seed = shared_file("seeds/tencent-cloud-wechat-binding-faq.zh.md").read_text(encoding="utf-8")
    seed_urls = set(URL.findall(seed))
    assert len(seed_urls) > 15
    for path in default_documents():
        shipped = set(URL.findall(path.read_text(encoding="utf-8")))
        assert seed_urls <= shipped, f"{path.name} lacks {sorted(seed_urls - shipped)}"


def test_the_seed_itself_parses_with_images_converted():
    seed = read_document(shared_file("seeds/tencent-cloud-wechat-binding-faq.zh.md"))
    assert seed.language is Language.ZH
    assert len(seed.entries) == 5
    assert all("<img" not in entry.body for entry in seed.entries)
    second = seed.entries[2]
    # The seed writes some descriptions as a second width attribute; they are kept as alt text.
    assert "![复制账号 ID](https://ask.qcloudimg.com/draft/1000695/mel4x2dwh6.jpg)" in second.body


@pytest.mark.django_db
def test_import_creates_then_updates_by_slug_without_duplicates():
    call_command("import_faq")
    assert set(Entry.objects.values_list("slug", flat=True)) == REQUIRED_SLUGS
    revisions = Entry.history.count()
    call_command("import_faq")
    assert Entry.objects.count() == 5
    assert Entry.history.count() == revisions  # nothing changed, nothing recorded


@pytest.mark.django_db
def test_import_of_one_language_keeps_the_other():
    call_command("import_faq")
    document = parse_document("## Unbinding, reworded {#unbind}\n\nNew English body.\n", language=Language.EN)
    report = faq_import(documents=[document])
    entry = Entry.objects.get(slug="unbind")
    assert report.updated == ["unbind"]
    assert entry.title_en == "Unbinding, reworded"
    assert entry.body_en == "New English body.\n"
    assert entry.title_zh.startswith("如何解除")


@pytest.mark.django_db
def test_entries_without_a_slug_update_the_entry_with_the_same_title():
    call_command("import_faq")
    title = Entry.objects.get(slug="bind").title_zh
    faq_import(documents=[parse_document(f"## {title}\n\n新的正文\n")])
    assert Entry.objects.get(slug="bind").body_zh == "新的正文\n"
    assert Entry.objects.count() == 5


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("intro text\n## Title\nbody\n", 1, "before the first"),
        ("## Good\nbody\n##   \nbody\n", 3, "no title"),
        ("## Title {#Bad Slug}\nbody\n", 1, "not a valid slug"),
        ("## A {#same}\nbody\n## B {#same}\nbody\n", 3, "already used on line 1"),
        ("## A\nbody\n<!-- never closed\n## B\nbody\n", 3, "never closed"),
        ('## A\n<img alt="x">\n', 2, "no src"),
        ('## A\n<img src="javascript:alert(1)" alt="x">\n', 2, "not an http"),
        ("## A\n\n## B\nbody\n", 1, "has no body"),
        ("## A\n<!-- colour: blue -->\nbody\n", 2, "unknown setting"),
        ("## A\n<!-- review-by: soon -->\nbody\n", 2, "review-by must be a date"),
        ("# Only a title\n", 1, "no entries"),
    ],
)
def test_malformed_documents_name_the_line(text, line, message):
    with pytest.raises(DocumentError) as error:
        parse_document(text, source="faq.md")
    assert error.value.line == line
    assert message in str(error.value)
    assert f"faq.md, line {line}" in str(error.value)


def test_headings_inside_code_fences_are_body_text():
    document = parse_document("## A\n```\n## not a heading\n```\n")
    assert len(document.entries) == 1
    assert "## not a heading" in document.entries[0].body


def test_non_utf8_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "faq.zh.md"
    path.write_bytes("## 标题\n正文\n".encode() + "坏".encode("gbk") + b"\n")
    with pytest.raises(DocumentError, match="line 3: the file is not valid UTF-8"):
        read_document(path)


@pytest.mark.django_db
def test_a_failing_document_imports_nothing(tmp_path):
    path = tmp_path / "faq.en.md"
    # The first entry is fine; the second fails model validation (image without alt text).
    path.write_text("## First {#first}\nfine\n## Second {#second}\n![](https://i.example/a.png)\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 3: .*needs alt text.*\nNothing was imported"):
        call_command("import_faq", str(path))
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_faq", str(tmp_path / "nope.md"))
