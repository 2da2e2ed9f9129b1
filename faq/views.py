from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from faq.languages import Language
from faq.links import link_opens
from faq.renderers import render_html
from faq.selectors import entry_by_slug


def entry_page(request, slug: str):
    """The full answer, for chat messages that had to be shortened: for signed-in users, or with the
    link's signature (faq.links) for whoever got the reply."""
    if not request.user.is_authenticated and not link_opens(slug, request.GET.get("t", "")):
        return redirect_to_login(request.get_full_path(), login_url=reverse("admin:login"))
    entry = entry_by_slug(slug, include_unpublished=request.user.is_staff)
    if entry is None:
        raise Http404("No such FAQ entry")
    try:
        language = Language.parse(request.GET.get("lang"), default=Language.ZH)
    except ValueError:
        language = Language.ZH
    return render(
        request,
        "faq/entry.html",
        {
            "entry": entry,
            "language": language,
            "title": entry.title(language),
            "body": render_html(entry.document(language)),
            "link_token": request.GET.get("t", "") if not request.user.is_authenticated else "",
        },
    )
