"""The conversations API: conversations, statements, votes and the stored opinion map.

Reading is open as the pages are (moderators also see statements waiting or rejected); every
write calls the same service as the page, so the same rules decide: voting and writing follow
the phase, which may be open to people without an account (their identity is the browser
session, as on the page). 401 for a visitor the rule refuses, 403 for a signed-in refusal, 400
naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.web.consultations.models import Process
from ecocite.web.conversations import services
from ecocite.web.conversations.models import Conversation, Moderation, Statement
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
        raise exceptions.ValidationError(err.message_dict) from err


def _token(request: Request) -> str | None:
    if request.user.is_authenticated:
        return None
    return services.session_token(request.session)


class ConversationSerializer(serializers.ModelSerializer):
    """Serialise a conversation: its process, topic, moderation setting."""

    process = SlugField(slug_field="slug", queryset=Process.objects.all())
    topic = serializers.CharField(read_only=True)
    moderation = serializers.ChoiceField(choices=Moderation.choices, required=False)

    class Meta:
        model = Conversation
        fields = [
            "id", "process", "topic", "topic_fr", "topic_zh", "topic_en", "description_fr",
            "description_zh", "description_en", "moderation", "illustrative", "created_at",
        ]  # fmt: skip
        read_only_fields = ["illustrative", "created_at"]


class ConversationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Conversations (filter ``?process=<slug>``); ``results`` is the stored opinion map."""

    serializer_class = ConversationSerializer
    queryset = Conversation.objects.select_related("process").order_by("id")

    def get_queryset(self) -> Any:
        """Narrow the rows by the query's filters."""
        rows = Conversation.objects.select_related("process").order_by("id")
        slug = self.request.query_params.get("process")
        if slug:
            rows = rows.filter(process__slug=slug)
        return rows

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start a conversation through the service (the process's stewards and officials)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        process = data.pop("process")
        conversation = _call(request, services.create_conversation, request.user, process, **data)
        return Response(self.get_serializer(conversation).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Return the stored opinion map: groups, points, repness, consensus, divisive, routing."""
        conversation = get_object_or_404(Conversation, pk=pk)
        view = services.map_view(conversation)
        texts = dict(conversation.statements.values_list("pk", "text"))
        return Response(
            {
                "conversation": conversation.pk,
                "computed_at": view.stored.computed_at if view.stored else None,
                "votes": view.stored.votes if view.stored else 0,
                "statements": {str(k): v for k, v in texts.items()},
                "result": view.stored.result if view.stored else {},
            }
        )


class StatementSerializer(serializers.ModelSerializer):
    """Serialise a statement; ``moderated``: −1 rejected, 0 waiting, 1 accepted (as Polis)."""

    conversation = serializers.PrimaryKeyRelatedField(queryset=Conversation.objects.all())
    text = serializers.CharField(max_length=Statement.MAX_CHARS)

    class Meta:
        model = Statement
        fields = [
            "id",
            "conversation",
            "text",
            "moderated",
            "is_meta",
            "illustrative",
            "created_at",
        ]
        read_only_fields = ["moderated", "is_meta", "illustrative", "created_at"]


class ModerationSerializer(serializers.Serializer):
    """Moderate many statements of one conversation at once."""

    conversation = serializers.PrimaryKeyRelatedField(queryset=Conversation.objects.all())
    statements = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        allow_empty=False,
        max_length=10_000,
    )
    decision = serializers.ChoiceField(choices=["accept", "reject", "reset"])


class StatementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Statements of a conversation (``?conversation=<id>``): the visible ones; all for moderators."""

    serializer_class = StatementSerializer
    queryset = Statement.objects.all()  # narrowed in get_queryset; typed for the schema
    permission_classes = [permissions.AllowAny]  # the rules decide, as on the page

    def get_queryset(self) -> Any:
        """Visible statements, plus waiting and rejected ones where the person moderates."""
        rows = Statement.objects.select_related("conversation").order_by("id")
        wanted = self.request.query_params.get("conversation", "")
        if wanted.isdigit():
            rows = rows.filter(conversation_id=int(wanted))
        user = self.request.user
        shown = [
            c
            for c in Conversation.objects.filter(pk__in=rows.values("conversation_id"))
            if not user.has_perm("conversations.moderate_statement", c)
        ]
        for c in shown:
            hidden = c.statements.exclude(pk__in=services.visible_statements(c).values("pk"))
            rows = rows.exclude(pk__in=hidden.values("pk"))
        return rows

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Submit a statement through the service (the phase must open statement voting)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        statement = _call(
            request,
            services.add_statement,
            request.user,
            data["conversation"],
            data["text"],
            token=_token(request),
        )
        return Response(self.get_serializer(statement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ModerationSerializer, responses={200: dict})
    @action(detail=False, methods=["post"], serializer_class=ModerationSerializer)
    def moderate(self, request: Request) -> Response:
        """Accept, reject or reset many statements in one call (moderators)."""
        serializer = ModerationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = {"accept": 1, "reject": -1, "reset": 0}[data["decision"]]
        n = _call(
            request,
            services.moderate,
            request.user,
            data["conversation"],
            data["statements"],
            decision,
        )
        return Response({"changed": n})


class VoteSerializer(serializers.Serializer):
    """A vote: the statement, and 1 agree, −1 disagree, 0 pass."""

    statement = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    vote = serializers.ChoiceField(choices=[1, -1, 0])


class VoteViewSet(viewsets.GenericViewSet):
    """Vote (``POST {"statement": id, "vote": 1|-1|0}``; again to change it); list one's votes."""

    serializer_class = VoteSerializer
    queryset = Statement.objects.all()
    permission_classes = [permissions.AllowAny]  # the rules decide, as on the page

    @extend_schema(
        parameters=[OpenApiParameter("conversation", int, required=True)],
        responses={200: VoteSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        """List the requesting participant's votes in a conversation (``?conversation=<id>``)."""
        wanted = request.query_params.get("conversation", "")
        if not wanted.isdigit():
            raise exceptions.ValidationError({"conversation": "?conversation=<id> is required"})
        conversation = get_object_or_404(Conversation, pk=int(wanted))
        token = None if request.user.is_authenticated else request.session.get(services.SESSION_KEY)
        participant = services.find_participant(request.user, conversation, token)
        votes = services.votes_of(participant)
        return Response([{"statement": s, "vote": v} for s, v in sorted(votes.items())])

    def create(self, request: Request) -> Response:
        """Vote through the service: one vote per participant and statement, the latest wins."""
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        statement = get_object_or_404(
            Statement.objects.select_related("conversation"), pk=data["statement"]
        )
        vote = _call(
            request,
            services.cast_vote,
            request.user,
            statement.conversation,
            statement,
            int(data["vote"]),
            token=_token(request),
        )
        return Response(
            {"statement": statement.pk, "vote": vote.value}, status=status.HTTP_201_CREATED
        )
