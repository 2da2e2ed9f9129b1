from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from faq.languages import Language
from faq.renderers import render_html
from faq.selectors import entry_by_slug


@login_required
def entry_page(request, slug: str):
    """The full answer, for chat messages that had to be shortened."""
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
        },
    )
