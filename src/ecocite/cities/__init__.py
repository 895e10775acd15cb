"""City registry: names in fr/zh/en, administrative codes and real boundaries."""

from ecocite.cities.china import city_from_admin_code, lookup_admin_code
from ecocite.cities.model import CityError, RegistryCity, city_from_geojson

__all__ = [
    "CityError",
    "RegistryCity",
    "city_from_admin_code",
    "city_from_geojson",
    "lookup_admin_code",
]
