from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from supportbot.admin_language import admin_language_save, is_offered


@require_POST
@staff_member_required
def admin_language_choose(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: saves the choice for this user and goes back to the page."""
    language = request.POST.get("language", "")
    if not is_offered(language):
        return HttpResponseBadRequest(gettext("Choose one of the languages offered."))
    admin_language_save(user=request.user, language=language)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("admin:index")
    response = HttpResponseRedirect(back)
    # The sign-in page, once this person signs out, speaks their language in this browser too.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
