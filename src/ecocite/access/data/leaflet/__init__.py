"""Leaflet 1.9.4 (BSD-2-Clause), vendored so that the access map works offline."""
