"""The label API: programmes, applications and their steps, action plans, reviews, registry.

Every write asks the same rule as the page (``require``) and calls the same service, so the
permissions are identical: 401 for a visitor without an account, 403 for a refusal, 400 with
the engine's reasons (message id and text) for a step the stage table refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.label import LabelStage
from ecocite.web.core.permissions import require
from ecocite.web.label import services
from ecocite.web.label.models import (
    HOLDS_LABEL,
    Action,
    Application,
    Ballot,
    Call,
    Programme,
    Review,
    Side,
)

T = TypeVar("T")


def _call(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service; a refused step answers 400 with the engine's reasons."""
    try:
        return fn(*args, **kwargs)
    except services.LabelRefused as err:
        raise exceptions.ValidationError(
            {
                "reasons": [
                    {"id": m.message_id, "params": m.params, "text": services.explain(m)}
                    for m in err.reasons
                ]
            }
        ) from err
    except DjangoValidationError as err:
        detail = err.message_dict if hasattr(err, "error_dict") else {"detail": err.messages}
        raise exceptions.ValidationError(detail) from err


def _signed_in(request: Request) -> None:
    if not request.user.is_authenticated:
        raise exceptions.NotAuthenticated()


@extend_schema_serializer(component_name="LabelCall")
class CallSerializer(serializers.ModelSerializer):
    """Serialise a call for applications."""

    class Meta:
        model = Call
        fields = ["slug", "title_fr", "title_zh", "title_en", "opens_on", "closes_on"]


class ProgrammeSerializer(serializers.ModelSerializer):
    """Serialise a programme: names, framework and version, stage, quorum, calls, deadlines."""

    framework_version = serializers.CharField(read_only=True)
    calls = CallSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "slug", "name_fr", "name_zh", "name_en", "framework_key", "framework_version",
            "assessment_stage", "quorum", "validity_years", "illustrative", "calls", "deadlines",
        ]  # fmt: skip

    def get_deadlines(self, programme: Programme) -> dict[str, str]:
        """Return stage → due date."""
        return {d.stage: d.due_on.isoformat() for d in programme.deadlines.all()}


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Label programmes (public)."""

    lookup_field = "slug"
    serializer_class = ProgrammeSerializer
    queryset = Programme.objects.prefetch_related("calls", "deadlines").order_by("slug")


class ActionSerializer(serializers.ModelSerializer):
    """Serialise an action of the plan (its proposals are the city plan action's)."""

    title = serializers.CharField(max_length=300)
    proposals = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id", "title", "indicator", "target_value", "target_year", "owner", "budget",
            "status", "proposals",
        ]  # fmt: skip

    def get_proposals(self, action: Action) -> list[int]:
        """Return the ids of the proposals linked to the action."""
        return list(action.plan_action.proposals.values_list("pk", flat=True))


class ApplicationSerializer(serializers.ModelSerializer):
    """Serialise an application: where it stands and what is missing for each next step."""

    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    next_steps = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id", "call", "city", "stage", "round", "pilot_site_name", "pilot_site",
            "frozen_assessment", "monitoring_assessment", "awarded_level", "awarded_on",
            "valid_until", "certificate_code", "illustrative", "next_steps",
        ]  # fmt: skip

    def get_next_steps(self, application: Application) -> list[dict[str, Any]]:
        """Return each next step with its roles and what is missing."""
        return [
            {
                "target": step.target.value,
                "roles": list(step.roles),
                "missing": [
                    {"id": m.message_id, "params": m.params, "text": services.explain(m)}
                    for m in step.missing
                ],
            }
            for step in services.steps_of(application)
        ]


class MoveSerializer(serializers.Serializer):
    """A step of the stage table; jury outcomes need reasons (and a level)."""

    target = serializers.ChoiceField(choices=[s.value for s in LabelStage])
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    level = serializers.CharField(required=False, allow_blank=True, default="")


class DeclareSerializer(serializers.Serializer):
    """A jury member's declaration: true when there is no conflict of interest."""

    no_conflict = serializers.BooleanField()


@extend_schema_serializer(component_name="LabelVote")
class VoteSerializer(serializers.Serializer):
    """A jury vote with its comment."""

    vote = serializers.ChoiceField(choices=Ballot.Vote.choices)
    comment = serializers.CharField()
    level = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    """An assessor of the pool (user id) for one side."""

    assessor = serializers.IntegerField()
    side = serializers.ChoiceField(choices=Side.choices)


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications the person may see (as on the pages), their steps and the action plan."""

    serializer_class = ApplicationSerializer
    queryset = Application.objects.all()  # narrowed in list; typed for the schema

    def _rows(self) -> Any:
        return Application.objects.select_related("call__programme", "city").order_by("pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the applications the person may see."""
        _signed_in(request)
        rows = [a for a in self._rows() if request.user.has_perm("label.view_application", a)]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self) -> Application:
        """Return the application, if the person may see it."""
        application = get_object_or_404(self._rows(), pk=self.kwargs["pk"])
        _signed_in(self.request)
        require(self.request, "label.view_application", application)
        return application

    @extend_schema(request=MoveSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], serializer_class=MoveSerializer)
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Take a step (secretariat) or decide (jury chair), as the stage table allows."""
        application = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = LabelStage(data["target"]) in services.DECISIONS
        require(
            request,
            "label.decide_application" if decision else "label.move_application",
            application,
        )
        moved = _call(
            request,
            services.move,
            application,
            data["target"],
            request.user,
            reasons=data["reasons"],
            level=data["level"],
        )
        return Response(ApplicationSerializer(moved).data)

    @extend_schema(request=ActionSerializer, responses=ActionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=ActionSerializer)
    def actions(self, request: Request, pk: str | None = None) -> Response:
        """List the action plan, or add an action (the city's officials, the secretariat)."""
        application = self.get_object()
        if request.method == "POST":
            require(request, "label.change_application", application)
            serializer = ActionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            _call(request, services.add_action, application, **data)
        rows = application.actions.select_related("plan_action")
        return Response(ActionSerializer(rows, many=True).data)

    @extend_schema(
        request=AssignSerializer,
        responses=inline_serializer(
            "LabelAssignment",
            {"review": serializers.IntegerField(), "side": serializers.CharField()},
        ),
    )
    @action(detail=True, methods=["post"], serializer_class=AssignSerializer)
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Assign an assessor of the pool to one side (the secretariat)."""
        application = self.get_object()
        require(request, "label.assign_assessor", application)
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_model = get_user_model()
        assessor = user_model.objects.filter(pk=serializer.validated_data["assessor"]).first()
        if assessor is None:
            raise exceptions.ValidationError({"assessor": ["No such person."]})
        review = _call(
            request,
            services.assign_assessor,
            application,
            assessor,
            serializer.validated_data["side"],
            by=request.user,
        )
        return Response({"review": review.pk, "side": review.side})

    @extend_schema(
        request=DeclareSerializer,
        responses=inline_serializer("LabelDeclared", {"declared": serializers.BooleanField()}),
    )
    @action(detail=True, methods=["post"], serializer_class=DeclareSerializer)
    def declare(self, request: Request, pk: str | None = None) -> Response:
        """Declare (no) conflict of interest, before seeing the file (jury members)."""
        application = self.get_object()
        require(request, "label.vote_application", application)
        serializer = DeclareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(
            request,
            services.declare,
            application,
            request.user,
            no_conflict=serializer.validated_data["no_conflict"],
        )
        return Response({"declared": True})

    @extend_schema(
        request=VoteSerializer,
        responses=inline_serializer("LabelVoted", {"voted": serializers.BooleanField()}),
    )
    @action(detail=True, methods=["post"], serializer_class=VoteSerializer)
    def vote(self, request: Request, pk: str | None = None) -> Response:
        """Cast a vote with its comment (jury members who declared no conflict)."""
        application = self.get_object()
        require(request, "label.vote_application", application)
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(request, services.cast_vote, application, request.user, **serializer.validated_data)
        return Response({"voted": True})


class ReviewSerializer(serializers.ModelSerializer):
    """Serialise a review (only to those the rules let read it)."""

    class Meta:
        model = Review
        fields = [
            "id", "application", "side", "findings", "site_visit", "recommended_level",
            "conflict_declared", "submitted_at",
        ]  # fmt: skip
        read_only_fields = ["application", "side", "conflict_declared", "submitted_at"]


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Reviews the person may read: one's own; the other side's once both are submitted."""

    serializer_class = ReviewSerializer
    queryset = Review.objects.all()  # narrowed in list; typed for the schema

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the reviews the person may read."""
        _signed_in(request)
        rows = Review.objects.select_related("application__call__programme").order_by("pk")
        visible = [r for r in rows if request.user.has_perm("label.view_review", r)]
        page = self.paginate_queryset(visible)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self) -> Review:
        """Return the review, if the person may read it."""
        review = get_object_or_404(
            Review.objects.select_related("application__call__programme"), pk=self.kwargs["pk"]
        )
        _signed_in(self.request)
        require(self.request, "label.view_review", review)
        return review

    @action(detail=True, methods=["post"], serializer_class=ReviewSerializer)
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit one's review (the assigned assessor); it is final and logged."""
        review = get_object_or_404(
            Review.objects.select_related("application__call__programme"), pk=pk
        )
        _signed_in(request)
        require(request, "label.submit_review", review)
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _call(
            request,
            services.submit_review,
            review,
            findings=data.get("findings") or {},
            site_visit=data.get("site_visit", ""),
            recommended_level=data.get("recommended_level", ""),
        )
        review.refresh_from_db()
        return Response(ReviewSerializer(review).data)


class CertificateSerializer(serializers.ModelSerializer):
    """Serialise an entry of the public registry (no personal data)."""

    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    programme = serializers.CharField(source="call.programme.slug", read_only=True)
    framework = serializers.CharField(source="call.programme.framework_key", read_only=True)
    code = serializers.CharField(source="certificate_code", read_only=True)
    valid = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "code", "city", "programme", "framework", "stage", "awarded_level", "awarded_on",
            "valid_until", "valid", "illustrative",
        ]  # fmt: skip

    def get_valid(self, application: Application) -> bool:
        """Tell whether the city holds the label now."""
        return application.stage in HOLDS_LABEL


class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    """The public registry of certificates; look one up by its verification code."""

    lookup_field = "certificate_code"
    serializer_class = CertificateSerializer
    queryset = (
        Application.objects.filter(certificate_code__isnull=False)
        .select_related("city", "call__programme")
        .order_by("city__slug")
    )
