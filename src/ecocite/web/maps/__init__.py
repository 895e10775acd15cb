"""Offline city maps: base layers and heritage from the OSM extract, place search, the place widget."""
