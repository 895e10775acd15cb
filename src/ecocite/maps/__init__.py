"""Offline city maps from an OpenStreetMap extract: base layers, heritage, a place index.

:func:`ecocite.maps.osm.build_city_map` reads a PBF extract (pyrosm, the ``access`` extra),
clips it to a city's area and writes small GeoJSON layers (streets, buildings, water, parks,
heritage) and a place index (:mod:`ecocite.maps.places`) that a web map draws and searches with
no network. Framework-free: the web app (``ecocite.web.maps``) and a notebook call the same
functions.
"""
