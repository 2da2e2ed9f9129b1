from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from faq.languages import Language
from faq.models import Entry
from faq.search import search
from faq.serializers import EntrySerializer, LanguageQuerySerializer, SearchQuerySerializer, SearchResultSerializer

LANG_PARAMETER = OpenApiParameter(
    "lang", OpenApiTypes.STR, enum=Language.values, description="Language of titles (default zh)."
)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class EntryViewSet(viewsets.ModelViewSet):
    """FAQ entries. Any signed-in user reads published entries; staff see drafts and may edit."""

    serializer_class = EntrySerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"

    def get_queryset(self):
        queryset = Entry.objects.select_related("owner").in_display_order()
        return queryset if self.request.user.is_staff else queryset.published()

    def perform_update(self, serializer) -> None:
        serializer.instance._history_user = self.request.user
        serializer.save()

    def perform_destroy(self, instance) -> None:
        instance._history_user = self.request.user
        instance.delete()

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.request is not None:
            params = LanguageQuerySerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            context["language"] = Language(params.validated_data["lang"])
        return context

    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses=SearchResultSerializer,
        description="Ranked entries for a question; `best` is null when nothing matches confidently.",
    )
    @action(detail=False, methods=["get"])
    def search(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = search(params.validated_data["q"], limit=params.validated_data["limit"])
        return Response(result.as_dict(Language(params.validated_data["lang"])))
