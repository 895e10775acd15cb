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
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.web.accounts.models import User
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Heritage, Process, Proposal, Stance, Status
from ecocite.web.core.api_fields import SlugField
from ecocite.web.core.models import Phase
from ecocite.web.core.permissions import require
from ecocite.web.interactions import moderation, throttle
from ecocite.web.interactions import services as interactions
from ecocite.web.interactions.models import Block, Comment, ModerationAct, ReportReason

T = TypeVar("T")


def _call(request: Request, fn: Callable[..., T], *args: Any, limit: str = "", **kwargs: Any) -> T:
    """Run a service; its refusals, validation errors and rate limits become API answers.

    With ``limit`` (a kind of write: proposal, comment, support, report), the write counts
    against the person's and the address's rate limits, as on the pages (429 past them).
    """
    try:
        if limit:
            with throttle.limit(request, limit):
                return fn(*args, **kwargs)
        return fn(*args, **kwargs)
    except throttle.RateLimited as err:
        raise exceptions.Throttled(wait=err.retry_after, detail=err.message) from err
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


class ReportSerializer(serializers.Serializer):
    """Read a report: a reason (``spam``, ``offensive``, ``personal_data``, ``off_topic``, ``other``)."""

    reason = serializers.CharField(help_text=", ".join(ReportReason.values))
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReasonSerializer(serializers.Serializer):
    """Read the reason of a moderation act (public when content is hidden)."""

    reason = serializers.CharField(max_length=2000)


def _report(request: Request, obj: Any) -> Response:
    serializer = ReportSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    _call(
        request,
        interactions.report,
        request.user,
        obj,
        data["reason"],
        data.get("explanation", ""),
        limit="report",
    )
    return Response({"reported": True}, status=status.HTTP_201_CREATED)


MODERATION_ACTS = {
    "hide": services.hide_content,
    "restore": services.restore_content,
    "dismiss": services.dismiss_reports,
}


def _moderate(request: Request, obj: Any, act: str) -> None:
    serializer = ReasonSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    _call(request, MODERATION_ACTS[act], request.user, obj, serializer.validated_data["reason"])


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
        proposal = _call(
            request, services.submit_proposal, request.user, process, limit="proposal", **data
        )
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

    @action(detail=True, methods=["post"], serializer_class=ReportSerializer)
    def report(self, request: Request, pk: str | None = None) -> Response:
        """Report the proposal to the moderators (anyone signed in)."""
        return _report(request, get_object_or_404(Proposal, pk=pk, hidden_at__isnull=True))

    def _moderated(self, request: Request, pk: str | None, act: str) -> Response:
        proposal = get_object_or_404(Proposal.objects.select_related("process"), pk=pk)
        _moderate(request, proposal, act)
        proposal.refresh_from_db()
        return Response(
            {"id": proposal.pk, "hidden": proposal.hidden_at is not None,
             "hidden_reason": proposal.hidden_reason}
        )  # fmt: skip

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def hide(self, request: Request, pk: str | None = None) -> Response:
        """Hide the proposal with a public reason (moderators of the process, administrators)."""
        return self._moderated(request, pk, "hide")

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def restore(self, request: Request, pk: str | None = None) -> Response:
        """Show a hidden proposal again, saying why (moderators, administrators)."""
        return self._moderated(request, pk, "restore")

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        """Close the proposal's open reports without hiding it (moderators, administrators)."""
        return self._moderated(request, pk, "dismiss")


class CommentSerializer(serializers.ModelSerializer):
    """Serialise a comment on a proposal; a deleted one keeps its row, not its text."""

    proposal = serializers.IntegerField(source="target_id")
    stance = serializers.ChoiceField(
        choices=Stance.choices, required=False, allow_blank=True, write_only=True
    )
    author = serializers.SerializerMethodField()
    text = serializers.CharField(max_length=5000)

    deleted = serializers.SerializerMethodField()
    hidden = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "proposal", "parent", "text", "stance", "author", "created_at", "edited_at",
            "deleted", "hidden", "hidden_reason",
        ]  # fmt: skip
        read_only_fields = ["created_at", "edited_at", "hidden_reason"]

    def get_deleted(self, comment: Comment) -> bool:
        """Tell whether the comment was deleted (its text is gone)."""
        return comment.is_deleted

    def get_hidden(self, comment: Comment) -> bool:
        """Tell whether the moderators hid the comment (``hidden_reason`` says why)."""
        return comment.is_hidden

    def get_author(self, comment: Comment) -> str:
        """Name the author's account, or nothing for an anonymous participant."""
        return comment.author.get_username() if comment.author else ""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Blank the text of a deleted or hidden comment (and the author of a hidden one)."""
        data = super().to_representation(instance)
        if instance.is_deleted or instance.is_hidden:
            data["text"] = ""
        if instance.is_hidden:
            data["author"] = ""
        return data


class CommentEditSerializer(serializers.Serializer):
    """Read the new text of a comment."""

    text = serializers.CharField(max_length=5000)


class CommentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Comments on proposals (filter ``?proposal=<id>``); creating one follows the phase.

    ``PATCH`` changes one's comment within the edit window; ``DELETE`` leaves a placeholder.
    Deleted and hidden comments keep their row (the thread), without their text.
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

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
            limit="comment",
        )
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)

    def _comment(self, pk: str | None) -> Comment:
        comment = get_object_or_404(self.get_queryset(), pk=pk)
        proposal = get_object_or_404(
            Proposal.objects.select_related("process"), pk=comment.target_id
        )
        comment._state.fields_cache["content_object"] = proposal
        return comment

    @extend_schema(request=CommentEditSerializer, responses=CommentSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change one's comment, within the edit window (``COMMENT_EDIT_WINDOW_S``)."""
        comment = self._comment(pk)
        serializer = CommentEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(
            request,
            interactions.edit_comment,
            request.user,
            comment,
            serializer.validated_data["text"],
        )
        return Response(self.get_serializer(comment).data)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        """Delete a comment (its author, moderators): a placeholder keeps the thread."""
        comment = self._comment(pk)
        _call(request, interactions.delete_comment, request.user, comment)
        return Response(self.get_serializer(comment).data)

    @action(detail=True, methods=["post"], serializer_class=ReportSerializer)
    def report(self, request: Request, pk: str | None = None) -> Response:
        """Report the comment to the moderators (anyone signed in)."""
        return _report(request, self._comment(pk))

    def _moderated(self, request: Request, pk: str | None, act: str) -> Response:
        comment = self._comment(pk)
        _moderate(request, comment, act)
        comment.refresh_from_db()
        return Response(CommentSerializer(comment).data)

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def hide(self, request: Request, pk: str | None = None) -> Response:
        """Hide the comment with a public reason (moderators of the process, administrators)."""
        return self._moderated(request, pk, "hide")

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def restore(self, request: Request, pk: str | None = None) -> Response:
        """Show a hidden comment again, saying why (moderators, administrators)."""
        return self._moderated(request, pk, "restore")

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        """Close the comment's open reports without hiding it (moderators, administrators)."""
        return self._moderated(request, pk, "dismiss")


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
        count = _call(request, services.support_proposal, request.user, proposal, limit="support")
        return Response(
            {"proposal": proposal.pk, "supports": count}, status=status.HTTP_201_CREATED
        )

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw one's support of the proposal."""
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        count = _call(request, services.withdraw_support, request.user, proposal, limit="support")
        return Response({"proposal": proposal.pk, "supports": count})


# --- moderation --------------------------------------------------------------------------------


def _moderated_process(request: Request) -> Process:
    """Return the process named by ``?process=<slug>``, once the person may moderate it."""
    slug = request.query_params.get("process", "")
    process = get_object_or_404(Process, slug=slug)
    if not request.user.is_authenticated:
        raise exceptions.NotAuthenticated()
    require(request, "consultations.moderate_process", process)
    return process


class QueueItemSerializer(serializers.Serializer):
    """One reported proposal or comment with its open reports counted by reason."""

    kind = serializers.CharField()
    id = serializers.IntegerField(source="target.pk")
    proposal = serializers.IntegerField(source="proposal.pk")
    reports = serializers.IntegerField()
    reasons = serializers.DictField(child=serializers.IntegerField())
    explanations = serializers.ListField(child=serializers.CharField())
    hidden = serializers.BooleanField()
    author = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    last_reported_at = serializers.DateTimeField()

    def get_author(self, item: Any) -> str:
        """Name the author's account (empty for an anonymous participant)."""
        return item.author.get_username() if item.author else ""

    def get_text(self, item: Any) -> str:
        """Give the reported text (moderators read it even when hidden)."""
        return item.target.body if item.kind == "proposal" else item.target.text


class ModerationQueueViewSet(viewsets.GenericViewSet):
    """The moderation queue of a process (``?process=<slug>``): its moderators, administrators."""

    serializer_class = QueueItemSerializer
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("process", str, required=True)],
        responses=QueueItemSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        """List the reported proposals and comments, most reported first."""
        process = _moderated_process(request)
        items = services.moderation_queue(request.user, process)
        return Response(QueueItemSerializer(items, many=True).data)


class ModerationActSerializer(serializers.ModelSerializer):
    """One entry of the moderation log: who did what, to whom, when and why."""

    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    subject = serializers.SlugRelatedField(slug_field="username", read_only=True)
    target = serializers.SerializerMethodField()

    class Meta:
        model = ModerationAct
        fields = ["id", "created_at", "actor", "action", "target", "subject", "reason", "affected"]

    def get_target(self, act: ModerationAct) -> str:
        """Name the object acted on as ``<model>:<id>`` (empty for a block)."""
        if act.target_type_id is None:
            return ""
        return f"{act.target_type.model}:{act.target_id}"


class ModerationLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The moderation log of a process (``?process=<slug>``), newest first: its moderators."""

    serializer_class = ModerationActSerializer
    queryset = ModerationAct.objects.all()  # narrowed in get_queryset; typed for the schema

    @extend_schema(parameters=[OpenApiParameter("process", str, required=True)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the moderation acts of the process."""
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        """Return the acts of the process named by ``?process=`` (after the permission check)."""
        process = _moderated_process(self.request)
        return moderation.log_of(process).select_related("target_type")


class BlockSerializer(serializers.ModelSerializer):
    """A participant blocked in a process (``process``) or everywhere (``process`` null)."""

    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    process = serializers.SlugRelatedField(
        slug_field="slug", queryset=Process.objects.all(), allow_null=True, required=False,
        help_text="null: on the whole platform",
    )  # fmt: skip
    blocked_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Block
        fields = ["id", "user", "process", "reason", "blocked_by", "created_at"]
        read_only_fields = ["blocked_by", "created_at"]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Give the process's slug, or null for a platform-wide block."""
        data = super().to_representation(instance)
        scope = instance.scope
        data["process"] = scope.slug if isinstance(scope, Process) else None
        return data


class BlockViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Block participants (``POST``, hiding all they wrote there) and lift blocks (``lift``).

    ``GET ?process=<slug>`` lists the blocks of a process and the platform-wide ones.
    """

    serializer_class = BlockSerializer
    queryset = Block.objects.all()  # narrowed per action; typed for the schema

    @extend_schema(
        parameters=[OpenApiParameter("process", str, required=True)],
        responses=BlockSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        """List the blocks of the process and the platform-wide ones."""
        process = _moderated_process(request)
        rows = [*moderation.blocks_in(process), *moderation.blocks_in(None)]
        return Response(BlockSerializer(rows, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Block a participant and hide all they wrote in the process (or everywhere)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        block = _call(
            request,
            services.block_participant,
            request.user,
            data["user"],
            data.get("process"),
            data["reason"],
        )
        return Response(BlockSerializer(block).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def lift(self, request: Request, pk: str | None = None) -> Response:
        """Lift the block (what it hid stays hidden until restored one by one)."""
        block = get_object_or_404(Block, pk=pk)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(
            request,
            moderation.unblock_user,
            request.user,
            block,
            serializer.validated_data["reason"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
