from django.contrib.auth import get_user_model
from django.db import models
from rest_framework import serializers

from cases.models import AccountKind, Case, CaseEvent, Said
from cases.policy import is_agent_user
from cases.states import Action


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="Where the file is, on the chat platform.")


class TimelineSerializer(serializers.ListSerializer):
    """A case's timeline; agents' internal notes only to agents (the reporter may read their own case here)."""

    def to_representation(self, data):
        events = data.all() if isinstance(data, models.manager.BaseManager) else data
        if not self._for_an_agent():
            events = [event for event in events if event.action != Said.NOTE]
        return super().to_representation(events)

    def _for_an_agent(self) -> bool:
        # Asked once per response, not once per case of a listed page.
        if "for_an_agent" not in self.context:
            request = self.context.get("request")
            self.context["for_an_agent"] = bool(request and is_agent_user(request.user))
        return self.context["for_an_agent"]


class CaseEventSerializer(serializers.ModelSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["at", "actor", "actor_name", "action", "from_state", "to_state", "note", "platform", "attachments"]
        list_serializer_class = TimelineSerializer


class CaseSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    timeline = CaseEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "number",
            "state",
            "escalation_level",
            "channel",
            "reporter_id",
            "reporter_name",
            "assignee",
            "assignee_chat_id",
            "topic",
            "tencent_account_id",
            "appid",
            "account_kind",
            "ruled_out",
            "description",
            "question",
            "answer_slug",
            "created_at",
            "updated_at",
            "resolved_at",
            "first_response_at",
            "satisfaction",
            "satisfaction_comment",
            "rated_at",
            "timeline",
        ]
        read_only_fields = fields


class CaseOpenSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    question = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    topic = serializers.SlugField(max_length=64, required=False, allow_blank=True, default="")
    # Checked by the case model's own rules when the case is opened (one rule for chat, API and admin).
    tencent_account_id = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    appid = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    account_kind = serializers.ChoiceField(choices=AccountKind.choices, required=False, allow_blank=True, default="")
    ruled_out = serializers.ListField(
        child=serializers.SlugField(max_length=64), max_length=20, required=False, default=list
    )


class CaseOpenedSerializer(CaseSerializer):
    masked = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Kinds of secret found in the description and masked."
    )

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "masked"]
        read_only_fields = fields


class UsernameField(serializers.SlugRelatedField):
    """A user by username; text no username can be (NUL bytes, too long) is refused before any query.

    PostgreSQL refuses a NUL in a query parameter outright, which would be a 500.
    """

    def to_internal_value(self, data):
        max_length = get_user_model()._meta.get_field("username").max_length
        if not isinstance(data, str) or "\x00" in data or len(data) > max_length:
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:40].replace("\x00", ""))
        return super().to_internal_value(data)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    assignee = UsernameField(
        slug_field="username", queryset=get_user_model().objects.all(), required=False, allow_null=True, default=None
    )
