"""``build_city_map``."""
