from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from faq.engine import DEFAULT_LIMIT, MAX_QUERY_CHARS
from faq.languages import Language
from faq.models import Entry


class ImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    alt = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField(help_text="Title in the requested language (?lang=zh|en).")
    images_zh = serializers.SerializerMethodField()
    images_en = serializers.SerializerMethodField()
    missing_languages = serializers.SerializerMethodField()
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Entry
        fields = [
            "slug",
            "title",
            "title_zh",
            "title_en",
            "body_zh",
            "body_en",
            "keywords_zh",
            "keywords_en",
            "images_zh",
            "images_en",
            "display_order",
            "is_published",
            "owner",
            "review_by",
            "missing_languages",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def _language(self) -> Language:
        return self.context.get("language", Language.ZH)

    def get_title(self, entry: Entry) -> str:
        return entry.title(self._language())

    @staticmethod
    def _images(entry: Entry, language: Language) -> list[dict]:
        return [{"url": image.url, "alt": image.alt} for image in entry.images(language)]

    def get_images_zh(self, entry: Entry) -> list[dict]:
        return ImageSerializer(self._images(entry, Language.ZH), many=True).data

    def get_images_en(self, entry: Entry) -> list[dict]:
        return ImageSerializer(self._images(entry, Language.EN), many=True).data

    def get_missing_languages(self, entry: Entry) -> list[str]:
        return [language.value for language in entry.missing_languages()]

    def create(self, validated_data: dict) -> Entry:
        entry = Entry(**validated_data)
        entry._history_user = self.context["request"].user  # the revision records who wrote it
        entry.save()
        return entry

    def validate(self, attrs: dict) -> dict:
        candidate = Entry(**{**self._current_values(), **attrs})
        try:
            candidate.full_clean(exclude=["slug"] if self.instance else None, validate_unique=False)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        return {
            field: getattr(self.instance, field)
            for field in self.Meta.fields
            if hasattr(Entry, field) and field in {f.name for f in Entry._meta.fields}
        }


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_CHARS, trim_whitespace=True, help_text="The question, in any language."
    )
    lang = serializers.ChoiceField(choices=Language.values, default=Language.ZH.value, help_text="Language of titles.")
    limit = serializers.IntegerField(min_value=1, max_value=20, default=DEFAULT_LIMIT)


class SearchHitSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    score = serializers.FloatField(help_text="0–1: how much of the question this entry answers.")


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    best = serializers.CharField(allow_null=True, help_text="Slug of the confident answer, or null.")
    results = SearchHitSerializer(many=True)


class LanguageQuerySerializer(serializers.Serializer):
    lang = serializers.ChoiceField(choices=Language.values, default=Language.ZH.value)
