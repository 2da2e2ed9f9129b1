from django.urls import path

from faq.views import entry_page

app_name = "faq"
urlpatterns = [path("<str:slug>/", entry_page, name="entry")]
