"""Register a city on the platform from the engine's registry record (``ecocite.cities``).

The engine builds the record (names, administrative code, real boundary); this module keeps it.
The command line's ``ecocite city add`` and the first-start demo go through here.
"""

from __future__ import annotations

from django.db import transaction

from ecocite.cities import CityError, RegistryCity
from ecocite.web.cities.models import City


def add_city(city: RegistryCity, *, replace: bool = False, illustrative: bool = False) -> City:
    """Keep ``city`` under its id; CityError if the id is taken and ``replace`` is false.

    Replacing updates the names and boundary in place, so the city's datasets and assessments
    stay attached to it.
    """
    fields = City.fields_from_engine(city, illustrative=illustrative)
    with transaction.atomic():
        existing = City.objects.select_for_update().filter(slug=city.id).first()
        if existing is None:
            return City.objects.create(slug=city.id, **fields)
        if not replace:
            raise CityError(f"city {city.id!r} is already on the platform (use --replace)")
        for field, value in fields.items():
            setattr(existing, field, value)
        existing.save()
        return existing


def registry_city(slug: str) -> RegistryCity:
    """Return the engine's record of a platform city; CityError if there is no such city."""
    found = City.objects.filter(slug=slug).first()
    if found is None:
        raise CityError(f"no city {slug!r} on the platform; add it with `ecocite city add`")
    return found.to_engine()
