import re

from django.db import models
from django.utils.translation import gettext_lazy as _

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")

    @classmethod
    def parse(cls, value: str | None, default: "Language | None" = None) -> "Language":
        """Map ``zh``, ``zh-CN``, ``zh_TW``, ``en-US`` … onto a supported language."""
        if not value:
            if default is None:
                raise ValueError("a language is required")
            return default
        code = value.strip().lower().replace("_", "-").split("-")[0]
        for language in cls:
            if language.value == code:
                return language
        raise ValueError(f"unsupported language {value!r}; use zh or en")

    def pick(self, zh: str, en: str) -> str:
        """The text in this language, else the text in the other one."""
        return (en or zh) if self is Language.EN else (zh or en)

    @property
    def other(self) -> "Language":
        return Language.EN if self is Language.ZH else Language.ZH

    @classmethod
    def of_text(cls, text: str) -> "Language":
        """Chinese if the text has any Chinese characters, else English."""
        return cls.ZH if _CJK.search(text or "") else cls.EN
