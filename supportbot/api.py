from django.utils.translation import gettext
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.views import exception_handler as drf_exception_handler


class BoundedPagination(LimitOffsetPagination):
    """Pages of at most ``max_limit`` rows, and offsets a database can take.

    A limit or offset past what an SQL integer holds would reach the database
    and fail there (a 500); anything larger than any table here is as good as
    "past the end".
    """

    max_limit = 200
    max_offset = 1_000_000_000

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), self.max_offset)


def exception_handler(exc, context):
    """DRF's handler, with every error body carrying a readable ``detail``."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        fields = "; ".join(
            f"{field}: {' '.join(str(m) for m in messages) if isinstance(messages, list) else messages}"
            for field, messages in response.data.items()
        )
        response.data = {"detail": gettext("Invalid request. %(fields)s") % {"fields": fields}, "errors": response.data}
    return response
