from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from supportbot import health
from supportbot.insights import views as insights_views
from supportbot.slack.views import slack_events, slack_file
from supportbot.teams.views import teams_messages
from supportbot.trybot import views as trybot_views
from supportbot.views import admin_language_choose

urlpatterns = [
    # First: Slack calls it far more often than people open any page.
    path("slack/events", slack_events, name="slack-events"),
    path("slack/files/<str:token>/<str:name>", slack_file, name="slack-file"),
    path("api/teams/messages", teams_messages, name="teams-messages"),
    path("", trybot_views.home, name="home"),
    path("try/", include("supportbot.trybot.urls")),
    path("healthz", health.alive, name="healthz"),
    path("readyz", health.ready, name="readyz"),
    # Before the admin's own URLs, which would take it for a page of theirs.
    path("admin/language/", admin_language_choose, name="admin-language"),
    path("admin/insights/", insights_views.page, name="insights"),
    path("admin/insights/<slug:key>.csv", insights_views.chart_csv, name="insights-csv"),
    path("admin/", admin.site.urls),
    path("api/faq/", include("faq.urls")),
    path("api/cases/", include("cases.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Signed-in users only, like the rest of the API; a browser is sent to sign in first.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerView.as_view(url_name="api-schema"), login_url="admin:login"),
        name="api-docs",
    ),
    path("faq/", include("faq.web_urls")),
]

admin.site.site_header = _("wxbind support")
admin.site.site_title = "wxbind"
admin.site.index_title = _("FAQ and binding cases")
