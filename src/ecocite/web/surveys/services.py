"""Build surveys, take answers and count results; every write checks its rule and is atomic.

Answers arrive as one raw value per question (from the page's form or the API's JSON):

============ =========================================================================
type         raw value
============ =========================================================================
single       the option's index (``"2"`` or ``2``)
multiple     a list of option indexes
scale        a whole number within the question's scale
text         a string
ranking      the rank given to each option, in the options' order (``[2, 1, 3]``)
number       a number (``"12,5"`` or ``12.5``), within the question's bounds
map          a GeoJSON geometry (dict or text) or ``"longitude, latitude"``
============ =========================================================================

Questions whose condition does not hold are hidden: their answers are dropped and "required"
does not apply to them. A refusal raises ``ValidationError`` keyed by the question's field name
(``q<id>``); nothing is written unless every answer is valid.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Case, Count, F, Q, Value, When
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape

from ecocite.units import UnitError, check_unit_expression
from ecocite.web.consultations.geometry import check_geometry
from ecocite.web.consultations.models import College, Process
from ecocite.web.core.permissions import check_permission
from ecocite.web.surveys.models import (
    CHOICE_KINDS,
    Answer,
    Kind,
    MapKind,
    Question,
    Response,
    Survey,
)

MAX_OPTIONS = 30
MAX_TEXT = 5000
_LONLAT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*$")


# Building -------------------------------------------------------------------------------------


def create_survey(user: Any, process: Process, **fields: Any) -> Survey:
    """Create a survey of ``process`` (organisers of the process only)."""
    check_permission(user, "surveys.add_survey", process)
    phase = fields.get("phase")
    kind = ContentType.objects.get_for_model(Process)
    if phase is not None and (phase.process_id != process.pk or phase.process_type_id != kind.pk):
        raise ValidationError({"phase": _("Choose a phase of this process.")})
    if not str(fields.get("title_fr", "")).strip():
        raise ValidationError({"title_fr": _("A French title is needed.")})
    return Survey.objects.create(process=process, **fields)


def clean_question(survey: Survey, fields: dict[str, Any]) -> dict[str, Any]:
    """Check a question's settings; return them, or raise ``ValidationError`` naming the field."""
    kind = fields.get("kind")
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a question type.")})
    if not str(fields.get("text_fr", "")).strip():
        raise ValidationError({"text_fr": _("The question needs a French text.")})
    options = [str(o).strip() for o in fields.get("options") or [] if str(o).strip()]
    if kind in CHOICE_KINDS:
        if len(options) < 2:
            raise ValidationError({"options": _("Give at least two options, one per line.")})
        if len(options) > MAX_OPTIONS:
            raise ValidationError({"options": _("At most %(n)d options.") % {"n": MAX_OPTIONS}})
        if len(set(options)) != len(options):
            raise ValidationError({"options": _("Each option must be different.")})
    else:
        options = []
    fields["options"] = options
    if kind == Kind.MULTIPLE and fields.get("max_choices") is not None:
        if not 1 <= int(fields["max_choices"]) <= len(options):
            raise ValidationError({"max_choices": _("Between 1 and the number of options.")})
    else:
        fields["max_choices"] = None if kind != Kind.MULTIPLE else fields.get("max_choices")
    if kind == Kind.SCALE:
        top = int(fields.get("scale_max") or 5)
        if top not in (5, 10):
            raise ValidationError({"scale_max": _("A scale runs from 1 to 5 or from 0 to 10.")})
        fields["scale_min"], fields["scale_max"] = (1, 5) if top == 5 else (0, 10)
    if kind == Kind.NUMBER:
        unit = str(fields.get("unit") or "").strip()
        if unit:
            try:
                check_unit_expression(unit)
            except UnitError as err:
                raise ValidationError({"unit": str(err)}) from err
        fields["unit"] = unit
        low, high = fields.get("min_value"), fields.get("max_value")
        if low is not None and high is not None and low > high:
            raise ValidationError({"max_value": _("The largest number is below the smallest.")})
    condition = fields.get("condition_question")
    if condition is not None:
        if condition.survey_id != survey.pk:
            raise ValidationError({"condition_question": _("Choose a question of this survey.")})
        if not str(fields.get("condition_value", "")).strip():
            raise ValidationError(
                {"condition_value": _("Give the answer that shows the question.")}
            )
        if condition.kind in (Kind.SINGLE, Kind.MULTIPLE) and (
            fields["condition_value"].strip() not in condition.options
        ):
            raise ValidationError(
                {"condition_value": _("Give one of the options of the question it depends on.")}
            )
    else:
        fields["condition_value"] = ""
    return fields


def add_question(user: Any, survey: Survey, **fields: Any) -> Question:
    """Add a question at the end of ``survey`` (organisers only)."""
    check_permission(user, "surveys.change_survey", survey)
    fields = clean_question(survey, dict(fields))
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    return Question.objects.create(survey=survey, position=(last or 0) + 1, **fields)


def delete_question(user: Any, question: Question) -> None:
    """Remove a question and its answers (organisers only)."""
    check_permission(user, "surveys.change_survey", question.survey)
    with transaction.atomic():
        question.delete()
        answers_changed(question.survey)


# Answering ------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """A question's cleaned answer: what is written, and what conditions compare."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)


def _blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple):
        return all(_blank(r) for r in raw)
    return False


def _index(question: Question, raw: Any) -> int:
    try:
        index = int(str(raw).strip())
    except ValueError as err:
        raise ValidationError({question.field: _("Choose one of the options.")}) from err
    if not 0 <= index < len(question.options):
        raise ValidationError({question.field: _("Choose one of the options.")})
    return index


def _number(question: Question, raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValidationError({question.field: _("Enter a number.")})
    try:
        value = float(str(raw).strip().replace(",", ".").replace(" ", ""))
    except ValueError as err:
        raise ValidationError({question.field: _("Enter a number.")}) from err
    if not math.isfinite(value):
        raise ValidationError({question.field: _("Enter a number.")})
    return value


def _parse(question: Question, raw: Any, site: Any) -> Parsed:
    """Clean one non-blank raw answer of ``question``."""
    kind, key = question.kind, question.field
    if kind == Kind.SINGLE:
        i = _index(question, raw)
        return Parsed([{"option": i}], {question.options[i]})
    if kind == Kind.MULTIPLE:
        items = raw if isinstance(raw, list | tuple) else [raw]
        chosen = sorted({_index(question, r) for r in items if not _blank(r)})
        if question.max_choices and len(chosen) > question.max_choices:
            raise ValidationError(
                {key: _("Choose at most %(n)d options.") % {"n": question.max_choices}}
            )
        rows = [{"option": i, "lead": n == 0} for n, i in enumerate(chosen)]
        return Parsed(rows, {question.options[i] for i in chosen})
    if kind == Kind.SCALE:
        value = _number(question, raw)
        if value != int(value) or not question.scale_min <= value <= question.scale_max:
            raise ValidationError(
                {
                    key: _("Choose a whole number from %(a)d to %(b)d.")
                    % {"a": question.scale_min, "b": question.scale_max}
                }
            )
        return Parsed([{"number": value}], {str(int(value))})
    if kind == Kind.NUMBER:
        value = _number(question, raw)
        low, high = question.min_value, question.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(
                {
                    key: _("Enter a number from %(a)s to %(b)s.")
                    % {
                        "a": "—" if low is None else f"{low:g}",
                        "b": "—" if high is None else f"{high:g}",
                    }
                }
            )
        return Parsed([{"number": value}], {f"{value:g}"})
    if kind == Kind.TEXT:
        text = str(raw).strip()
        if "\x00" in text:
            raise ValidationError({key: _("The text contains a control character.")})
        if len(text) > MAX_TEXT:
            raise ValidationError({key: _("At most %(n)d characters.") % {"n": MAX_TEXT}})
        return Parsed([{"text": text}], {text})
    if kind == Kind.RANKING:
        items = list(raw) if isinstance(raw, list | tuple) else []
        n = len(question.options)
        if len(items) != n or any(_blank(r) for r in items):
            raise ValidationError({key: _("Give a rank to every option.")})
        try:
            ranks = [int(str(r).strip()) for r in items]
        except ValueError as err:
            raise ValidationError({key: _("Give a rank to every option.")}) from err
        if any(not 1 <= r <= n for r in ranks):
            raise ValidationError({key: _("Ranks go from 1 to %(n)d.") % {"n": n}})
        if len(set(ranks)) != n:
            raise ValidationError({key: _("Each rank may be given only once.")})
        first = question.options[ranks.index(1)]
        rows = [{"option": i, "rank": r, "lead": i == 0} for i, r in enumerate(ranks)]
        return Parsed(rows, {first})
    if kind == Kind.MAP:
        place: Any = raw
        if isinstance(raw, str) and (match := _LONLAT.match(raw)):
            place = {"type": "Point", "coordinates": [float(match[1]), float(match[2])]}
        kinds = ("Point",) if question.map_kind == MapKind.POINT else ("Polygon", "MultiPolygon")
        checked = check_geometry(place, field=key, kinds=kinds, inside=site)
        # Rebuilt from its coordinates: nothing but the shape is kept from the input.
        geometry = json.loads(json.dumps(mapping(shape(checked))))
        return Parsed([{"geometry": geometry}], set())
    raise ValidationError({key: _("Unknown question type.")})  # pragma: no cover


def _matches(question: Question, parsed: Parsed | None) -> bool:
    """Tell whether a dependent question shows, given the answer it depends on."""
    condition = question.condition_question
    if condition is None:
        return True
    if parsed is None:
        return False
    wanted = question.condition_value.strip()
    if condition.kind in (Kind.SCALE, Kind.NUMBER):
        try:
            return any(float(v) == float(wanted.replace(",", ".")) for v in parsed.labels)
        except ValueError:
            return False
    return wanted in parsed.labels


def visible_questions(
    questions: Sequence[Question], parsed: Mapping[int, Parsed | None]
) -> set[int]:
    """Return the ids of the questions shown, given the answers (conditions chain in order)."""
    shown: set[int] = set()
    for question in questions:
        condition = question.condition_question_id
        if condition is None or (condition in shown and _matches(question, parsed.get(condition))):
            shown.add(question.pk)
    return shown


def clean_answers(
    survey: Survey, questions: Sequence[Question], raw: Mapping[str, Any]
) -> dict[int, Parsed]:
    """Clean every answer; raise one ``ValidationError`` listing every problem (by field)."""
    site = survey.process.site
    parsed: dict[int, Parsed | None] = {}
    errors: dict[str, list[str]] = {}
    for question in questions:
        value = raw.get(question.field)
        if _blank(value):
            parsed[question.pk] = None
            continue
        try:
            parsed[question.pk] = _parse(question, value, site)
        except ValidationError as err:
            parsed[question.pk] = None
            for key, problems in err.message_dict.items():
                errors.setdefault(key, []).extend(problems)
    shown = visible_questions(questions, parsed)
    for question in questions:
        if question.pk not in shown:
            errors.pop(question.field, None)
        elif question.required and parsed.get(question.pk) is None and question.field not in errors:
            errors[question.field] = [_("This question is required.")]
    if errors:
        raise ValidationError(errors)
    return {pk: p for pk, p in parsed.items() if p is not None and pk in shown}


def ordered_questions(survey: Survey) -> list[Question]:
    """Return the survey's questions in order, with their conditions loaded."""
    return list(survey.questions.select_related("condition_question").order_by("position", "id"))


def response_of(survey: Survey, user: Any, session_key: str = "") -> Response | None:
    """Return the response of this person (or anonymous session) to ``survey``, if any."""
    if user is not None and user.is_authenticated:
        return Response.objects.filter(survey=survey, user=user).first()
    if session_key:
        return Response.objects.filter(survey=survey, session_key=session_key).first()
    return None


def submit_answers(
    user: Any,
    survey: Survey,
    raw: Mapping[str, Any],
    *,
    college: str = "",
    session_key: str = "",
    illustrative: bool = False,
) -> Response:
    """Record (or replace) one person's answers to ``survey`` in one transaction.

    A signed-in person has one response per survey; a person without an account (where the
    phase allows it) has one per browser session (``session_key``).
    """
    check_permission(user, "surveys.answer_survey", survey)
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not session_key:
        raise ValidationError({"__all__": _("Your browser session is needed to answer.")})
    if college and college not in College.values:
        raise ValidationError({"college": _("Choose a college from the list.")})
    questions = ordered_questions(survey)
    answers = clean_answers(survey, questions, raw)
    with transaction.atomic():
        owner = {"user": user} if signed_in else {"session_key": session_key, "user": None}
        response = Response.objects.select_for_update().filter(survey=survey, **owner).first()
        if response is None:
            response = Response.objects.create(
                survey=survey, college=college, illustrative=illustrative, **owner
            )
        else:
            response.college = college
            response.save(update_fields=["college", "updated_at"])
            response.answers.all().delete()
        Answer.objects.bulk_create(
            Answer(response=response, question_id=pk, college=college, **row)
            for pk, parsed in answers.items()
            for row in parsed.rows
        )
        answers_changed(survey)
    return response


def answers_as_raw(response: Response | None, questions: Iterable[Question]) -> dict[str, Any]:
    """Return a stored response as raw form values (to show it again for editing)."""
    if response is None:
        return {}
    by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in response.answers.all():
        by_question[answer.question_id].append(answer)
    raw: dict[str, Any] = {}
    for q in questions:
        rows = by_question.get(q.pk, [])
        if not rows:
            continue
        if q.kind == Kind.SINGLE:
            raw[q.field] = str(rows[0].option)
        elif q.kind == Kind.MULTIPLE:
            raw[q.field] = [str(r.option) for r in rows]
        elif q.kind == Kind.RANKING:
            ranks = {r.option: r.rank for r in rows}
            raw[q.field] = [str(ranks.get(i, "")) for i in range(len(q.options))]
        elif q.kind in (Kind.SCALE, Kind.NUMBER):
            raw[q.field] = f"{rows[0].number:g}"
        elif q.kind == Kind.TEXT:
            raw[q.field] = rows[0].text
        elif q.kind == Kind.MAP:
            raw[q.field] = json.dumps(rows[0].geometry)
    return raw


# Results --------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    """What the results page shows for one question."""

    question: Question
    answered: int = 0
    labels: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    stats: dict[str, float] = field(default_factory=dict)


def responses_of(survey: Survey, college: str = "") -> Any:
    """Return the survey's responses, narrowed to one college if given."""
    rows = Response.objects.filter(survey=survey)
    return rows.filter(college=college) if college else rows


TEXTS_SHOWN = 200
RESULTS_SECONDS = 3600


def answers_changed(survey: Survey) -> None:
    """Mark that the answers to ``survey`` changed (call inside the writing transaction)."""
    Survey.objects.filter(pk=survey.pk).update(answers_revision=F("answers_revision") + 1)


def results_key(survey: Survey, questions: Sequence[Question], college: str) -> str:
    """Return a fingerprint of everything the results depend on (answers, questions, college).

    The survey's answers revision is read afresh (one indexed row), so an answer written by
    another process since ``survey`` was loaded changes the key.
    """
    revision = Survey.objects.filter(pk=survey.pk).values_list("answers_revision", flat=True)
    shape_of = [
        (q.pk, q.kind, q.options, q.scale_min, q.scale_max, q.text_fr, q.text_zh, q.text_en)
        for q in questions
    ]
    text = repr((survey.pk, college, list(revision), shape_of))
    return "survey-results:" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def results(survey: Survey, college: str = "") -> tuple[int, list[QuestionResult]]:
    """Count the answers per question, for all respondents or one college (cached).

    Returns the number of respondents and one :class:`QuestionResult` per question: counts per
    option (choices), per value (scales), mean rank per option (rankings), quartiles (numbers),
    the latest texts (free text) and the number of places (maps). The figures are kept in the
    default cache (shared by the server's processes) under a fingerprint of the survey's
    responses and questions, so any new or changed answer recomputes them.
    """
    questions = ordered_questions(survey)
    key = results_key(survey, questions, college)
    cached = cache.get(key)
    if cached is None:
        cached = compute_results(survey, questions, college)
        cache.set(key, cached, RESULTS_SECONDS)
    total, rows = cached
    by_id = {q.pk: q for q in questions}
    for row in rows:
        row.question = by_id[row.question.pk]  # the active language's texts
    return total, rows


def compute_results(
    survey: Survey, questions: Sequence[Question], college: str = ""
) -> tuple[int, list[QuestionResult]]:
    """Count the answers in SQL: one grouped scan, the numbers, the latest texts."""
    kinds = {q.pk: q.kind for q in questions}
    answers = Answer.objects.filter(question_id__in=list(kinds))
    if college:
        answers = answers.filter(college=college)
    total = responses_of(survey, college).count()
    scale_ids = [pk for pk, kind in kinds.items() if kind == Kind.SCALE]
    grouped = (
        answers.annotate(
            value=Case(When(question_id__in=scale_ids, then=F("number")), default=Value(None))
        )
        .values("question_id", "option", "value")
        .annotate(n=Count("id"), answered=Count("id", filter=Q(lead=True)), mean=Avg("rank"))
        .values_list("question_id", "option", "value", "n", "answered", "mean")
    )
    answered: dict[int, int] = defaultdict(int)
    counts: dict[int, dict[Any, float]] = defaultdict(dict)
    for qid, option, value, n, lead, mean in grouped:
        answered[qid] += lead
        kind = kinds[qid]
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            counts[qid][option] = float(n)
        elif kind == Kind.RANKING:
            counts[qid][option] = float(mean or 0.0)
        elif kind == Kind.SCALE and value is not None:
            counts[qid][int(value)] = float(n)
    number_ids = [pk for pk, kind in kinds.items() if kind == Kind.NUMBER]
    numbers: dict[int, list[float]] = defaultdict(list)
    for qid, number in answers.filter(question_id__in=number_ids).values_list(
        "question_id", "number"
    ):
        numbers[qid].append(number)
    out: list[QuestionResult] = []
    for q in questions:
        result = QuestionResult(q, answered.get(q.pk, 0))
        if q.kind in CHOICE_KINDS:
            result.labels = list(q.options)
            result.values = [counts[q.pk].get(i, 0.0) for i in range(len(q.options))]
        elif q.kind == Kind.SCALE:
            points = range(q.scale_min, q.scale_max + 1)
            result.labels = [str(p) for p in points]
            result.values = [counts[q.pk].get(p, 0.0) for p in points]
        elif q.kind == Kind.NUMBER and numbers.get(q.pk):
            values = sorted(numbers[q.pk])
            quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
            result.stats = {
                "min": values[0],
                "q1": quartiles[0],
                "median": quartiles[1],
                "q3": quartiles[2],
                "max": values[-1],
                "mean": statistics.fmean(values),
            }
        elif q.kind == Kind.TEXT:
            result.texts = list(
                answers.filter(question_id=q.pk)
                .order_by("-id")
                .values_list("text", flat=True)[:TEXTS_SHOWN]
            )
        out.append(result)
    return total, out


def map_features(survey: Survey, college: str = "") -> dict[str, Any]:
    """Return the places given to the map questions as a GeoJSON FeatureCollection.

    The respondent is an opaque number (the response's rank in the survey), never a person.
    """
    numbers = respondent_numbers(survey)
    shown = {q.pk: i for i, q in enumerate(ordered_questions(survey), start=1)}
    answers = Answer.objects.filter(question_id__in=list(shown), geometry__isnull=False)
    if college:
        answers = answers.filter(college=college)
    features = [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "respondent": numbers.get(response_id, 0),
                "question": shown.get(question_id, 0),
                "college": response_college,
            },
        }
        for geometry, response_id, question_id, response_college in answers.values_list(
            "geometry", "response_id", "question_id", "college"
        ).order_by("response_id", "question_id")
    ]
    return {"type": "FeatureCollection", "features": features}


def respondent_numbers(survey: Survey) -> dict[int, int]:
    """Map each response id to an opaque respondent number (1, 2, … in order of answering)."""
    ids = Response.objects.filter(survey=survey).order_by("id").values_list("id", flat=True)
    return {pk: i for i, pk in enumerate(ids, start=1)}
