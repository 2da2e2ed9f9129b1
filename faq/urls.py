from rest_framework.routers import SimpleRouter

from faq.api import EntryViewSet

router = SimpleRouter(trailing_slash=True)
router.register("", EntryViewSet, basename="faq-entry")

urlpatterns = router.urls
