"""Fuzzing the readers (issue 9): generated files with the required columns present raise
nothing but the project's own errors (DataImportError, ValidationFailed, FrameworkError)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecocite.carbon import ValidationFailed, read_activity
from ecocite.carbon.activity import OPTIONAL, REQUIRED
from ecocite.data import (
    TIDY_OPTIONAL_COLUMNS,
    TIDY_REQUIRED_COLUMNS,
    DataImportError,
    read_indicator_table,
)
from ecocite.frameworks import Framework, FrameworkError, parse_framework
from ecocite.units import UnitError, check_unit_expression, parse_unit

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

nasty = st.sampled_from(["9**9**9", "m**99999", "[" * 2000, "{" * 50, "1e400", "-inf", "nan",
                         "=cmd|' /C calc'!A0", "\u202e", "'", '"', ";", "", " ", "2020.5", "99999",
                         "%", "t/person", "kg", "green_cover", "jingzhou", "yes", "high", "I.3.1",
                         "fuel", "t", "lignite", "NO", "city", "City "])  # fmt: skip
cell = st.one_of(st.text(max_size=15), nasty)


def _header(required: tuple[str, ...], optional: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """The required columns (in any case and spacing), some optional ones, and odd extra names."""
    spelled = st.sampled_from(["{}", "{} ", " {}", "{}".upper()])
    extra = st.lists(st.one_of(st.sampled_from([*required, *optional]), st.text(max_size=6)),
                     max_size=3)  # fmt: skip
    return st.tuples(
        st.permutations(required), st.lists(st.sampled_from(optional), max_size=3), extra, spelled
    ).map(lambda t: [t[3].format(c) if c else c for c in [*t[0], *t[1], *t[2]]])


def _table(required: tuple[str, ...], optional: tuple[str, ...]) -> st.SearchStrategy:
    return _header(required, optional).flatmap(
        lambda header: st.tuples(
            st.just(header),
            st.lists(st.lists(cell, min_size=len(header), max_size=len(header) + 1), max_size=5),
        )
    )


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    if path.suffix == ".json":
        records = [dict(zip(header, row, strict=False)) for row in rows]
        path.write_text(json.dumps(records), encoding="utf-8")
    elif path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in [header, *rows]:
            # openpyxl refuses control characters in cells; a spreadsheet cannot hold them either
            book.active.append([v for v in row if v is not None] and
                               ["".join(ch for ch in v if ch >= " ") for v in row])  # fmt: skip
        book.save(path)
    else:
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@FUZZ
@given(table=_table(TIDY_REQUIRED_COLUMNS, TIDY_OPTIONAL_COLUMNS),
       suffix=st.sampled_from([".csv", ".csv", ".json", ".xlsx"]))  # fmt: skip
def test_tidy_reader_raises_only_its_own_error(
    tiny: Framework, tmp_path: Path, table: tuple, suffix: str
) -> None:
    path = _write(tmp_path / f"fuzz{suffix}", *table)
    try:
        values = read_indicator_table(path, framework=tiny)
    except DataImportError as exc:
        assert exc.errors and all(e.file == str(path) and e.message for e in exc.errors)
    else:
        assert values["value"].notna().all()


@FUZZ
@given(table=_table(REQUIRED, OPTIONAL), suffix=st.sampled_from([".csv", ".csv", ".xlsx"]))
def test_activity_reader_raises_only_its_own_error(
    tmp_path: Path, table: tuple, suffix: str
) -> None:
    path = _write(tmp_path / f"fuzz{suffix}", *table)
    try:
        read_activity(path)
    except ValidationFailed as exc:
        assert exc.errors and all(e.file == path.name and e.message for e in exc.errors)


scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                   st.text(max_size=10), nasty)  # fmt: skip
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                     st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=12)  # fmt: skip


@FUZZ
@given(data=st.fixed_dictionaries(
    {"id": scalar, "version": scalar, "name": value, "grading": value, "categories": value},
    optional={"stages": value, "description": value, "publisher": value},
))  # fmt: skip
def test_framework_reader_raises_only_its_own_error(data: dict) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        parse_framework(text, filename="fuzz.yaml")
    except FrameworkError as exc:
        assert exc.issues and all(i.file == "fuzz.yaml" for i in exc.issues)


@FUZZ
@given(text=st.one_of(st.text(max_size=30), nasty,
                      st.text(alphabet="mkgt*/^()0123456789 -.e%", max_size=30)))  # fmt: skip
def test_unit_grammar_refuses_or_pint_reads_it(text: str) -> None:
    try:
        check_unit_expression(text)
    except UnitError as exc:
        assert exc.message_id in {"unit.syntax", "unit.unknown"}
        return
    try:
        parse_unit(text)
    except UnitError as exc:  # a well-formed expression pint still cannot make a unit of
        assert exc.message_id in {"unit.syntax", "unit.unknown"}
