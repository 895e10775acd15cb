"""``ecocite-web manage participation_indicators``: export, compute and import a city's values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecocite.web.cities.models import City
from ecocite.web.consultations import indicators


class Command(BaseCommand):
    """Compute a city's participation indicators; write the tables and values, or import them."""

    help = (
        "Compute the participation indicators of a city and year from its consultations; "
        "--out writes the exported tables and the tidy values as CSV, --import imports them "
        "as a dataset of the city (as the officials' button does)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("--city", required=True, help="city identifier (slug)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--population", type=float, required=True, help="residents")
        parser.add_argument("--population-source", default="", help="where the figure comes from")
        parser.add_argument("--out", type=Path, help="folder for the tables and values (CSV)")
        parser.add_argument("--import", dest="do_import", action="store_true")
        parser.add_argument("--user", help="user name recorded as the importer (an official)")
        parser.add_argument("--framework", help="framework key (default: the default framework)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Compute, write, import."""
        city = City.objects.filter(slug=options["city"]).first()
        if city is None:
            raise CommandError(f"--city: no city {options['city']!r}")
        year, population = options["year"], options["population"]
        if population <= 0:
            raise CommandError("--population: give the number of residents (> 0)")
        computed = indicators.compute_values(city, year, population, options["population_source"])
        out: Path | None = options["out"]
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            tables = indicators.export_tables(city, year, population)
            for name in ("processes", "phases", "proposals", "answers", "participants"):
                getattr(tables, name).to_csv(out / f"{name}.csv", index=False)
            computed.values.to_csv(out / "values.csv", index=False)
        for row in computed.values.itertuples():
            self.stdout.write(f"{row.indicator}\t{row.value:.4g}\t{row.unit}")
        if options["do_import"]:
            from django.contrib.auth import get_user_model

            from ecocite.web.frameworks.registry import default_framework_key

            user = get_user_model().objects.filter(username=options["user"] or "").first()
            if user is None:
                raise CommandError("--import needs --user, an official of the city")
            try:
                dataset = indicators.import_participation(
                    user,
                    city,
                    year,
                    population=population,
                    population_source=options["population_source"],
                    framework_key=options["framework"] or default_framework_key(),
                )
            except (ValidationError, PermissionDenied) as err:
                raise CommandError(str(err)) from err
            self.stdout.write(f"imported as dataset {dataset.pk}")
