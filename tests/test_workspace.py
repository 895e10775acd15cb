"""The local workspace keeps imports whole or not at all, and keeps history."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from ecocite.data import data_hash, read_indicator_table
from ecocite.demo import demo_cities
from ecocite.frameworks import Framework
from ecocite.workspace import Workspace


def _values(tiny: Framework, tidy, city: str, value: float):  # type: ignore[no-untyped-def]
    return read_indicator_table(
        tidy([(city, 2020, "co2_per_capita", value, "t/person")]), framework=tiny
    )


def test_later_import_supersedes_and_history_is_kept(tmp_path: Path, tiny: Framework, tidy) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(tmp_path)
    ws.add_city(demo_cities()[0])
    city = demo_cities()[0].id
    for value in (5.0, 4.0):
        v = _values(tiny, tidy, city, value)
        ws.import_values(v, file="f.csv", framework=tiny.key, data_hash=data_hash(v))
    assert ws.values()["value"].tolist() == [4.0]
    assert len(ws.imports()) == 2
    with sqlite3.connect(ws.path) as db:
        assert db.execute("SELECT COUNT(*) FROM value").fetchone()[0] == 2


def test_an_import_that_fails_midway_writes_nothing(tmp_path: Path, tiny: Framework, tidy) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(tmp_path)
    ws.add_city(demo_cities()[0])
    good = _values(tiny, tidy, demo_cities()[0].id, 5.0)
    unknown_city = _values(
        tiny, tidy, "atlantis", 3.0
    )  # validated without a registry: the store refuses it
    both = pd.concat([good, unknown_city], ignore_index=True)
    with pytest.raises(sqlite3.IntegrityError):
        ws.import_values(both, file="f.csv", framework=tiny.key, data_hash=data_hash(both))
    assert ws.values().empty and ws.imports().empty


def test_cities_round_trip_and_refuse_duplicates(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    city = demo_cities()[1]
    ws.add_city(city)
    assert ws.city(city.id) == city
    with pytest.raises(ValueError, match="already in the registry"):
        ws.add_city(city)
    ws.add_city(city, replace=True)
    assert ws.city_ids() == [city.id]
