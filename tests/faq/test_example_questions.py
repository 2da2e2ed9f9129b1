"""Example questions: what staff file, how they load, and how search answers on the next query."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from faq import evaluation
from faq.importer import DEFAULT_EXAMPLES, read_example_questions
from faq.models import Entry, ExampleQuestion, IndexGeneration
from faq.search import search
from tests.conftest import REPO, database_url

pytestmark = pytest.mark.django_db

UNANSWERED = "云开发环境配额怎么看"  # in no entry and no example


def best(question: str) -> str | None:
    result = search(question)
    return result.best.slug if result.best else None


def file(question: str, slug: str | None) -> ExampleQuestion:
    example = ExampleQuestion(question=question, entry=Entry.objects.get(slug=slug) if slug else None)
    example.full_clean()
    example.save()
    return example


def test_the_shipped_examples_load_into_an_empty_table_and_only_then(faq_content):
    shipped = read_example_questions(DEFAULT_EXAMPLES)
    pairs = {(question, slug) for question, answers in shipped for slug in answers}
    assert ExampleQuestion.objects.count() == len(pairs) >= 700
    assert ExampleQuestion.objects.filter(entry__isnull=True).count() >= 190
    out = io.StringIO()
    call_command("import_faq", stdout=out)
    assert "Example questions" not in out.getvalue()
    assert ExampleQuestion.objects.count() == len(pairs)
    assert ExampleQuestion.history.filter(history_change_reason="Imported").count() == len(pairs)


def test_importing_an_examples_file_adds_new_ones_and_reports_unknown_entries(tmp_path, faq_content):
    path = tmp_path / "more.json"
    cases = [
        {"q": "云开发环境配额怎么看", "ok": ["bind"]},
        {"q": "小程序怎么开直播", "ok": [None]},
        {"q": "where did the old entry go", "ok": ["retired-entry"]},
    ]
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_faq", "--examples", str(path), stdout=out, stderr=err)
    assert "2 added" in out.getvalue()
    assert "no entry 'retired-entry'" in err.getvalue()
    call_command("import_faq", "--examples", str(path), stdout=(again := io.StringIO()), stderr=io.StringIO())
    assert "0 added, 2 unchanged" in again.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read it as a JSON list"),
        ('{"q": "a"}', "expected a JSON list"),
        ('[{"q": "how do I bind", "ok": ["bind"]}, {"q": "", "ok": ["bind"]}]', "line 2"),
        ('[{"q": "how do I bind", "ok": [3]}]', "entry slugs, or null"),
    ],
)
def test_a_malformed_examples_file_is_refused_and_imports_nothing(tmp_path, faq_content, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = ExampleQuestion.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_faq", "--examples", str(path), stdout=io.StringIO())
    assert ExampleQuestion.objects.count() == before


def test_importing_examples_costs_the_same_few_queries_however_many_there_are(tmp_path, faq_content):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_import(count: int, tag: str) -> int:
        path = tmp_path / f"{tag}.json"
        path.write_text(json.dumps([{"q": f"how do I bind {tag} {n}", "ok": ["bind", None]} for n in range(count)]))
        with CaptureQueriesContext(connection) as queries:
            call_command("import_faq", "--examples", str(path), stdout=io.StringIO())
        return len(queries.captured_queries)

    assert queries_to_import(40, "many") == queries_to_import(2, "few")
    assert ExampleQuestion.objects.filter(question__startswith="how do I bind many").count() == 80


def test_an_examples_file_with_a_question_that_says_nothing_is_refused_whole(tmp_path, faq_content):
    path = tmp_path / "wordless.json"
    path.write_text(json.dumps([{"q": "how do I bind it", "ok": ["bind"]}, {"q": "？？ 请问", "ok": [None]}]))
    before = ExampleQuestion.objects.count()
    with translation.override("en"), pytest.raises(CommandError, match="no searchable word"):
        call_command("import_faq", "--examples", str(path), stdout=io.StringIO())
    assert ExampleQuestion.objects.count() == before


def test_a_question_is_filed_once_per_answer_and_must_say_something(faq_content):
    file(UNANSWERED, "bind")
    with translation.override("en"), pytest.raises(ValidationError, match="already filed"):
        file(f"  {UNANSWERED} ", "bind")
    with translation.override("en"), pytest.raises(ValidationError, match="no searchable word"):
        file("？？ 请问", None)
    file(UNANSWERED, "second-miniprogram")  # the same question may have two answers


def test_every_change_is_a_revision_and_moves_the_index_on(faq_content):
    before = IndexGeneration.current()
    example = file(UNANSWERED, "bind")
    example.is_active = False
    example.save()
    assert example.history.count() == 2
    assert IndexGeneration.current() != before


def test_a_question_filed_under_an_entry_is_answered_with_it_on_the_next_query(faq_content):
    assert best(UNANSWERED) is None
    example = file(UNANSWERED, "bind")
    assert best(UNANSWERED) == "bind"
    assert best(UNANSWERED.replace("怎么看", "怎么看？")) == "bind"  # punctuation and spacing do not matter
    example.is_active = False
    example.save()
    assert best(UNANSWERED) is None


def test_a_question_filed_as_not_in_this_faq_loses_its_answer(faq_content):
    question = "how do I link my mini program to tencent cloud"
    assert best(question) == "bind"
    file(question, None)
    assert best(question) is None
    assert search(question).hits  # the entries still show as choices


def test_examples_of_unpublished_entries_are_not_used(faq_content):
    file(UNANSWERED, "bind")
    Entry.objects.filter(slug="bind").update(is_published=False)
    Entry.objects.get(slug="unbind").save()  # any saved change refreshes the index
    assert best(UNANSWERED) is None


@pytest.mark.django_db(transaction=True)
def test_a_question_filed_in_another_process_shows_without_a_restart(faq_content):
    assert best(UNANSWERED) is None  # this process now holds an index
    env = {**os.environ, "DATABASE_URL": database_url()}
    script = (
        "from faq.models import Entry, ExampleQuestion\n"
        f"ExampleQuestion.objects.create(question={UNANSWERED!r}, entry=Entry.objects.get(slug='reauthorize'))\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=REPO, env=env, check=True, timeout=120)
    assert best(UNANSWERED) == "reauthorize"


def test_staff_file_a_question_in_admin_and_see_errors_in_the_form(admin_client, faq_content):
    url = reverse("admin:faq_examplequestion_add")
    entry = Entry.objects.get(slug="unbind")
    added = admin_client.post(url, {"question": UNANSWERED, "entry": entry.pk, "is_active": "on"})
    assert added.status_code == 302
    example = ExampleQuestion.objects.get(question=UNANSWERED)
    assert example.history.first().history_user is not None
    assert best(UNANSWERED) == "unbind"
    refused = admin_client.post(url, {"question": UNANSWERED, "entry": entry.pk, "is_active": "on"})
    assert refused.status_code == 200
    assert "已经归档到这个回答下了" in refused.content.decode()  # already filed with this answer
    too_long = admin_client.post(url, {"question": "绑" * 501, "entry": "", "is_active": "on"})
    assert too_long.status_code == 200
    assert ExampleQuestion.objects.filter(question__startswith="绑绑").count() == 0


def test_the_change_list_filters_by_answer(admin_client, faq_content):
    changelist = reverse("admin:faq_examplequestion_changelist")
    off_topic = admin_client.get(changelist, {"answer": "none"})
    assert off_topic.status_code == 200
    html = off_topic.content.decode()
    assert "公众号菜单" in html or "不在本常见问题内" in html  # not in this FAQ
    searched = admin_client.get(changelist, {"q": "授权异常"})
    assert searched.status_code == 200
    assert "auth-exception" in searched.content.decode()


def test_cross_validation_asks_each_example_of_a_model_that_never_saw_it(faq_content):
    """Asked of the shipped index, every example would be answered as filed; folds must hide them."""
    from faq.search import index_learning_from

    questions = evaluation.load(DEFAULT_EXAMPLES)
    trained_on: list[set[str]] = []

    def build(examples):
        trained_on.append({example.question for example in examples})
        return index_learning_from(examples)

    tally = evaluation.cross_validate(questions, build)["all"]
    assert len(trained_on) == 5
    assert tally.questions == len(questions)
    for seen in trained_on:
        assert 0.75 * len(questions) <= len(seen) <= 0.85 * len(questions)
    # The floor under `make eval`'s cross-validated figures (see the README).
    assert tally.accuracy >= 0.92, "\n".join(tally.failures)
    assert tally.wrong_entry_rate <= 0.01, "\n".join(tally.failures)
    assert tally.unrelated_answered <= 0.03 * (tally.questions - tally.related), "\n".join(tally.failures)
    assert tally.accuracy < 1.0  # a fold that leaked its own questions would answer every one


def test_the_held_out_questions_meet_their_floor(faq_content):
    """Never trained or tuned on; the floor under the README's figures."""
    tally = evaluation.evaluate(evaluation.load(REPO / "eval" / "search.holdout.json"), search)["all"]
    assert tally.questions >= 296
    assert tally.accuracy >= 0.94, "\n".join(tally.failures)
    assert tally.wrong_entry_rate <= 0.015, "\n".join(tally.failures)
    assert tally.unrelated_answered <= 1, "\n".join(tally.failures)


def test_trying_a_question_says_why_and_offers_to_file_it(admin_client, faq_content):
    filed = "how to bind a custom domain to Tencent Cloud CDN"  # a shipped example no entry answers
    page = admin_client.get(reverse("admin:faq_synonymgroup_changelist"), {"try": filed})
    html = page.content.decode()
    assert "原因：已作为没有条目回答的示例问题归档。" in html  # Why: filed as an example question no entry answers.
    assert reverse("admin:faq_examplequestion_add") + "?question=how%20to%20bind%20a%20custom" in html
    unclear = admin_client.get(reverse("admin:faq_synonymgroup_changelist"), {"try": UNANSWERED}).content.decode()
    assert "原因：示例问题表明没有条目回答这类问题" in unclear  # the example questions say no entry answers…
    vague = admin_client.get(reverse("admin:faq_synonymgroup_changelist"), {"try": "小程序跟腾讯云怎么掰开"})
    assert "没有可靠的回答" in vague.content.decode()  # No confident answer
    assert "原因：" in vague.content.decode()  # every judgement says why
    prefilled = admin_client.get(reverse("admin:faq_examplequestion_add"), {"question": UNANSWERED})
    assert f'value="{UNANSWERED}"' in prefilled.content.decode()
