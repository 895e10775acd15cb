"""The community API: profiles (public fields only), organisations, calls, answers, cases.

Every write calls the same service as the page, so the same rules decide (401 without an
account, 403 for a refusal, 400 naming the field).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.web.community import services
from ecocite.web.community.models import (
    AnswerStatus,
    Call,
    CallAnswer,
    Case,
    Discipline,
    HelpKind,
    Language,
    Method,
    Organisation,
    Profile,
    Theme,
)
from ecocite.web.consultations.models import Process
from ecocite.web.core.api_fields import SlugField

T = TypeVar("T")


def _call(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service; its refusals and validation errors become API answers."""
    try:
        return fn(*args, **kwargs)
    except DjangoPermissionDenied as err:
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated() from err
        raise exceptions.PermissionDenied(str(err)) from err
    except DjangoValidationError as err:
        detail = err.message_dict if hasattr(err, "error_dict") else {"detail": err.messages}
        raise exceptions.ValidationError(detail) from err


class ProfileSerializer(serializers.Serializer):
    """What the asker may see of a profile: only the fields its owner made public."""

    id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    verified = serializers.BooleanField(read_only=True)
    discipline = serializers.CharField(
        read_only=True, required=False, help_text=", ".join(Discipline.values)
    )
    career_stage = serializers.CharField(read_only=True, required=False)
    skills = serializers.CharField(read_only=True, required=False)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True, required=False)
    institution = serializers.CharField(read_only=True, required=False, help_text="slug")
    city = serializers.CharField(read_only=True, required=False, help_text="slug")
    lon = serializers.FloatField(read_only=True, required=False)
    lat = serializers.FloatField(read_only=True, required=False)
    availability = serializers.CharField(read_only=True, required=False)
    bio = serializers.CharField(read_only=True, required=False)

    def to_representation(self, instance: Profile) -> dict[str, Any]:
        """Serialise the public view of the profile for the asker."""
        request = self.context.get("request")
        view = services.public_profile(instance, getattr(request, "user", None))
        view = {k: v for k, v in view.items() if k in self.fields}
        for name in ("institution", "city"):  # related objects as their slugs
            if name in view:
                view[name] = view[name].slug
        return super().to_representation(view)


class ProfileViewSet(viewsets.ReadOnlyModelViewSet):
    """Profiles of professionals and university members (public fields only)."""

    serializer_class = ProfileSerializer
    queryset = Profile.objects.select_related("institution", "city").order_by("display_name", "pk")


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation with its names in each language."""

    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["slug", "kind", "name", "name_fr", "name_zh", "name_en", "city", "country",
                  "website", "illustrative"]  # fmt: skip


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Universities, associations, practices and public bodies."""

    lookup_field = "slug"
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.select_related("city").order_by("slug")


@extend_schema_serializer(component_name="ContributorCall")
class CallSerializer(serializers.ModelSerializer):
    """A call for contributors; ``process`` names the process by its slug."""

    process = SlugField(slug_field="slug", queryset=Process.objects.all())
    title = serializers.CharField(read_only=True)
    disciplines = serializers.ListField(
        child=serializers.ChoiceField(Discipline.choices), required=False
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(Language.choices), required=False
    )
    themes = serializers.ListField(child=serializers.ChoiceField(Theme.choices), required=False)
    help_kind = serializers.ChoiceField(HelpKind.choices)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Call
        fields = [
            "id", "process", "help_kind", "title", "title_fr", "title_zh", "title_en",
            "description_fr", "description_zh", "description_en", "disciplines", "languages",
            "themes", "starts_on", "ends_on", "online", "place", "grants_facilitator",
            "closed_at", "illustrative",
        ]  # fmt: skip
        read_only_fields = ["illustrative"]


class CallViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Calls for contributors; POST publishes one on a process (its organisers)."""

    serializer_class = CallSerializer
    queryset = Call.objects.select_related("process__city").order_by("-created_at", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Publish a call on a process."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        process = data.pop("process")
        call = _call(request, services.publish_call, request.user, process, data)
        return Response(self.get_serializer(call).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CallSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Stop taking answers."""
        call = _call(request, services.close_call, request.user, self.get_object())
        return Response(self.get_serializer(call).data)


@extend_schema_serializer(component_name="CallAnswer")
class AnswerSerializer(serializers.ModelSerializer):
    """An answer to a call (its author and the call's organisers see it)."""

    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all())
    organisation = SlugField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    status = serializers.CharField(read_only=True, help_text=", ".join(AnswerStatus.values))

    class Meta:
        model = CallAnswer
        fields = ["id", "call", "organisation", "message", "status", "created_at", "decided_at"]
        read_only_fields = ["created_at", "decided_at"]


class DecisionSerializer(serializers.Serializer):
    """The organiser's decision on an answer."""

    accept = serializers.BooleanField()


class AnswerViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Answers to calls: one's own, and those on calls one organises; POST answers a call."""

    serializer_class = AnswerSerializer
    queryset = CallAnswer.objects.none()  # narrowed per person in get_queryset

    def get_queryset(self) -> QuerySet[CallAnswer]:
        """Give the answers the asker may read."""
        user = self.request.user
        if not user.is_authenticated:
            return CallAnswer.objects.none()
        rows = CallAnswer.objects.select_related("call__process__city", "organisation")
        mine = Q(person=user)
        visible = [a.pk for a in rows.exclude(mine) if user.has_perm("community.decide_answer", a)]
        return rows.filter(mine | Q(pk__in=visible)).order_by("pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Answer a call."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answer = _call(
            request,
            services.answer_call,
            request.user,
            data["call"],
            data["message"],
            data.get("organisation"),
        )
        return Response(self.get_serializer(answer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=AnswerSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Accept or decline an answer (the call's organisers)."""
        answer = get_object_or_404(CallAnswer.objects.select_related("call__process__city"), pk=pk)
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        answer = _call(
            request,
            services.decide_answer,
            request.user,
            answer,
            accept=decision.validated_data["accept"],
        )
        return Response(self.get_serializer(answer).data)


class CaseSerializer(serializers.ModelSerializer):
    """A published case with its computed figures; POST publishes a closed process."""

    process = SlugField(slug_field="slug", queryset=Process.objects.all(), write_only=True)
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = serializers.CharField(read_only=True)
    themes = serializers.ListField(child=serializers.ChoiceField(Theme.choices), required=False)
    methods = serializers.ListField(child=serializers.ChoiceField(Method.choices), required=False)
    figures = serializers.DictField(read_only=True)
    decided = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = Case
        fields = [
            "slug", "process", "city", "scale", "title", "title_fr", "title_zh", "title_en",
            "question_fr", "question_zh", "question_en", "lessons_fr", "lessons_zh",
            "lessons_en", "methods", "themes", "heritage", "population", "population_source",
            "figures", "decided", "licence", "published_at", "illustrative",
        ]  # fmt: skip
        read_only_fields = ["slug", "scale", "licence", "published_at", "illustrative"]


class CaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """The library of cases; filter with ``?q=&scale=&method=&theme=&country=&language=``."""

    lookup_field = "slug"
    serializer_class = CaseSerializer
    queryset = Case.objects.select_related("city").order_by("-published_at", "slug")

    def get_queryset(self) -> QuerySet[Case]:
        """Apply the library's filters."""
        if self.action != "list":
            return super().get_queryset()
        from ecocite.web.community.forms import CaseFilterForm

        return services.search_cases(**CaseFilterForm(self.request.query_params).filters())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Publish a closed process as a case; figures are computed from the process."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        process = data.pop("process")
        extra = data.pop("methods", [])
        case = _call(
            request, services.publish_case, request.user, process, data, extra_methods=extra
        )
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)
