"""Cities on the platform: list, map, city page."""
