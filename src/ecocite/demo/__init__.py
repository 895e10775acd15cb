"""Demo cities (the 2018 Sino-French pilot eco-cities) and their demo data."""

from ecocite.demo.cities import DEMO_CITIES, demo_cities
from ecocite.demo.values import ILLUSTRATIVE_SOURCE, demo_values, illustrative_values, real_facts

__all__ = [
    "DEMO_CITIES",
    "ILLUSTRATIVE_SOURCE",
    "demo_cities",
    "demo_values",
    "illustrative_values",
    "real_facts",
]
