from django.urls import path

from supportbot.trybot import views

app_name = "trybot"
urlpatterns = [
    path("", views.page, name="page"),
    path("say", views.say, name="say"),
    path("act", views.act, name="act"),
]
