"""A local workspace: one SQLite file holding the city registry, imported values and assessments.

This is the embedded default for the command line and notebooks (the web platform keeps the same
things in its own database). Every import is one transaction: it is written whole or not at all.
Values are never overwritten: a later import of the same city, year and indicator supersedes the
earlier one, which stays in the history with its import record.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ecocite.assessment.model import Assessment
from ecocite.cities.model import RegistryCity

SCHEMA = """
CREATE TABLE IF NOT EXISTS city (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS import (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file TEXT NOT NULL, framework TEXT NOT NULL, rows INTEGER NOT NULL,
    data_hash TEXT NOT NULL, imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS value (
    import_id INTEGER NOT NULL REFERENCES import(id),
    city TEXT NOT NULL REFERENCES city(id), year INTEGER NOT NULL, indicator TEXT NOT NULL,
    value REAL NOT NULL, unit TEXT NOT NULL, original_value REAL NOT NULL, original_unit TEXT NOT NULL,
    source TEXT NOT NULL, quality TEXT NOT NULL, verified INTEGER NOT NULL, provenance TEXT NOT NULL,
    row INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS value_key ON value (city, year, indicator, import_id);
CREATE TABLE IF NOT EXISTS assessment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    city TEXT NOT NULL, year INTEGER NOT NULL, stage TEXT NOT NULL, framework TEXT NOT NULL,
    data_hash TEXT NOT NULL, created_at TEXT NOT NULL, body TEXT NOT NULL
);
"""

VALUE_COLUMNS = (
    "city", "year", "indicator", "value", "unit", "original_value", "original_unit",
    "source", "quality", "verified", "provenance", "row",
)  # fmt: skip


def default_home() -> Path:
    """``$ECOCITE_HOME``, else ``~/.ecocite``."""
    return Path(os.environ.get("ECOCITE_HOME") or Path.home() / ".ecocite")


class Workspace:
    """The registry, values and assessments kept in ``<home>/ecocite.sqlite3``."""

    def __init__(self, home: str | Path | None = None):
        self.home = Path(home) if home is not None else default_home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.path = self.home / "ecocite.sqlite3"
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA foreign_keys = ON")
        try:
            with db:  # one transaction: commit on success, roll back on any error
                yield db
        finally:
            db.close()

    # cities -----------------------------------------------------------------------------------
    def add_city(self, city: RegistryCity, *, replace: bool = False) -> None:
        with self._connect() as db:
            exists = db.execute("SELECT 1 FROM city WHERE id = ?", (city.id,)).fetchone()
            if exists and not replace:
                raise ValueError(f"city {city.id!r} is already in the registry (use replace)")
            db.execute(
                "INSERT OR REPLACE INTO city VALUES (?, ?)", (city.id, city.model_dump_json())
            )

    def cities(self) -> list[RegistryCity]:
        with self._connect() as db:
            rows = db.execute("SELECT body FROM city ORDER BY id").fetchall()
        return [RegistryCity.model_validate_json(body) for (body,) in rows]

    def city(self, city_id: str) -> RegistryCity:
        with self._connect() as db:
            row = db.execute("SELECT body FROM city WHERE id = ?", (city_id,)).fetchone()
        if row is None:
            raise KeyError(city_id)
        return RegistryCity.model_validate_json(row[0])

    def city_ids(self) -> list[str]:
        with self._connect() as db:
            return [r[0] for r in db.execute("SELECT id FROM city ORDER BY id")]

    # values -----------------------------------------------------------------------------------
    def import_values(
        self, values: pd.DataFrame, *, file: str, framework: str, data_hash: str
    ) -> int:
        """Store a validated canonical table in one transaction; returns the import id."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO import (file, framework, rows, data_hash, imported_at) VALUES (?, ?, ?, ?, ?)",
                (file, framework, len(values), data_hash, now),
            )
            import_id = int(cur.lastrowid or 0)
            records = values[list(VALUE_COLUMNS)].astype(object).itertuples(index=False, name=None)
            db.executemany(
                f"INSERT INTO value (import_id, {', '.join(VALUE_COLUMNS)}) VALUES (?{', ?' * len(VALUE_COLUMNS)})",
                ((import_id, *_plain(r)) for r in records),
            )
        return import_id

    def values(self, *, city: str | None = None) -> pd.DataFrame:
        """The current values: for each city, year and indicator, the row of the latest import."""
        query = f"""
            SELECT v.{", v.".join(VALUE_COLUMNS)}, v.import_id FROM value v
            JOIN (SELECT city, year, indicator, MAX(import_id) AS latest FROM value GROUP BY 1, 2, 3) last
              ON v.city = last.city AND v.year = last.year AND v.indicator = last.indicator
             AND v.import_id = last.latest
        """
        params: tuple[str, ...] = ()
        if city is not None:
            query += " WHERE v.city = ?"
            params = (city,)
        with self._connect() as db:
            frame = pd.read_sql_query(
                query + " ORDER BY v.city, v.year, v.indicator", db, params=params
            )
        frame["verified"] = frame["verified"].astype(bool)
        return frame

    def imports(self) -> pd.DataFrame:
        with self._connect() as db:
            return pd.read_sql_query("SELECT * FROM import ORDER BY id", db)

    # assessments ------------------------------------------------------------------------------
    def save_assessment(self, assessment: Assessment) -> int:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO assessment (city, year, stage, framework, data_hash, created_at, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    assessment.city,
                    assessment.year,
                    assessment.stage,
                    f"{assessment.framework_id}@{assessment.framework_version}",
                    assessment.data_hash,
                    now,
                    assessment.model_dump_json(),
                ),
            )
            return int(cur.lastrowid or 0)

    def assessments(self, *, city: str | None = None) -> list[Assessment]:
        query = "SELECT body FROM assessment"
        params: tuple[str, ...] = ()
        if city is not None:
            query, params = query + " WHERE city = ?", (city,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY city, year, id", params).fetchall()
        return [Assessment.model_validate_json(body) for (body,) in rows]


def _plain(record: tuple[object, ...]) -> tuple[object, ...]:
    """numpy scalars → Python scalars for sqlite3."""
    return tuple(x.item() if hasattr(x, "item") else x for x in record)
