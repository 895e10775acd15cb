"""Import an uploaded file: checks of size and type, the engine's validation, then one transaction.

Nothing here validates indicator values: ``ecocite.data.read_indicator_table`` does, and its
row errors are passed on unchanged. This module only adds what a web upload needs on top.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from ecocite.data import (
    TIDY_VALUE_COLUMNS,
    DataImportError,
    RowError,
    data_hash,
    read_indicator_table,
)
from ecocite.data.contract import InputRejected
from ecocite.data.limits import Limits, run_limited
from ecocite.frameworks.schema import Framework
from ecocite.web.cities.models import City
from ecocite.web.datasets.models import Dataset, DatasetEvent, IndicatorValue
from ecocite.web.frameworks.registry import framework_by_key

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".json")
# First bytes a file of each type starts with (XLSX is a zip archive).
_ZIP_MAGIC = b"PK\x03\x04"


def check_upload(name: str, content: bytes) -> None:
    """Refuse files that are too big or not what their name says, before any parsing."""
    suffix = Path(name).suffix.lower()
    problem: tuple[str, dict[str, str | int]] | None = None
    if suffix not in ALLOWED_SUFFIXES:
        problem = ("file.unsupported_type", {"suffix": suffix, "expected": "CSV, XLSX or JSON"})
    elif len(content) > settings.UPLOAD_MAX_BYTES:
        problem = ("file.too_big", {"size": len(content), "limit": settings.UPLOAD_MAX_BYTES})
    elif len(content) == 0:
        problem = ("file.empty", {})
    elif suffix == ".xlsx" and not content.startswith(_ZIP_MAGIC):
        problem = ("file.not_xlsx", {})
    elif suffix in (".csv", ".json"):
        nul = content.find(b"\x00")  # the whole file: PostgreSQL refuses NUL in any text
        if content.startswith(_ZIP_MAGIC) or nul >= 0:
            problem = ("file.binary", {"offset": max(nul, 0)})
        else:
            try:
                content.decode("utf-8-sig")
            except UnicodeDecodeError:
                problem = ("file.not_utf8", {})
    if problem is not None:
        raise DataImportError([RowError(name, None, "(file)", problem[0], problem[1])])


def validate_upload(name: str, content: bytes, *, city: City, framework_key: str) -> pd.DataFrame:
    """Return the engine-validated table of a city's upload; DataImportError lists every problem."""
    check_upload(name, content)
    return _read(name, content, framework_key=framework_key, cities=[city.slug])


def parse_limits() -> Limits:
    """Return the time and memory limits of a parse (``ECOCITE_UPLOAD_PARSE_*`` settings)."""
    return Limits(seconds=settings.UPLOAD_PARSE_SECONDS, memory_mb=settings.UPLOAD_PARSE_MEMORY_MB)


def _read(name: str, content: bytes, *, framework_key: str, cities: Iterable[str]) -> pd.DataFrame:
    """Return the validated table, parsed in a child process held to :func:`parse_limits`."""
    framework = framework_by_key(framework_key)  # the child never touches the database
    try:
        return run_limited(
            _parse,
            name,
            content,
            framework,
            list(cities),
            settings.UPLOAD_MAX_ROWS,
            file=name,
            limits=parse_limits(),
        )
    except DataImportError:
        raise
    except InputRejected as exc:  # a limit stopped the parse
        raise DataImportError(exc.errors) from None


def _parse(
    name: str, content: bytes, framework: Framework, cities: list[str], max_rows: int
) -> pd.DataFrame:
    """Parse and validate in the child process (see :func:`ecocite.data.limits.run_limited`)."""
    try:
        with tempfile.TemporaryDirectory(prefix="ecocite-upload-") as folder:
            path = Path(folder) / f"upload{Path(name).suffix.lower()}"
            path.write_bytes(content)
            return read_indicator_table(
                path, framework=framework, cities=cities, name=name, max_rows=max_rows
            )
    except InputRejected as exc:
        raise DataImportError(exc.errors) from None


@contextmanager
def files_removed_on_failure() -> Iterator[list[FieldFile]]:
    """Delete again the files saved inside the block if the block fails.

    Put it *outside* ``transaction.atomic()``: the database rolls back first, then the files
    go, so a failed upload leaves neither a row nor an orphan file in media.
    """
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        for file in stored:
            if file.name:
                file.storage.delete(file.name)
        raise


def import_upload(
    name: str,
    content: bytes,
    *,
    city: City,
    framework_key: str,
    user: object | None,
    illustrative: bool = False,
) -> Dataset:
    """Validate then keep an upload, all or nothing, with who uploaded it and when."""
    table = validate_upload(name, content, city=city, framework_key=framework_key)
    with files_removed_on_failure() as stored, transaction.atomic():
        return _keep(
            table,
            name,
            content,
            stored=stored,
            city=city,
            framework_key=framework_key,
            user=user,
            illustrative=illustrative,
        )


def import_table(
    name: str,
    content: bytes,
    *,
    framework_key: str,
    user: object | None = None,
    illustrative: bool = False,
) -> list[Dataset]:
    """Import a table covering several cities, all or nothing.

    Validate a table that may cover several of the platform's cities, then keep one dataset
    per city, all in one transaction: the file is imported whole or not at all.

    This is the command line's ``ecocite data import``; each dataset is the same record a web
    upload of that city's rows would make (the original file is kept with each).
    """
    check_upload(name, content)
    cities = {c.slug: c for c in City.objects.only("pk", "slug")}
    table = _read(name, content, framework_key=framework_key, cities=cities)
    with files_removed_on_failure() as stored, transaction.atomic():
        return [
            _keep(
                table[table["city"] == slug],
                name,
                content,
                stored=stored,
                city=cities[slug],
                framework_key=framework_key,
                user=user,
                illustrative=illustrative,
            )
            for slug in sorted(set(table["city"]))
        ]


def _keep(
    table: pd.DataFrame,
    name: str,
    content: bytes,
    *,
    stored: list[FieldFile],
    city: City,
    framework_key: str,
    user: object | None,
    illustrative: bool,
) -> Dataset:
    """Write one city's validated rows as a dataset; the caller holds the transaction."""
    years = sorted({int(y) for y in table["year"]})
    dataset = Dataset(
        city=city,
        framework_key=framework_by_key(framework_key).key,
        original_name=Path(name).name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        data_hash=data_hash(table),
        rows=len(table),
        years=",".join(str(y) for y in years)[:200],
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        illustrative=illustrative,
    )
    dataset.file.save(Path(name).name, ContentFile(content), save=False)
    stored.append(dataset.file)
    dataset.save()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                dataset=dataset,
                city=city,
                year=int(r["year"]),
                indicator=r["indicator"],
                value=float(r["value"]),
                unit=r["unit"],
                original_value=float(r["original_value"]),
                original_unit=r["original_unit"],
                source=r["source"],
                quality=r["quality"],
                verified=bool(r["verified"]),
                provenance=r["provenance"] or "",
                row=int(r["row"]),
            )
            for r in _records(table)
        ],
        batch_size=1000,
    )
    return dataset


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in table.to_dict("records")]


VALUE_COLUMNS = list(TIDY_VALUE_COLUMNS)


def current_values(city: City, *, year: int | None = None) -> pd.DataFrame:
    """Return the city's values, tidy; for each year and indicator the latest upload wins."""
    # Values of withdrawn or replaced datasets no longer count (frozen runs keep their snapshot).
    rows = IndicatorValue.objects.filter(
        city=city, dataset__withdrawn_at__isnull=True, dataset__replaced_by__isnull=True
    )
    if year is not None:
        rows = rows.filter(year=year)
    records = list(
        rows.order_by("year", "indicator", "-dataset__uploaded_at", "-dataset_id").values(
            "year", "indicator", "value", "unit", "source", "quality", "verified", "provenance"
        )
    )
    frame = pd.DataFrame.from_records(records, columns=VALUE_COLUMNS[1:])
    frame = frame.drop_duplicates(["year", "indicator"], keep="first")
    frame.insert(0, "city", city.slug)
    return frame.reset_index(drop=True)


def read_capped(uploaded: Any) -> bytes:
    """Read an uploaded file, at most one byte past the size limit.

    Read an uploaded file, at most one byte past the limit (enough for check_upload to refuse
    it) so an oversized upload is never loaded whole into memory.
    """
    return bytes(uploaded.read(settings.UPLOAD_MAX_BYTES + 1))


def enter_values(
    rows: list[dict[str, str]],
    *,
    city: City,
    framework_key: str,
    user: object | None,
    name: str = "manual-entry.csv",
) -> Dataset:
    """Keep a few values typed in a form, validated exactly as an imported file's rows are.

    ``rows`` hold the tidy columns as text (``city`` is set here); the engine's
    ``read_indicator_table`` checks them (a table, not a file: row 1 is the first value) and
    DataImportError lists every problem. The rows are kept as a dataset whose file is their CSV.
    """
    frame = pd.DataFrame(
        [{**row, "city": city.slug} for row in rows], columns=list(TIDY_VALUE_COLUMNS[:-1])
    ).fillna("")
    table = read_indicator_table(
        frame, framework=framework_by_key(framework_key), cities=[city.slug], name=name
    )
    content = frame.to_csv(index=False).encode("utf-8")
    with files_removed_on_failure() as stored, transaction.atomic():
        dataset = _keep(
            table,
            name,
            content,
            stored=stored,
            city=city,
            framework_key=framework_key,
            user=user,
            illustrative=False,
        )
        DatasetEvent.objects.create(
            dataset=dataset,
            action=DatasetEvent.Action.ENTERED,
            user=user if getattr(user, "is_authenticated", False) else None,
        )
    return dataset
