"""The masker, on a table of realistic samples: secrets and look-alikes, zh and en, JSON, key=value, prose."""

import json
from pathlib import Path

import pytest

from cases.secrets import MASK, mask_secrets

SAMPLES = json.loads((Path(__file__).parent / "secret_samples.json").read_text(encoding="utf-8"))


def test_the_table_is_big_and_mixed_enough_to_mean_something():
    assert len(SAMPLES) >= 100
    with_secrets = [sample for sample in SAMPLES if sample["secrets"]]
    assert 0.3 < len(with_secrets) / len(SAMPLES) < 0.7
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in sample["text"]) for sample in with_secrets)
    for sample in SAMPLES:
        assert all(part in sample["text"] for part in sample["secrets"] + sample["keep"]), sample


def test_no_secret_is_missed_and_no_harmless_token_is_masked():
    missed, over_masked = [], []
    for sample in SAMPLES:
        masked = mask_secrets(sample["text"]).text
        missed += [(secret, masked) for secret in sample["secrets"] if secret in masked]
        over_masked += [(kept, masked) for kept in sample["keep"] if kept not in masked]
    secrets = sum(len(sample["secrets"]) for sample in SAMPLES)
    harmless = sum(len(sample["keep"]) for sample in SAMPLES)
    print(f"secrets missed: {len(missed)} of {secrets}; harmless tokens masked: {len(over_masked)} of {harmless}")
    assert missed == []
    assert over_masked == []


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s["secrets"]][:20], ids=lambda s: s["text"][:30])
def test_the_label_before_a_secret_stays_readable(sample):
    masked = mask_secrets(sample["text"])
    assert MASK in masked.text
    assert masked.found


def test_each_kind_is_named_once_in_the_order_found():
    masked = mask_secrets(
        "SecretId: AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA 密码：Abc12345 SecretKey=Gu5t9xGARNpq86cd98joQYCN3E"
    )
    assert masked.found == ("SecretId", "password", "SecretKey")
    assert masked.text == f"SecretId: {MASK} 密码：{MASK} SecretKey={MASK}"


def test_masking_twice_changes_nothing_more():
    once = mask_secrets("旧密码: Old#Pass123；新密码: N3w!Pass456，AppSecret 0123456789abcdef0123456789abcdef").text
    assert mask_secrets(once).text == once
    assert mask_secrets(once).found == ()
