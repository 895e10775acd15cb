"""Participation indicators from a platform's exported tables, as tidy indicator values.

Five indicators of how a city consults its residents, computed for one city and one year from
plain tables (pandas frames; the web platform exports them from its consultations, any other
platform can write the same columns):

``participants_per_1000_residents`` (``1/thousand_persons``)
    Distinct participants of the year per 1,000 residents.
``proposals_answered_share`` (``%``)
    Of the proposals submitted in the year, the share with an official answer (as of the export).
``median_days_to_answer`` (``day``)
    Median time from submission to official answer, over the year's answered proposals.
``upstream_process_share`` (``%``)
    Of the processes whose decision was planned in the year, the share whose ideas phase (the
    last phase opening proposals) closed before the decision date: consulted *upstream*.
``in_person_contribution_share`` (``%``)
    Of the year's proposals whose channel is known, the share made in person (at a workshop).
    The column ``in_person`` is filled by the workshops feature; while it is absent or empty no
    value is emitted (never a made-up 0), and the provenance says why.

Input tables and their columns (extra columns are ignored):

- ``processes``: ``process`` (id), ``decision_planned_on`` (date, may be empty);
- ``phases``: ``process``, ``ends_at``, ``opens_propose`` (bool);
- ``proposals``: ``proposal`` (id), ``process``, ``created_at``; optional ``in_person``
  (bool, empty when unknown);
- ``answers``: ``proposal``, ``answered_at`` (the first official answer);
- ``participants``: ``participant`` (one row per distinct person who proposed, commented or
  supported in the year; anonymous contributions cannot be told apart and are not counted);
- the city's population (residents), a number.

A value that cannot be computed (no proposal that year, no population) is left out, and the
provenance of the values given lists what was left out and why. This module imports nothing
from the web.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ecocite.data.contract import TIDY_VALUE_COLUMNS

ENGINE = "ecocite.participation.indicators"
ENGINE_VERSION = "1"

#: indicator id → unit (pint, as the frameworks write it).
INDICATORS: dict[str, str] = {
    "participants_per_1000_residents": "1/thousand_persons",
    "proposals_answered_share": "%",
    "median_days_to_answer": "day",
    "upstream_process_share": "%",
    "in_person_contribution_share": "%",
    "workshops_per_process": "dimensionless",
    "workshop_attendance_residents": "person",
    "workshop_attendance_associations": "person",
    "workshop_attendance_professionals": "person",
    "workshop_attendance_universities": "person",
    "workshop_attendance_decision_makers": "person",
    "university_contributors_per_process": "dimensionless",
    "young_professional_contributors_per_process": "dimensionless",
    "processes_published_share": "%",
}

#: the member colleges whose workshop attendance is counted (columns ``attendance_<college>``).
COLLEGES = ("residents", "associations", "professionals", "universities", "decision_makers")

#: table → the columns it must have.
REQUIRED: dict[str, tuple[str, ...]] = {
    "processes": ("process", "decision_planned_on"),
    "phases": ("process", "ends_at", "opens_propose"),
    "proposals": ("proposal", "process", "created_at"),
    "answers": ("proposal", "answered_at"),
    "participants": ("participant",),
}

DAY_SECONDS = 86_400.0


class IndicatorInputError(ValueError):
    """A table lacks a column or holds a value that cannot be read; nothing was computed."""

    def __init__(self, table: str, column: str, problem: str) -> None:
        self.table, self.column, self.problem = table, column, problem
        super().__init__(f"table {table!r}, column {column!r}: {problem}")


@dataclass(frozen=True)
class ParticipationTables:
    """The exported tables (see the module's documentation for their columns)."""

    processes: pd.DataFrame
    phases: pd.DataFrame
    proposals: pd.DataFrame
    answers: pd.DataFrame
    participants: pd.DataFrame
    population: float | None
    #: optional: ``workshop``, ``process``, ``held_on`` (date), ``attendance_<college>`` (counts)
    workshops: pd.DataFrame | None = None
    #: optional: ``process``, ``person``, ``university`` (bool), ``young`` (bool) — accepted
    #: contributors answering the process's calls
    contributors: pd.DataFrame | None = None
    #: optional: ``process`` — the processes published as cases in the library
    cases: pd.DataFrame | None = None
    #: when the tables were exported: a process whose last phase ends later has not closed yet
    exported_at: pd.Timestamp | None = None


def _check(tables: ParticipationTables) -> None:
    for name, columns in REQUIRED.items():
        frame = getattr(tables, name)
        for column in columns:
            if column not in frame.columns:
                raise IndicatorInputError(name, column, "required column is missing")


def _times(frame: pd.DataFrame, table: str, column: str) -> pd.Series:
    try:
        return pd.to_datetime(frame[column], utc=True, errors="raise", format="ISO8601")
    except (ValueError, TypeError) as err:
        raise IndicatorInputError(table, column, f"not a date or time ({err})") from err


def _in_year(times: pd.Series, year: int) -> pd.Series:
    return times.dt.year == year


def _answer_times(tables: ParticipationTables) -> pd.Series:
    """First answer time per proposal id."""
    answers = tables.answers.assign(answered_at=_times(tables.answers, "answers", "answered_at"))
    answers = answers.dropna(subset=["answered_at"])
    return answers.groupby("proposal")["answered_at"].min()


def compute(tables: ParticipationTables, year: int) -> tuple[dict[str, float], dict[str, Any]]:
    """Compute the indicators of ``year``: values (only those computable) and the facts used.

    Returns
    -------
    values
        indicator id → value, in the units of :data:`INDICATORS`.
    facts
        The counts behind each value and, under ``"left_out"``, indicator id → why it is absent.
    """
    _check(tables)
    values: dict[str, float] = {}
    facts: dict[str, Any] = {"left_out": {}}
    left_out: dict[str, str] = facts["left_out"]

    # participants per 1,000 residents
    people = int(tables.participants["participant"].dropna().nunique())
    facts["participants"] = people
    facts["population"] = tables.population
    if tables.population is None or not np.isfinite(tables.population) or tables.population <= 0:
        left_out["participants_per_1000_residents"] = "no population for the city"
    else:
        values["participants_per_1000_residents"] = people / float(tables.population) * 1000.0

    # answers to the year's proposals
    proposals = tables.proposals.assign(
        created_at=_times(tables.proposals, "proposals", "created_at")
    )
    mine = proposals[_in_year(proposals["created_at"], year)]
    answered_at = _answer_times(tables)
    if answered_at.empty:  # pandas cannot map through an empty datetime series
        first = pd.Series(pd.NaT, index=mine.index, dtype="datetime64[ns, UTC]")
    else:
        first = mine["proposal"].map(answered_at)
    answered = mine[first.notna()]
    facts["proposals"] = len(mine)
    facts["proposals_answered"] = len(answered)
    if mine.empty:
        left_out["proposals_answered_share"] = "no proposal submitted in the year"
        left_out["median_days_to_answer"] = "no proposal submitted in the year"
    else:
        values["proposals_answered_share"] = 100.0 * len(answered) / len(mine)
        if answered.empty:
            left_out["median_days_to_answer"] = "no proposal of the year answered yet"
        else:
            delays = (first[first.notna()] - answered["created_at"]).dt.total_seconds()
            if (delays < 0).any():
                raise IndicatorInputError("answers", "answered_at", "an answer before its proposal")
            values["median_days_to_answer"] = float(np.median(delays / DAY_SECONDS))

    # upstream share: ideas closed before the decision
    planned = pd.to_datetime(tables.processes["decision_planned_on"], errors="coerce")
    processes = tables.processes.assign(decision=planned)
    decided = processes[processes["decision"].dt.year == year]
    phases = tables.phases.assign(ends_at=_times(tables.phases, "phases", "ends_at"))
    ideas = phases[phases["opens_propose"].fillna(False).astype(bool)]
    ideas_close = ideas.groupby("process")["ends_at"].max().dt.date
    facts["processes_deciding"] = len(decided)
    if decided.empty:
        left_out["upstream_process_share"] = "no process with its decision planned in the year"
    else:
        closes = decided["process"].map(ideas_close)
        upstream = [
            isinstance(close, date) and close < decision.date()
            for close, decision in zip(closes, decided["decision"], strict=True)
        ]
        facts["processes_upstream"] = int(sum(upstream))
        values["upstream_process_share"] = 100.0 * sum(upstream) / len(decided)

    # in person
    if "in_person" not in mine.columns:
        left_out["in_person_contribution_share"] = (
            "no 'in_person' column (filled once workshops record in-person contributions)"
        )
    else:
        known = mine["in_person"].dropna()
        facts["contributions_channel_known"] = len(known)
        if known.empty:
            left_out["in_person_contribution_share"] = "no contribution of the year has a channel"
        else:
            values["in_person_contribution_share"] = 100.0 * known.astype(bool).sum() / len(known)
    _communities(tables, year, phases, values, facts)
    return values, facts


def _running(phases: pd.DataFrame, year: int) -> set[Any]:
    """Return the processes with a phase in ``year`` (from its start if known, else by its end)."""
    ends = phases["ends_at"].dt.year
    if "starts_at" in phases.columns:
        starts = pd.to_datetime(phases["starts_at"], utc=True, errors="coerce").dt.year
        live = (starts.fillna(ends) <= year) & (ends >= year)
    else:
        live = ends == year
    return set(phases.loc[live, "process"])


def _communities(
    tables: ParticipationTables,
    year: int,
    phases: pd.DataFrame,
    values: dict[str, float],
    facts: dict[str, Any],
) -> None:
    """Workshops, contributors and cases: per process running in the year."""
    left_out: dict[str, str] = facts["left_out"]
    running = _running(phases, year)
    facts["processes_running"] = len(running)
    per_process = ("workshops_per_process", "university_contributors_per_process",
                   "young_professional_contributors_per_process")  # fmt: skip
    if not running:
        for name in per_process:
            left_out[name] = "no process ran in the year"
    if tables.workshops is None:
        left_out["workshops_per_process"] = "no workshops table"
    else:
        held = tables.workshops.assign(held_on=_times(tables.workshops, "workshops", "held_on"))
        held = held[_in_year(held["held_on"], year)]
        facts["workshops_held"] = len(held)
        if running:
            values["workshops_per_process"] = len(held) / len(running)
        for college in COLLEGES:
            column = f"attendance_{college}"
            if column in held.columns and held[column].notna().any():
                total = pd.to_numeric(held[column], errors="coerce")
                if (total < 0).any():
                    raise IndicatorInputError("workshops", column, "a negative attendance")
                values[f"workshop_attendance_{college}"] = float(total.fillna(0).sum())
    if tables.contributors is None:
        left_out["university_contributors_per_process"] = "no contributors table"
        left_out["young_professional_contributors_per_process"] = "no contributors table"
    elif running:
        mine = tables.contributors[tables.contributors["process"].isin(running)]
        for name, column in (("university_contributors_per_process", "university"),
                             ("young_professional_contributors_per_process", "young")):  # fmt: skip
            chosen = mine[mine[column].fillna(False).astype(bool)]
            count = len(chosen.drop_duplicates(["process", "person"]))
            facts[name.removesuffix("_per_process")] = count
            values[name] = count / len(running)
    if tables.cases is None:
        left_out["processes_published_share"] = "no cases table"
    else:
        last_end = phases.groupby("process")["ends_at"].max()
        ended = last_end.dt.year == year
        if tables.exported_at is not None:
            ended &= last_end <= pd.Timestamp(tables.exported_at)
        closed = set(last_end[ended].index)
        facts["processes_closed"] = len(closed)
        if not closed:
            left_out["processes_published_share"] = "no process closed in the year"
        else:
            published = closed & set(tables.cases["process"])
            facts["processes_published"] = len(published)
            values["processes_published_share"] = 100.0 * len(published) / len(closed)


def participation_values(
    tables: ParticipationTables,
    *,
    city: str,
    year: int,
    source: str,
    as_of: str = "",
    quality: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Compute the indicators and return them as tidy indicator values with provenance.

    Parameters
    ----------
    tables
        The exported tables.
    city, year
        The city id (registry) and the year the values describe.
    source
        Where the tables come from (e.g. "EcoCité consultations of <city>, exported <date>").
    as_of
        When the tables were exported (ISO date), recorded in the provenance.
    quality
        Data quality per indicator id (``high`` by default: the platform's own records).

    Returns
    -------
    pandas.DataFrame
        Columns ``ecocite.data.contract.TIDY_VALUE_COLUMNS`` + ``notes``; one row per computed
        indicator, none for those that cannot be computed.
    """
    values, facts = compute(tables, year)
    rows = []
    for indicator, value in values.items():
        provenance = {
            "engine": ENGINE,
            "engine_version": ENGINE_VERSION,
            "year": year,
            "as_of": as_of,
            "facts": facts,
        }
        rows.append(
            {
                "city": city,
                "year": int(year),
                "indicator": indicator,
                "value": float(value),
                "unit": INDICATORS[indicator],
                "source": source,
                "quality": (quality or {}).get(indicator, "high"),
                "verified": False,
                "provenance": json.dumps(provenance, ensure_ascii=False, default=str),
                "notes": "",
            }
        )
    return pd.DataFrame(rows, columns=[*TIDY_VALUE_COLUMNS, "notes"])
