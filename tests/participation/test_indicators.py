"""Participation indicators: each value computed by hand from a small set of tables."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ecocite.data.contract import TIDY_VALUE_COLUMNS
from ecocite.participation.indicators import (
    INDICATORS,
    IndicatorInputError,
    ParticipationTables,
    compute,
    participation_values,
)


def _tables(**changes: object) -> ParticipationTables:
    processes = pd.DataFrame(
        {
            "process": [1, 2, 3, 4],
            # 1: ideas close 2024-03-31, decision 2024-06-01 → upstream
            # 2: ideas close 2024-09-30, decision 2024-09-01 → ideas came after the decision
            # 3: no ideas phase, decision 2024-12-01 → not upstream
            # 4: decision in 2025 → not counted for 2024
            "decision_planned_on": ["2024-06-01", "2024-09-01", "2024-12-01", "2025-02-01"],
        }
    )
    phases = pd.DataFrame(
        {
            "process": [1, 1, 2, 3, 4],
            "ends_at": [
                "2024-02-01T00:00Z",
                "2024-03-31T12:00Z",
                "2024-09-30T00:00Z",
                "2024-05-01T00:00Z",
                "2024-12-01T00:00Z",
            ],
            "opens_propose": [True, True, True, False, True],
        }
    )
    proposals = pd.DataFrame(
        {
            "proposal": [10, 11, 12, 13, 14],
            "process": [1, 1, 2, 2, 1],
            "created_at": [
                "2024-01-01T00:00Z",  # answered after 10 days
                "2024-01-02T00:00Z",  # answered after 31 days
                "2024-03-01T00:00Z",  # answered after 2.5 days
                "2024-04-01T00:00Z",  # not answered
                "2023-12-30T00:00Z",  # another year: left out
            ],
        }
    )
    answers = pd.DataFrame(
        {
            "proposal": [10, 11, 12, 12, 14],
            "answered_at": [
                "2024-01-11T00:00Z",
                "2024-02-02T00:00Z",
                "2024-03-03T12:00Z",
                "2024-05-01T00:00Z",  # a later answer: the first one counts
                "2024-01-05T00:00Z",
            ],
        }
    )
    participants = pd.DataFrame({"participant": [1, 2, 3, 3, 4, None]})
    fields: dict[str, object] = {
        "processes": processes,
        "phases": phases,
        "proposals": proposals,
        "answers": answers,
        "participants": participants,
        "population": 8000,
    }
    fields.update(changes)
    return ParticipationTables(**fields)  # type: ignore[arg-type]


def test_each_indicator_matches_the_hand_computation() -> None:
    values, facts = compute(_tables(), 2024)
    # 4 distinct participants for 8,000 residents → 0.5 per 1,000
    assert values["participants_per_1000_residents"] == pytest.approx(0.5)
    # 3 of the 4 proposals of 2024 answered
    assert values["proposals_answered_share"] == pytest.approx(75.0)
    # median of 10, 31 and 2.5 days
    assert values["median_days_to_answer"] == pytest.approx(10.0)
    # of processes 1, 2, 3 (decision in 2024) only 1 closed ideas before its decision
    assert values["upstream_process_share"] == pytest.approx(100 / 3)
    assert facts["processes_deciding"] == 3 and facts["processes_upstream"] == 1
    assert "in_person_contribution_share" not in values
    assert "workshops" in facts["left_out"]["in_person_contribution_share"]


def test_in_person_share_counts_only_the_known_channels() -> None:
    tables = _tables()
    proposals = tables.proposals.assign(in_person=[True, None, False, True, True])
    values, _facts = compute(_tables(proposals=proposals), 2024)
    # of 2024's proposals, 3 have a known channel (10, 12, 13), 2 of them in person
    assert values["in_person_contribution_share"] == pytest.approx(200 / 3)
    empty = tables.proposals.assign(in_person=[None] * 5)
    values, facts = compute(_tables(proposals=empty), 2024)
    assert "in_person_contribution_share" not in values
    assert facts["left_out"]["in_person_contribution_share"]


def test_values_that_cannot_be_computed_are_left_out_with_the_reason() -> None:
    values, facts = compute(_tables(population=None), 2023)
    assert "participants_per_1000_residents" not in values
    # 2023: one proposal (14), answered after 6 days; no process deciding in 2023
    assert values["proposals_answered_share"] == 100.0
    assert values["median_days_to_answer"] == pytest.approx(6.0)
    assert set(facts["left_out"]) == {
        "participants_per_1000_residents",
        "upstream_process_share",
        "in_person_contribution_share",
        # no workshops, contributors or cases tables given
        "workshops_per_process",
        "university_contributors_per_process",
        "young_professional_contributors_per_process",
        "processes_published_share",
    }
    values, facts = compute(_tables(), 2030)
    assert set(values) == {"participants_per_1000_residents"}


def test_tidy_rows_carry_units_and_provenance() -> None:
    table = participation_values(
        _tables(), city="jingzhou", year=2024, source="EcoCité consultations", as_of="2025-01-02"
    )
    assert list(table.columns) == [*TIDY_VALUE_COLUMNS, "notes"]
    assert len(table) == 4
    assert set(table["city"]) == {"jingzhou"} and set(table["year"]) == {2024}
    for row in table.itertuples():
        assert row.unit == INDICATORS[row.indicator]
        assert np.isfinite(row.value)
        provenance = json.loads(row.provenance)
        assert provenance["engine"] == "ecocite.participation.indicators"
        assert provenance["as_of"] == "2025-01-02"
        assert provenance["facts"]["proposals"] == 4


def test_bad_tables_name_the_table_and_column() -> None:
    with pytest.raises(IndicatorInputError) as caught:
        compute(_tables(answers=pd.DataFrame({"proposal": [10]})), 2024)
    assert (caught.value.table, caught.value.column) == ("answers", "answered_at")
    bad = _tables().proposals.assign(created_at="yesterday")
    with pytest.raises(IndicatorInputError, match="'proposals', column 'created_at'"):
        compute(_tables(proposals=bad), 2024)
    early = pd.DataFrame({"proposal": [10], "answered_at": ["2023-01-01T00:00Z"]})
    with pytest.raises(IndicatorInputError, match="before its proposal"):
        compute(_tables(answers=early), 2024)


def test_workshops_contributors_and_cases_by_hand() -> None:
    # Running in 2024 (a phase ending in 2024): processes 1, 2, 3, 4 → 4 processes.
    workshops = pd.DataFrame(
        {
            "workshop": [1, 2, 3],
            "process": [1, 1, 2],
            "held_on": ["2024-02-10", "2024-03-15", "2023-11-01"],  # the third is another year
            "attendance_residents": [12, 8, 40],
            "attendance_universities": [2, None, 5],
        }
    )
    contributors = pd.DataFrame(
        {
            "process": [1, 1, 1, 2, 9],  # 9 did not run in 2024
            "person": [7, 7, 8, 7, 3],
            "university": [True, True, False, True, True],
            "young": [True, True, True, False, True],
        }
    )
    cases = pd.DataFrame({"process": [1, 4]})
    values, facts = compute(
        _tables(workshops=workshops, contributors=contributors, cases=cases), 2024
    )
    assert values["workshops_per_process"] == pytest.approx(2 / 4)
    assert values["workshop_attendance_residents"] == 20
    assert values["workshop_attendance_universities"] == 2
    assert "workshop_attendance_associations" not in values
    # distinct (process, person): universities (1,7), (2,7) → 2; young (1,7), (1,8) → 2
    assert values["university_contributors_per_process"] == pytest.approx(2 / 4)
    assert values["young_professional_contributors_per_process"] == pytest.approx(2 / 4)
    # closed in 2024 (last phase ends in 2024): 1, 2, 3, 4 → published 1 and 4 → 50 %
    assert values["processes_published_share"] == pytest.approx(50.0)
    assert facts["workshops_held"] == 2 and facts["processes_running"] == 4
    # Without the optional tables these indicators are simply not emitted, with the reason.
    plain, plain_facts = compute(_tables(), 2024)
    assert "workshops_per_process" not in plain
    assert plain_facts["left_out"]["processes_published_share"] == "no cases table"
    with pytest.raises(IndicatorInputError, match="attendance_residents"):
        compute(_tables(workshops=workshops.assign(attendance_residents=[-1, 0, 0])), 2024)


def test_proposals_without_any_answer_yet() -> None:
    no_answers = pd.DataFrame({"proposal": [], "answered_at": []})
    values, facts = compute(_tables(answers=no_answers), 2024)
    assert values["proposals_answered_share"] == 0.0
    assert facts["left_out"]["median_days_to_answer"] == "no proposal of the year answered yet"
