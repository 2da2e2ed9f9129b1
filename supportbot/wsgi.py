import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from whitenoise import WhiteNoise

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportbot.settings")
application = get_wsgi_application()
if not settings.DEBUG:
    # Static files (admin, API docs) are served before Django, so other requests
    # pay for one dictionary lookup instead of a middleware layer.
    application = WhiteNoise(application, root=settings.STATIC_ROOT, prefix=settings.STATIC_URL)
