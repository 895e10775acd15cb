"""The surveys API: surveys with their questions, questions, responses and results.

Reading a survey is open as its page is; answers and results follow the same rules as the pages
(``surveys.answer_survey``, ``surveys.view_results``), and every write calls the page's service
(401 for a visitor without an account, 403 for a refusal, 400 naming the field).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from ecocite.web.consultations.models import Process
from ecocite.web.core.api_fields import SlugField
from ecocite.web.core.models import Phase
from ecocite.web.surveys import services
from ecocite.web.surveys.exports import answer_table
from ecocite.web.surveys.models import Kind, MapKind, Question, Survey

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


def _id(text: str) -> int | None:
    """Read an id from a query parameter (digits within a database integer), else ``None``."""
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _require(request: Request, rule: str, obj: Any) -> None:
    if not request.user.has_perm(rule, obj):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        raise exceptions.PermissionDenied(rule)


class QuestionSerializer(serializers.ModelSerializer):
    """Serialise a question; writing one goes through the builder's service."""

    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.all())
    kind = serializers.ChoiceField(choices=Kind.choices, help_text=", ".join(Kind.values))
    map_kind = serializers.ChoiceField(
        choices=MapKind.choices, required=False, help_text=", ".join(MapKind.values)
    )
    text = serializers.CharField(read_only=True)
    options = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    condition_question = serializers.PrimaryKeyRelatedField(
        queryset=Question.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Question
        fields = [
            "id", "survey", "position", "kind", "text", "text_fr", "text_zh", "text_en",
            "required", "options", "max_choices", "scale_min", "scale_max", "unit", "min_value",
            "max_value", "map_kind", "condition_question", "condition_value",
        ]  # fmt: skip
        read_only_fields = ["position", "scale_min"]


class SurveySerializer(serializers.ModelSerializer):
    """Serialise a survey with its questions in order."""

    process = SlugField(slug_field="slug", queryset=Process.objects.all())
    phase = serializers.PrimaryKeyRelatedField(
        queryset=Phase.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id", "process", "phase", "title", "title_fr", "title_zh", "title_en",
            "description_fr", "description_zh", "description_en", "results_public",
            "illustrative", "questions",
        ]  # fmt: skip
        read_only_fields = ["illustrative"]


class QuestionResultSerializer(serializers.Serializer):
    """The counts of one question: per option or value, quartiles, latest texts."""

    question = serializers.IntegerField()
    kind = serializers.CharField()
    answered = serializers.IntegerField()
    labels = serializers.ListField(child=serializers.CharField())
    values = serializers.ListField(child=serializers.FloatField())
    stats = serializers.DictField(child=serializers.FloatField())
    texts = serializers.ListField(child=serializers.CharField())


class ResultsSerializer(serializers.Serializer):
    """The results of a survey, for all respondents or one college."""

    survey = serializers.IntegerField()
    college = serializers.CharField()
    respondents = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


class AnswerTableSerializer(serializers.Serializer):
    """The answers as a table: one row per respondent (an opaque number), one column per question."""

    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))


class SurveyViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Surveys with their questions (filter ``?process=<slug>``); organisers create them."""

    serializer_class = SurveySerializer
    queryset = Survey.objects.all()  # narrowed in get_queryset; typed for the schema

    def get_queryset(self) -> Any:
        """Narrow the rows by the query's filters."""
        rows = Survey.objects.select_related("process").prefetch_related("questions")
        slug = self.request.query_params.get("process")
        if slug:
            rows = rows.filter(process__slug=slug)
        return rows.order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        """Write through the service, so the page's rules and checks apply."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        process = data.pop("process")
        survey = _call(request, services.create_survey, request.user, process, **data)
        return ApiResponse(self.get_serializer(survey).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: ResultsSerializer},
        parameters=[OpenApiParameter("college", str, description="a college to narrow to")],
    )
    @action(detail=True, methods=["get"], serializer_class=ResultsSerializer)
    def results(self, request: Request, pk: str | None = None) -> ApiResponse:
        """Count the answers per question (``?college=`` narrows); same rule as the page."""
        survey = get_object_or_404(Survey, pk=pk)
        _require(request, "surveys.view_results", survey)
        college = request.query_params.get("college", "")
        total, rows = services.results(survey, college)
        return ApiResponse(
            {
                "survey": survey.pk,
                "college": college,
                "respondents": total,
                "questions": [
                    {
                        "question": r.question.pk,
                        "kind": r.question.kind,
                        "answered": r.answered,
                        "labels": r.labels,
                        "values": r.values,
                        "stats": r.stats,
                        "texts": r.texts,
                    }
                    for r in rows
                ],
            }
        )


class QuestionViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Questions of the surveys (filter ``?survey=<id>``); organisers add and remove them."""

    serializer_class = QuestionSerializer
    queryset = Question.objects.all()  # narrowed in get_queryset; typed for the schema

    def get_queryset(self) -> Any:
        """Narrow the rows by the query's filters."""
        rows = Question.objects.all()
        survey = _id(self.request.query_params.get("survey", ""))
        if survey is not None:
            rows = rows.filter(survey_id=survey)
        return rows.order_by("survey_id", "position", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        """Write through the service, so the page's rules and checks apply."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        survey = data.pop("survey")
        question = _call(request, services.add_question, request.user, survey, **data)
        return ApiResponse(self.get_serializer(question).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        """Remove a question and its answers (organisers)."""
        question = self.get_object()
        _call(request, services.delete_question, request.user, question)
        return ApiResponse(status=status.HTTP_204_NO_CONTENT)


class ResponseSerializer(serializers.Serializer):
    """One person's answers: ``answers`` maps question ids to raw values (see the docs)."""

    survey = serializers.IntegerField()
    college = serializers.CharField(required=False, allow_blank=True, default="")
    answers = serializers.DictField(child=serializers.JSONField(allow_null=True))


class ResponseViewSet(viewsets.GenericViewSet):
    """Answer a survey (``POST``; again to change the answers) or list its answers (organisers).

    Listing needs ``?survey=<id>`` and the results rule; respondents are opaque numbers.
    """

    serializer_class = ResponseSerializer
    queryset = Survey.objects.all()

    @extend_schema(
        responses={200: AnswerTableSerializer},
        parameters=[
            OpenApiParameter("survey", int, required=True, description="the survey's id"),
            OpenApiParameter("college", str, description="a college to narrow to"),
        ],
    )
    def list(self, request: Request) -> ApiResponse:
        """Return the survey's answers as a table, one row per respondent."""
        survey_id = _id(request.query_params.get("survey", ""))
        if survey_id is None:
            raise exceptions.ValidationError({"survey": "?survey=<id> is needed."})
        survey = get_object_or_404(Survey, pk=survey_id)
        _require(request, "surveys.view_results", survey)
        header, rows = answer_table(survey, request.query_params.get("college", ""))
        return ApiResponse({"columns": header, "rows": rows})

    @extend_schema(responses={201: ResponseSerializer})
    def create(self, request: Request) -> ApiResponse:
        """Record (or replace) the caller's answers through the page's service."""
        serializer = ResponseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        survey = get_object_or_404(Survey.objects.select_related("process"), pk=data["survey"])
        raw = {
            (key if str(key).startswith("q") else f"q{key}"): value
            for key, value in data["answers"].items()
        }
        session_key = ""
        if not request.user.is_authenticated and request.user.has_perm(
            "surveys.answer_survey", survey
        ):
            if not request.session.session_key:
                request.session.save()
            session_key = request.session.session_key or ""
        response = _call(
            request,
            services.submit_answers,
            request.user,
            survey,
            raw,
            college=data["college"],
            session_key=session_key,
        )
        return ApiResponse(
            {"survey": survey.pk, "college": response.college, "answers": data["answers"]},
            status=status.HTTP_201_CREATED,
        )
