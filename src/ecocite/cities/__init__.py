"""City registry: names in fr/zh/en, administrative codes and real boundaries."""

from ecocite.cities.china import city_from_admin_code, lookup_admin_code
from ecocite.cities.model import City, CityError, city_from_geojson

__all__ = ["City", "CityError", "city_from_admin_code", "city_from_geojson", "lookup_admin_code"]
