"""Carbon pages' glue: checks of an upload, then the engine (``ecocite.carbon``) does the work.

Nothing here computes emissions or pathways: the activity file goes through
``read_activity``/``compute_inventory``, the pathway through ``pathway_base``/``run_pathway``/
``monte_carlo``, and the indicator values through the same import as a dataset upload.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ecocite.carbon import (
    ActivityData,
    CityContext,
    Inventory,
    ValidationFailed,
    compute_inventory,
    demo_contexts,
    indicator_values,
    read_activity,
    write_inventory_xlsx,
)
from ecocite.data import DataImportError, RowError
from ecocite.web.carbon.models import CarbonInventory
from ecocite.web.cities.models import City
from ecocite.web.core.row_errors import ShownError, shown_errors
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import check_upload, files_removed_on_failure, import_upload

ACTIVITY_SUFFIXES = (".csv", ".xlsx")
GWP_SETS = ("ar5", "ar6")


class ActivityRejected(Exception):
    """An activity upload refused as a whole; ``errors`` in the engines' one RowError shape."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s)")

    @property
    def problems(self) -> list[ShownError]:
        """The error table's rows, in the active language (at most a page's worth)."""
        return shown_errors(self.errors)


def _from_engine(exc: ValidationFailed | DataImportError) -> ActivityRejected:
    return ActivityRejected(list(exc.errors))


def _read(name: str, content: bytes) -> ActivityData:
    with tempfile.TemporaryDirectory(prefix="ecocite-carbon-") as folder:
        # The original name is kept: the engine reads "illustrative" from it and reports it.
        path = Path(folder) / Path(name).name
        path.write_bytes(content)
        try:
            return read_activity(path, max_rows=settings.UPLOAD_MAX_ROWS)
        except ValidationFailed as exc:
            raise _from_engine(exc) from exc


def _compute(activity: ActivityData, gwp_set: str) -> Inventory:
    try:
        return compute_inventory(activity, gwp_set=gwp_set)
    except ValidationFailed as exc:
        raise _from_engine(exc) from exc


def _scope_problems(activity: ActivityData, city: City) -> list[RowError]:
    """Rows of another city, or a second year: one page holds one city's inventory of one year."""
    frame = activity.frame
    problems = [
        RowError(
            activity.file,
            int(row),
            "city",
            "city.other",
            {"value": str(value)[:200], "expected": city.slug},
        )
        for value, row in zip(frame["city"], frame["source_row"], strict=True)
        if str(value) != city.slug
    ]
    years = sorted({int(y) for y in frame["year"]})
    if len(years) > 1:
        first = years[0]
        problems += [
            RowError(
                activity.file,
                int(row),
                "year",
                "year.second",
                {"value": int(year), "expected": first},
            )
            for year, row in zip(frame["year"], frame["source_row"], strict=True)
            if int(year) != first
        ]
    return problems


def validate_activity_upload(name: str, content: bytes, *, city: City, gwp_set: str) -> Inventory:
    """Return the engine's inventory of an upload for one city; ActivityRejected lists problems."""
    if Path(name).suffix.lower() not in ACTIVITY_SUFFIXES:
        suffix = Path(name).suffix.lower()
        raise ActivityRejected(
            [
                RowError(
                    name,
                    None,
                    "(file)",
                    "file.unsupported_type",
                    {"suffix": suffix, "expected": "CSV or XLSX"},
                )
            ]
        )
    try:
        check_upload(name, content)
    except DataImportError as exc:
        raise _from_engine(exc) from exc
    activity = _read(name, content)
    problems = _scope_problems(activity, city)
    if problems:
        raise ActivityRejected(problems)
    return _compute(activity, gwp_set)


class DuplicateActivity(Exception):
    """The very same file (same bytes) was already accepted for this city."""

    def __init__(self, existing: CarbonInventory) -> None:
        self.existing = existing
        super().__init__(f"already accepted as inventory {existing.pk}")


def already_accepted(city: City, content: bytes) -> CarbonInventory | None:
    """Return the city's inventory kept from exactly these bytes, if any (newest first)."""
    sha256 = hashlib.sha256(content).hexdigest()
    return CarbonInventory.objects.filter(city=city, sha256=sha256).first()


def _fill(record: CarbonInventory, inventory: Inventory, gwp_set: str, user: object | None) -> None:
    ((_, year),) = inventory.cities()
    record.gwp_set = gwp_set
    record.year = year
    record.basic_co2e_t = float(inventory.totals("basic")["co2e_t"].sum())
    record.basic_plus_co2e_t = float(inventory.totals("basic+")["co2e_t"].sum())
    record.illustrative = inventory.illustrative
    record.uploaded_by = user if getattr(user, "is_authenticated", False) else None


def import_activity(
    name: str, content: bytes, *, city: City, gwp_set: str, user: object | None
) -> CarbonInventory:
    """Validate and compute, then keep the file and its totals; all or nothing.

    Raises
    ------
    ActivityRejected
        Every problem of the file, row by row.
    DuplicateActivity
        The same bytes were already accepted for this city: no second inventory is made; the
        person may replace the first one (:func:`replace_inventory`) instead.
    """
    inventory = validate_activity_upload(name, content, city=city, gwp_set=gwp_set)
    existing = already_accepted(city, content)
    if existing is not None:
        raise DuplicateActivity(existing)
    record = CarbonInventory(
        city=city, original_name=Path(name).name[:255], sha256=hashlib.sha256(content).hexdigest()
    )
    _fill(record, inventory, gwp_set, user)
    with files_removed_on_failure() as stored, transaction.atomic():
        record.file.save(Path(name).name, ContentFile(content), save=False)
        stored.append(record.file)
        record.save()
    return record


def replace_inventory(
    record: CarbonInventory, *, gwp_set: str, user: object | None
) -> CarbonInventory:
    """Recompute an inventory from its kept file (the same bytes as the repeated upload) with the GWP set chosen now, in place: one inventory per file, its date and uploader refreshed.

    The indicator values once imported from it stay as they were (a dataset is never rewritten);
    the link to them is dropped, since they may no longer match the recomputed totals.
    """
    inventory = _compute(_read(record.original_name, _content(record)), gwp_set)
    _fill(record, inventory, gwp_set, user)
    record.uploaded_at = timezone.now()
    record.dataset = None
    record.save()
    return record


def _content(record: CarbonInventory) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


def load_inventory(record: CarbonInventory) -> Inventory:
    """Recompute a stored inventory from its kept activity file (same engine, same answer)."""
    return _compute(_read(record.original_name, _content(record)), record.gwp_set)


def demo_context(record: CarbonInventory) -> CityContext | None:
    """Return the engine's demo context (illustrative) of this city and year, if there is one."""
    found = demo_contexts().get(record.city.slug)
    return found if found is not None and found.year == record.year else None


def context_from_form(record: CarbonInventory, data: dict[str, Any]) -> CityContext:
    """Return a CityContext from the form; the demo one (with sources) when its figures are kept."""
    demo = demo_context(record)
    fields = ("population", "gdp_wan_cny", "co2_2005_t", "gdp_2005_wan_cny")
    if demo is not None and all(data.get(f) == getattr(demo, f) for f in fields):
        return demo
    return CityContext(
        city=record.city.slug,
        year=record.year,
        population=float(data["population"]),
        gdp_wan_cny=float(data["gdp_wan_cny"]),
        co2_2005_t=data.get("co2_2005_t"),
        gdp_2005_wan_cny=data.get("gdp_2005_wan_cny"),
        source="entered on the carbon page",
        illustrative=record.illustrative,
    )


def inventory_xlsx(record: CarbonInventory, context: CityContext | None) -> bytes:
    """Return an inventory as an eCRF-style XLSX workbook."""
    inventory = load_inventory(record)
    contexts = {record.city.slug: context} if context is not None else None
    with tempfile.TemporaryDirectory(prefix="ecocite-carbon-") as folder:
        path = write_inventory_xlsx(inventory, Path(folder) / "inventory.xlsx", contexts)
        return path.read_bytes()


def inventory_to_dataset(
    record: CarbonInventory, context: CityContext, *, framework_key: str, user: object | None
) -> Dataset:
    """Return the inventory's indicator values, imported exactly as an uploaded file would be."""
    values = indicator_values(load_inventory(record), {context.city: context})
    stem = Path(record.original_name).stem
    name = f"{stem}_{record.gwp_set}_indicators.csv"
    illustrative = record.illustrative or context.illustrative
    if illustrative and "illustrative" not in name.lower():
        name = f"{stem}_{record.gwp_set}_indicators_illustrative.csv"
    try:
        with files_removed_on_failure() as stored, transaction.atomic():
            dataset = import_upload(
                name,
                values.to_csv(index=False).encode("utf-8"),
                city=record.city,
                framework_key=framework_key,
                user=user,
                illustrative=illustrative,
            )
            stored.append(dataset.file)
            record.dataset = dataset
            record.save(update_fields=["dataset"])
    except DataImportError as exc:
        raise _from_engine(exc) from exc
    return dataset
