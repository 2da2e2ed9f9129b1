from cases.secrets import MASK, mask_secrets


def test_an_app_secret_is_masked_and_named():
    masked = mask_secrets("AppID wx1234567890abcdef, AppSecret: 0123456789abcdef0123456789abcdef, help")
    assert "0123456789abcdef0123456789abcdef" not in masked.text
    assert f"AppSecret: {MASK}" in masked.text
    assert "wx1234567890abcdef" in masked.text  # an AppID is not a secret
    assert masked.found == ("AppSecret",)


def test_tencent_cloud_keys_are_masked():
    masked = mask_secrets("SecretId AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA SecretKey=Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")
    assert "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA" not in masked.text
    assert "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" not in masked.text
    assert set(masked.found) == {"SecretId", "SecretKey"}


def test_passwords_in_either_language_are_masked():
    masked = mask_secrets("我的密码是 hunter2abc，英文 password: s3cr3t!!")
    assert "hunter2abc" not in masked.text
    assert "s3cr3t!!" not in masked.text
    assert masked.found == ("password",)


def test_ordinary_text_is_untouched():
    text = "授权异常，账号 ID 100012345678，已经解绑又关联过。"
    assert mask_secrets(text).text == text
    assert mask_secrets(text).found == ()
