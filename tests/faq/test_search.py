import json
import os
import subprocess
import sys

import pytest
from django.utils import translation

from faq import evaluation, tokenize
from faq.engine import IndexedEntry, SearchIndex, unpack_terms
from faq.models import Entry, SynonymGroup
from faq.search import reset_index, search, search_explained
from tests.conftest import REPO, database_url, shared_file

pytestmark = pytest.mark.django_db


def dev_queries():
    path = shared_file("eval/faq_queries.dev.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_dev_query_gets_an_acceptable_best_answer(faq_content):
    failures = []
    for case in dev_queries():
        result = search(case["q"])
        best = result.best.slug if result.best else None
        if best not in case["ok"]:
            failures.append(f"{case['q']!r}: got {best}, want one of {case['ok']}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("帳號中心在哪裡綁定小程序", "bind"),  # traditional characters
        ("unbnid", "unbind"),  # transposed letters
        ("unbind mini prgram", "unbind"),  # a typo beside a correct word
        ("小程序 unbind", "unbind"),  # mixed languages
        ("how do i link my miniprogram", "bind"),
        ("第二个小程序怎么绑", "second-miniprogram"),
        ("I accidentally revoked tencent cloud authorization", "reauthorize"),
        ("已授权权限不完整", "auth-exception"),
    ],
)
def test_messy_questions_find_their_entry(faq_content, question, slug):
    result = search(question)
    assert result.best is not None, result
    assert result.best.slug == slug


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("请问小程序要怎么和腾讯云账号绑定在一起？", "bind"),
        ("腾讯云控制台里小程序一直显示授权异常，应该检查哪些地方？", "auth-exception"),
        ("We no longer use this mini program, how do we disconnect it from our cloud account?", "unbind"),
        ("小程序帮定腾讯云", "bind"),  # 帮定 sounds like 绑定
        ("小程序受权一场", "auth-exception"),  # 受权一场 sounds like 授权异常
        ("同事把腾讯云的授权点掉了，怎么再授权回来", "reauthorize"),
        ("是不是因为我关联的是订阅号所以授权异常", "auth-exception"),
        ("新建子用户的时候权限要选哪些", "second-miniprogram"),
    ],
)
def test_sentences_people_type_find_their_entry(faq_content, question, slug):
    result = search(question)
    assert result.best is not None, result
    assert result.best.slug == slug


@pytest.mark.parametrize(
    "question",
    [
        "小程序",
        "腾讯云",
        "账号",
        "hello",
        "域名备案",
        "微信支付怎么开通",
        "password reset",
        "公众号菜单怎么设置",  # 公众号 alone must not carry an official-account menu question
        "腾讯云怎么申请退款",
        "小程序怎么接入微信支付",
        "how do I bind an SSL certificate to my load balancer",
        "mini program code review got rejected, how do I resubmit?",
    ],
)
def test_vague_or_unrelated_questions_get_no_confident_answer(faq_content, question):
    assert search(question).best is None


def test_results_are_ranked_with_scores_between_zero_and_one(faq_content):
    result = search("how to unbind my mini program")
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    assert result.hits[0] == result.best


def test_typo_corrections_are_reported(faq_content):
    assert search("unbnid").corrections == (("unbnid", "unbind"),)


def test_unpublished_entries_are_not_found(faq_content):
    Entry.objects.filter(slug="unbind").update(is_published=False)
    Entry.objects.get(slug="bind").save()  # any saved change refreshes the index
    assert all(hit.slug != "unbind" for hit in search("解绑").hits)


def test_terms_stored_by_an_older_pipeline_are_read_then_stored_again(faq_content):
    entry = Entry.objects.get(slug="unbind")
    older = "\n".join(" ".join(terms) for terms in entry.compute_search_terms().values())  # no counts
    Entry.objects.filter(pk=entry.pk).update(search_terms=older, search_terms_version="older")
    reset_index()
    assert search("怎么解绑小程序").best.slug == "unbind"
    entry.refresh_from_db()
    assert entry.search_terms_version == tokenize.pipeline_version()
    assert unpack_terms(entry.search_terms)["title"].counts.sum() == len(entry.compute_search_terms()["title"])


def test_an_edit_shows_on_the_next_query(faq_content):
    assert search("云开发环境配额").best is None
    entry = Entry.objects.get(slug="bind")
    entry.keywords_zh += ", 云开发环境配额"
    entry.save()
    assert search("云开发环境配额").best.slug == "bind"


def test_an_alias_added_in_admin_is_matched_as_a_phrase(faq_content):
    entry = Entry.objects.get(slug="auth-exception")
    entry.keywords_en += ", error 40013"
    entry.save()
    assert search("getting error 40013 in devtools").best.slug == "auth-exception"
    # Said in a sentence the examples' model doubts, before it has learned the new alias from questions:
    result, reading = search_explained("we keep getting error 40013, what does it mean?")
    assert result.best.slug == "auth-exception"
    assert "error 40013" in str(reading.verdict)


def test_huge_and_hostile_questions_are_handled(faq_content):
    assert search("解绑" * 10_000).query == ("解绑" * 10_000)[:500]
    assert search("<!channel> ' OR 1=1 -- \x00\u202e").best is None
    assert search("   ").hits == ()


def test_an_empty_index_answers_nothing():
    index = SearchIndex([])
    assert index.search("解绑").best is None


def test_index_over_entries_without_keywords():
    index = SearchIndex([IndexedEntry(slug="a", title_zh="解绑", title_en="", terms={"title": ["解绑"], "body": []})])
    assert index.search("解绑").best.slug == "a"


@pytest.mark.django_db(transaction=True)
def test_an_edit_in_another_process_shows_without_a_restart(faq_content):
    assert search("苹果香蕉橙子").best is None  # this process now holds an index
    env = {**os.environ, "DATABASE_URL": database_url()}
    script = (
        "from faq.models import Entry\n"
        "e = Entry.objects.get(slug='reauthorize')\n"
        "e.keywords_zh += ', 苹果香蕉橙子'\n"
        "e.save()\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=REPO, env=env, check=True, timeout=120)
    assert search("苹果香蕉橙子").best.slug == "reauthorize"


def test_questions_as_people_type_them_are_answered(faq_content):
    """The shared sentence examples: the issue's bar is 95% with no unrelated question answered."""
    tally = evaluation.evaluate(evaluation.load(shared_file("eval/faq_queries.sentences.dev.json")), search)["all"]
    assert tally.accuracy >= 0.95, "\n".join(tally.failures)
    assert tally.unrelated_answered == 0, "\n".join(tally.failures)


def test_a_synonym_added_in_admin_answers_the_next_question(faq_content):
    assert search("怎么把小程序跟腾讯云掰开").best is None
    group = SynonymGroup(members_zh="掰开, 解绑")
    with translation.override("en"), pytest.raises(Exception, match="already in the group"):
        group.full_clean()  # 解绑 already has a group: staff add the new word to it instead
    existing = SynonymGroup.objects.get(members_zh__contains="解除绑定")
    existing.members_zh += ", 掰开"
    existing.full_clean()
    existing.save()
    assert search("怎么把小程序跟腾讯云掰开").best.slug == "unbind"
    existing.is_active = False
    existing.save()
    assert search("怎么把小程序跟腾讯云掰开").best is None


@pytest.mark.django_db(transaction=True)
def test_a_synonym_added_in_another_process_shows_without_a_restart(faq_content):
    assert search("小程序跟腾讯云怎么掰开").best is None  # this process now holds an index
    env = {**os.environ, "DATABASE_URL": database_url()}
    script = (
        "from faq.models import SynonymGroup\n"
        "g = SynonymGroup.objects.get(members_zh__contains='解除绑定')\n"
        "g.members_zh += ', 掰开'\n"
        "g.save()\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=REPO, env=env, check=True, timeout=120)
    assert search("小程序跟腾讯云怎么掰开").best.slug == "unbind"
