import json

import pytest

from faq.models import AnswerEvent, DiagnosisStep
from tests.supportbot.slack.conftest import USER, all_text, assert_valid
from tests.supportbot.slack.test_command import action_ids, wait_for_event

pytestmark = pytest.mark.django_db(transaction=True)


def value(**data) -> str:
    return json.dumps(data, ensure_ascii=False)


def button_value(blocks, action_id: str) -> str:
    return next(
        e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == action_id
    )


def test_a_topic_button_shows_that_entry(slack, standin):
    assert slack.action("topic:second-miniprogram", value(s="second-miniprogram", l="en")).status == 200
    posted = standin.wait_for("response_url")[0].payload
    assert_valid(posted["blocks"])
    assert posted["blocks"][0]["text"]["text"].startswith("My Tencent Cloud account was registered")
    assert posted["replace_original"] is False
    assert wait_for_event(AnswerEvent.Kind.SHOWN)[0].entry.slug == "second-miniprogram"


def test_an_unpublished_topic_says_so(slack, standin):
    slack.action("topic:nope", value(s="nope", l="en"))
    assert "no longer exists" in all_text(standin.wait_for("response_url")[0].payload["blocks"])


def test_yes_records_a_helpful_verdict(slack, standin):
    slack.action("feedback:yes", value(s="unbind", l="zh", q="怎么解绑"))
    event = wait_for_event(AnswerEvent.Kind.HELPFUL)[0]
    assert (event.entry.slug, event.question, event.user_id) == ("unbind", "怎么解绑", USER)
    assert "感谢" in all_text(standin.wait_for("response_url")[0].payload["blocks"])


def test_no_records_the_verdict_and_offers_a_case(slack, standin):
    slack.action("feedback:no", value(s="auth-exception", l="en", q="auth broken"))
    event = wait_for_event(AnswerEvent.Kind.NOT_HELPFUL)[0]
    assert event.entry.slug == "auth-exception"
    blocks = standin.wait_for("response_url")[0].payload["blocks"]
    assert action_ids(blocks) == ["case:open", "diagnosis:start"]


def test_share_posts_the_answer_visibly_without_feedback_buttons(slack, standin):
    slack.action("answer:share", value(s="bind", l="en"))
    posted = standin.wait_for("response_url")[0].payload
    assert posted["response_type"] == "in_channel"
    assert_valid(posted["blocks"])
    assert posted["blocks"][0]["text"]["text"].startswith("How do I bind")
    assert f"Shared by <@{USER}>" in all_text(posted["blocks"])
    assert not [a for a in action_ids(posted["blocks"]) if a.startswith("feedback:")]


def test_link_buttons_and_unknown_actions_are_just_acknowledged(slack, standin):
    assert slack.action("answer:open_page").status == 200
    assert slack.action("something:old", "x").status == 200


def walk(slack, standin, answers: list[str], *, start_text: str = "diagnose", language: str = "en"):
    """Answer the diagnosis questions in order; return every message shown."""
    first = slack.command(f"{language} {start_text}").json()
    shown = [first]
    blocks = first["blocks"]
    for number, answer in enumerate(answers, start=1):
        slack.action(f"diagnosis:{answer}", button_value(blocks, f"diagnosis:{answer}"), block_id="wxbind_diagnosis_0")
        blocks = standin.wait_for("response_url", number)[-1].payload["blocks"]
        shown.append({"blocks": blocks})
    for message in shown:
        assert_valid(message["blocks"])
    return shown


def test_diagnosis_walks_the_four_causes_and_ends_at_a_case_with_what_was_ruled_out(slack, standin, zh_user):
    shown = walk(slack, standin, ["yes", "no", "yes", "yes"])
    questions = [m["blocks"][2]["text"]["text"] for m in shown[:1]]
    assert questions == ["*Is your Tencent Cloud account linked to a mini program?*"]
    assert "Step 1 of 4" in all_text(shown[0]["blocks"])
    assert "Step 2 of 4" in all_text(shown[1]["blocks"])
    last = shown[-1]["blocks"]
    assert "None of the usual causes fits" in all_text(last)
    case = json.loads(button_value(last, "case:open"))
    assert case["r"] == ["not-linked", "official-account-linked", "authorization-stopped", "permissions-incomplete"]
    assert all(call.payload["replace_original"] for call in standin.calls_to("response_url"))


def test_diagnosis_stops_at_the_fix_for_the_cause_found(slack, standin, zh_user):
    shown = walk(slack, standin, ["yes", "no", "no"])
    last = shown[-1]["blocks"]
    text = all_text(last)
    assert "Found the cause" in text
    assert "stopped its third-party authorization" in text
    assert "> :warning:" in text
    case = json.loads(button_value(last, "case:open"))
    assert (case["c"], case["r"]) == ("authorization-stopped", ["not-linked", "official-account-linked"])


def test_diagnosis_text_comes_from_the_steps_staff_edit(slack, standin, zh_user):
    DiagnosisStep.objects.filter(key="not-linked").update(question_zh="账号中心里能看到已关联的小程序吗？")
    blocks = slack.command("diagnose").json()["blocks"]
    assert "账号中心里能看到已关联的小程序吗？" in all_text(blocks)


def test_diagnosis_from_the_answer_button(slack, standin):
    slack.action("diagnosis:start", "zh", block_id="wxbind_feedback_0")
    posted = standin.wait_for("response_url")[0].payload
    assert posted["replace_original"] is False
    assert "授权异常排查" in all_text(posted["blocks"])


def test_a_stale_diagnosis_button_says_so(slack, standin):
    slack.action("diagnosis:yes", value(k="removed-step", r=[], l="en"), block_id="wxbind_diagnosis_0")
    assert "expired" in all_text(standin.wait_for("response_url")[0].payload["blocks"])


def test_without_steps_diagnosis_says_it_is_not_set_up(slack, zh_user):
    DiagnosisStep.objects.all().delete()
    assert "No diagnosis steps" in all_text(slack.command("en diagnose").json()["blocks"])
