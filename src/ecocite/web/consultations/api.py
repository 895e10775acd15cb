"""The consultations API: processes, phases, proposals, comments and supports.

Reading is open as the pages are; every write calls the same service as the page, so the same
rules decide (401 for a visitor without an account, 403 for a refusal, 400 naming the field).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.web.consultations import services
from ecocite.web.consultations.models import Heritage, Process, Proposal, Stance, Status
from ecocite.web.core.api_fields import SlugField
from ecocite.web.core.models import Phase
from ecocite.web.interactions.models import Comment

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
        raise exceptions.ValidationError(err.message_dict) from err


class ProcessSerializer(serializers.ModelSerializer):
    """Serialise a process with its texts in the active language and in each language."""

    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)

    class Meta:
        model = Process
        fields = [
            "slug", "city", "body", "scale", "title", "title_fr", "title_zh", "title_en",
            "description", "decision_fr", "decision_zh", "decision_en", "decision_planned_on",
            "categories", "stance_enabled", "support_limit", "support_threshold", "site",
            "illustrative",
        ]  # fmt: skip


class ProcessViewSet(viewsets.ReadOnlyModelViewSet):
    """Consultation processes (read); phases are at ``consultation-phases/?process=<slug>``."""

    lookup_field = "slug"
    serializer_class = ProcessSerializer
    queryset = Process.objects.select_related("city", "body").order_by("slug")


class PhaseSerializer(serializers.ModelSerializer):
    """Serialise one phase: dates, opened actions, open to anonymous people or not."""

    class Meta:
        model = Phase
        fields = ["id", "position", "name", "starts_at", "ends_at", "actions", "anonymous_allowed"]


class PhaseViewSet(viewsets.ReadOnlyModelViewSet):
    """The phases of the consultation processes, in order; filter with ``?process=<slug>``."""

    serializer_class = PhaseSerializer
    queryset = Phase.objects.all()  # narrowed in get_queryset; typed for the schema

    def get_queryset(self) -> Any:
        """Narrow the rows by the query's filters."""
        rows = Phase.objects.filter(process_type=ContentType.objects.get_for_model(Process))
        slug = self.request.query_params.get("process")
        if slug:
            ids = Process.objects.filter(slug=slug).values("pk")
            rows = rows.filter(process_id__in=ids)
        return rows.order_by("process_id", "position")


class ProposalSerializer(serializers.ModelSerializer):
    """Serialise a proposal with its status, answer and live counts."""

    process = SlugField(slug_field="slug", queryset=Process.objects.all())
    heritage = serializers.ChoiceField(choices=Heritage.choices, required=False, allow_blank=True)
    status = serializers.CharField(read_only=True)
    supports = serializers.IntegerField(read_only=True)
    comments = serializers.IntegerField(read_only=True)
    geometry = serializers.JSONField(required=False, allow_null=True)

    class Meta:
        model = Proposal
        fields = [
            "id", "process", "title", "body", "category", "heritage", "geometry", "status",
            "answer", "answered_at", "supports", "comments", "plan_action", "illustrative",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["answer", "answered_at", "plan_action", "illustrative", "created_at"]


class AnswerSerializer(serializers.Serializer):
    """Read an official answer and the status it decides."""

    # A plain string: the service checks it against Status (and its enum would collide by name
    # with other apps' "status" in the OpenAPI schema).
    status = serializers.CharField(help_text=", ".join(Status.values))
    answer = serializers.CharField()


class ProposalViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Proposals with live counts, filtered by ``process``, ``category``, ``heritage``, ``status``, ``q``.

    Creating one is proposing (the active phase must open it); ``answer`` is the city's.
    """

    serializer_class = ProposalSerializer
    queryset = Proposal.objects.all()  # narrowed in get_queryset; typed for the schema

    def get_queryset(self) -> Any:
        """Narrow the rows by the query's filters."""
        params = self.request.query_params
        slug = params.get("process")
        rows = Proposal.objects.filter(hidden_at__isnull=True)
        if slug:
            rows = rows.filter(process__slug=slug)
        rows = services.filter_proposals(
            rows,
            category=params.get("category", ""),
            heritage=params.get("heritage", ""),
            status=params.get("status", ""),
            text=params.get("q", ""),
        )
        return services.with_counts(rows).select_related("process").order_by("-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Write through the service, so the page's rules and checks apply."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        process = data.pop("process")
        proposal = _call(request, services.submit_proposal, request.user, process, **data)
        row = self.get_queryset().get(pk=proposal.pk)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=AnswerSerializer)
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """Publish the official answer (city officials of the process's city, administrators)."""
        proposal = get_object_or_404(Proposal, pk=pk, hidden_at__isnull=True)
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _call(
            request,
            services.answer_proposal,
            request.user,
            proposal,
            data["answer"],
            data["status"],
        )
        row = self.get_queryset().get(pk=proposal.pk)
        return Response(ProposalSerializer(row).data)


class CommentSerializer(serializers.ModelSerializer):
    """Serialise a comment on a proposal; a deleted one keeps its row, not its text."""

    proposal = serializers.IntegerField(source="target_id")
    stance = serializers.ChoiceField(
        choices=Stance.choices, required=False, allow_blank=True, write_only=True
    )
    author = serializers.SerializerMethodField()
    text = serializers.CharField(max_length=5000)

    class Meta:
        model = Comment
        fields = ["id", "proposal", "parent", "text", "stance", "author", "created_at", "edited_at"]
        read_only_fields = ["created_at", "edited_at"]

    def get_author(self, comment: Comment) -> str:
        """Name the author's account, or nothing for an anonymous participant."""
        return comment.author.get_username() if comment.author else ""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Blank the text of a deleted comment."""
        data = super().to_representation(instance)
        if instance.is_deleted:
            data["text"] = ""
        return data


class CommentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Comments on proposals (filter ``?proposal=<id>``); creating one follows the phase."""

    serializer_class = CommentSerializer
    queryset = Comment.objects.all()  # narrowed in get_queryset; typed for the schema

    def get_queryset(self) -> Any:
        """Narrow the rows by the query's filters."""
        kind = ContentType.objects.get_for_model(Proposal)
        rows = Comment.objects.filter(target_type=kind).select_related("author")
        proposal = self.request.query_params.get("proposal")
        if proposal and proposal.isdigit():
            rows = rows.filter(target_id=int(proposal))
        return rows.order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Write through the service, so the page's rules and checks apply."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = get_object_or_404(Proposal, pk=data["target_id"], hidden_at__isnull=True)
        comment = _call(
            request,
            services.comment_on,
            request.user,
            proposal,
            data["text"],
            parent=data.get("parent"),
            stance=data.get("stance", ""),
        )
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)


class SupportSerializer(serializers.Serializer):
    """Read the proposal to support; answer with its support count."""

    proposal = serializers.IntegerField()
    supports = serializers.IntegerField(read_only=True)


class SupportViewSet(viewsets.GenericViewSet):
    """Support a proposal (``POST {"proposal": id}``), withdraw (``DELETE …/supports/<id>/``)."""

    serializer_class = SupportSerializer
    queryset = Proposal.objects.filter(hidden_at__isnull=True)

    def create(self, request: Request) -> Response:
        """Write through the service, so the page's rules and checks apply."""
        serializer = SupportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = get_object_or_404(self.get_queryset(), pk=serializer.validated_data["proposal"])
        count = _call(request, services.support_proposal, request.user, proposal)
        return Response(
            {"proposal": proposal.pk, "supports": count}, status=status.HTTP_201_CREATED
        )

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw one's support of the proposal."""
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        count = _call(request, services.withdraw_support, request.user, proposal)
        return Response({"proposal": proposal.pk, "supports": count})
