"""Each staff member's own language for the admin and the API, saved with their account.

A signed-in person is answered in the language they chose, or in the
deployment's LANGUAGE_CODE until they choose one, never in their browser's
guess: what they see does not change from one browser to the next. Pages for
people not signed in (the login) keep LocaleMiddleware's choice, from the
language cookie or Accept-Language.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from supportbot.models import AdminLanguage


def is_offered(language: str) -> bool:
    return language in dict(settings.LANGUAGES)


def admin_language_of(user) -> str:
    """The language ``user`` chose, or the deployment's default."""
    saved = AdminLanguage.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    # A language the deployment stopped offering falls back rather than half-translating the page.
    return saved if saved and is_offered(saved) else settings.LANGUAGE_CODE


def admin_language_save(*, user, language: str) -> None:
    if not is_offered(language):
        raise ValueError(f"{language!r} is not one of settings.LANGUAGES")
    AdminLanguage.objects.update_or_create(user=user, defaults={"language": language})


def speak_to(request, user) -> None:
    """Answer the rest of ``request`` in ``user``'s language."""
    translation.activate(admin_language_of(user))
    request.LANGUAGE_CODE = translation.get_language()


class UserLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a signed-in person's choice wins over the browser's."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        # Chat platforms' requests carry no session: this costs them no query.
        if request.user.is_authenticated:
            speak_to(request, request.user)
        return self.get_response(request)
