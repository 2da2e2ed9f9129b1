from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cases.models import Case
from cases.policy import NotAllowed, actor_for_user, may_see
from cases.serializers import CaseOpenedSerializer, CaseOpenSerializer, CaseSerializer, TransitionSerializer
from cases.services import case_move, case_open
from cases.states import IllegalMove


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Binding cases. Agents (staff or the Agents group) see and move all cases; others, the cases they opened."""

    serializer_class = CaseSerializer
    permission_classes = [IsAuthenticated]
    lookup_field = "number"
    # Ten digits at most: a longer number names no case, and could overflow the query.
    lookup_value_regex = r"[0-9]{1,10}"

    def get_queryset(self):
        actor = actor_for_user(self.request.user)
        queryset = Case.objects.select_related("topic", "assignee").prefetch_related("events")
        if actor.is_agent:
            return queryset
        return queryset.of_reporter(channel=actor.channel, workspace_id=actor.workspace_id, user_id=actor.user_id)

    @extend_schema(
        request=CaseOpenSerializer,
        responses={201: CaseOpenedSerializer, 200: CaseOpenedSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Sending the same key again returns the case already opened.",
            )
        ],
    )
    def create(self, request):
        params = CaseOpenSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        actor = actor_for_user(request.user)
        key = request.headers.get("Idempotency-Key", "")[:100]
        data = params.validated_data
        try:
            opened = case_open(
                reporter=actor,
                description=data["description"],
                question=data["question"],
                topic_slug=data["topic"],
                tencent_account_id=data["tencent_account_id"],
                appid=data["appid"],
                account_kind=data["account_kind"],
                ruled_out=data["ruled_out"],
                source_key=f"api:{actor.user_id}:{key}" if key else None,
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        body = CaseOpenedSerializer(opened.case).data | {"masked": list(opened.masked)}
        return Response(body, status=status.HTTP_201_CREATED if opened.created else status.HTTP_200_OK)

    @extend_schema(request=TransitionSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, number=None):
        # Visibility first: what is wrong with a request about a case one cannot
        # see must not tell anything about that case.
        actor = actor_for_user(request.user)
        case = Case.objects.filter(number=number).first()
        if case is None or not may_see(actor, case):
            raise NotFound(gettext("No such case."))
        params = TransitionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            moved = case_move(
                number=case.number,
                action=params.validated_data["action"],
                actor=actor,
                note=params.validated_data["note"],
                assignee=params.validated_data["assignee"],
            )
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from None
        except IllegalMove as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from None
        moved = Case.objects.prefetch_related("events").get(pk=moved.pk)
        return Response(CaseSerializer(moved, context=self.get_serializer_context()).data)
