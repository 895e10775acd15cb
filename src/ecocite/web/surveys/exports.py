"""Answers of a survey as CSV or XLSX (one row per respondent) and its places as GeoJSON.

No personal data: a respondent is an opaque number (1, 2, … in order of answering) with the
college they gave. Text that a spreadsheet would run as a formula is defused
(:func:`ecocite.cells.neutralise`).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

from ecocite.cells import neutralise
from ecocite.web.surveys.models import Answer, Kind, Question, Response, Survey
from ecocite.web.surveys.services import ordered_questions, respondent_numbers


def _cell(question: Question, rows: list[Answer]) -> Any:
    if not rows:
        return ""
    if question.kind == Kind.SINGLE:
        return question.options[rows[0].option or 0]
    if question.kind == Kind.MULTIPLE:
        return "; ".join(question.options[r.option or 0] for r in rows)
    if question.kind == Kind.RANKING:
        ordered = sorted(rows, key=lambda r: r.rank or 0)
        return " > ".join(question.options[r.option or 0] for r in ordered)
    if question.kind in (Kind.SCALE, Kind.NUMBER):
        return rows[0].number
    if question.kind == Kind.MAP:
        return json.dumps(rows[0].geometry, separators=(",", ":"))
    return rows[0].text


def answer_table(survey: Survey, college: str = "") -> tuple[list[str], list[list[Any]]]:
    """Return the header and one row per respondent (cells already defused)."""
    questions = ordered_questions(survey)
    header = ["respondent", "college", "illustrative"] + [
        f"Q{i}. {q.text}" for i, q in enumerate(questions, start=1)
    ]
    numbers = respondent_numbers(survey)
    responses = Response.objects.filter(survey=survey).order_by("id")
    if college:
        responses = responses.filter(college=college)
    by_response: dict[int, dict[int, list[Answer]]] = defaultdict(lambda: defaultdict(list))
    answers = Answer.objects.filter(response__in=responses).order_by("id")
    for answer in answers.only(
        "response_id", "question_id", "option", "rank", "number", "text", "geometry"
    ):
        by_response[answer.response_id][answer.question_id].append(answer)
    table = []
    for response in responses.only("id", "college", "illustrative"):
        cells = by_response.get(response.pk, {})
        table.append(
            [numbers[response.pk], response.college, response.illustrative or survey.illustrative]
            + [_cell(q, cells.get(q.pk, [])) for q in questions]
        )
    return [neutralise(h) for h in header], [[neutralise(c) for c in row] for row in table]


def answers_csv(survey: Survey, college: str = "") -> str:
    """Write the answers as CSV text."""
    header, rows = answer_table(survey, college)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def answers_xlsx(survey: Survey, college: str = "") -> bytes:
    """Write the answers as an XLSX workbook (one sheet)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(value: Any) -> Any:
        # Control characters cannot be stored in XLSX: they are dropped (the CSV keeps them).
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    header, rows = answer_table(survey, college)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("answers")
    sheet.append([clean(h) for h in header])
    for row in rows:
        sheet.append([clean(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
