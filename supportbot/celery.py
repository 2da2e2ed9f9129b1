import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportbot.settings")

app = Celery("supportbot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["supportbot.insights"])  # a package of the supportbot app, not an app of its own
