from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class SupportbotConfig(AppConfig):
    name = "supportbot"
    verbose_name = _("Chat")

    def ready(self) -> None:
        # django-axes names its admin section in English only; the admin speaks its reader's language.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = _("Sign-in lockouts")
