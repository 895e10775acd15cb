"""Write the results: GeoPackage, interactive HTML map (offline), tidy indicator CSV.

All-or-nothing: every file is first written in a temporary folder next to the destination and
moved into place only when all of them are complete.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ecocite.access.indicators import AccessResult
from ecocite.access.osm import OsmCity
from ecocite.cells import neutralised

_LEAFLET = "ecocite.access.data.leaflet"


def write_atomically(out_dir: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write a set of files all or nothing.

    Run ``writers[name](tmp_path)`` for every file name, then move all files into
    ``out_dir``. If any writer fails, nothing appears in ``out_dir``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".ecocite-access-", dir=out_dir))
    try:
        for name, write in writers.items():
            write(tmp / name)
        done = []
        for name in writers:
            os.replace(tmp / name, out_dir / name)
            done.append(out_dir / name)
        return done
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _gpkg_writer(result: AccessResult, city: OsmCity) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        result.origins.to_file(path, layer="origins", driver="GPKG")
        fac = city.facilities.drop(columns=["x", "y"])
        fac.to_file(path, layer="facilities", driver="GPKG", mode="a")
        area = gpd.GeoDataFrame({"city": [city.name]}, geometry=[city.area], crs=city.crs)
        area.to_file(path, layer="area", driver="GPKG", mode="a")

    return write


def _csv_writer(frame: pd.DataFrame) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        neutralised(frame).to_csv(path, index=False)

    return write


def map_html(result: AccessResult, city: OsmCity, *, tiles_url: str | None = None) -> str:
    """Return a self-contained Leaflet page of the access results.

    Return a self-contained Leaflet page (library inlined, no download): origins coloured by the
    share of life-circle categories reached, facilities by category, the study area.

    ``tiles_url`` (e.g. a local tile server) adds a base map; by default there is none, so the
    page works offline.
    """
    lib = resources.files(_LEAFLET)
    js = lib.joinpath("leaflet.js").read_text(encoding="utf-8")
    css = lib.joinpath("leaflet.css").read_text(encoding="utf-8")
    o = result.origins.to_crs(4326)
    keep = ["life_circle_share"] + [c for c in o.columns if c.endswith("_nearest_m")]
    values = np.column_stack(
        [o.geometry.x.round(6), o.geometry.y.round(6), o["life_circle_share"].round(2)]
        + [o[c].round(0) for c in keep[1:]]
    )
    # compact rows [lon, lat, share, distances…]; NaN (nothing within the search limit) → null
    origins = {
        "columns": keep,
        "rows": [[None if v != v else v for v in row] for row in values.tolist()],
    }
    f = city.facilities.to_crs(4326)
    facilities = [
        [round(x, 6), round(y, 6), c, n if isinstance(n, str) else ""]
        for x, y, c, n in zip(f.geometry.x, f.geometry.y, f["category"], f["name"], strict=True)
    ]
    area = json.loads(gpd.GeoSeries([city.area], crs=city.crs).to_crs(4326).to_json())
    summary = result.summary[["indicator", "value", "unit"]].to_dict(orient="records")
    data = json.dumps(
        {"origins": origins, "facilities": facilities, "area": area, "summary": summary,
         "tiles": tiles_url, "categories": city.categories.names},
        ensure_ascii=False,
    )  # fmt: skip
    title = html.escape(f"EcoCité — walking access, {city.name}")
    return (
        _PAGE.replace("{{title}}", title)
        .replace("{{css}}", css)
        .replace("{{js}}", js)
        .replace("{{data}}", data.replace("</", "<\\/"))
    )


def write_outputs(
    result: AccessResult,
    city: OsmCity,
    out_dir: str | Path,
    *,
    html_map: bool = True,
    tiles_url: str | None = None,
) -> list[Path]:
    """Write the access outputs of a city, all or nothing.

    Write ``<city>_access.gpkg``, ``<city>_indicators.csv``, ``<city>_coverage.csv`` and
    ``<city>_access.html`` into ``out_dir``, all or nothing. Returns the paths written.
    """
    out = Path(out_dir)
    stem = city.name
    writers: dict[str, Callable[[Path], None]] = {
        f"{stem}_access.gpkg": _gpkg_writer(result, city),
        f"{stem}_indicators.csv": _csv_writer(result.summary),
        f"{stem}_coverage.csv": _csv_writer(result.coverage),
    }
    if html_map:
        page = map_html(result, city, tiles_url=tiles_url)

        def write_page(path: Path) -> None:
            path.write_text(page, encoding="utf-8")

        writers[f"{stem}_access.html"] = write_page
    return write_atomically(out, writers)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{title}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{{css}}</style>
<style>
html,body,#map{height:100%;margin:0;font-family:sans-serif}
.panel{background:#fff;padding:6px 8px;border-radius:4px;box-shadow:0 0 6px #0004;font-size:12px;max-width:320px}
.panel table{border-collapse:collapse}.panel td{padding:1px 4px}
</style></head>
<body><div id="map"></div>
<script>{{js}}</script>
<script>
const D = {{data}};
const map = L.map('map', {preferCanvas: true});
if (D.tiles) { L.tileLayer(D.tiles, {maxZoom: 19}).addTo(map); }
const area = L.geoJSON(D.area, {style: {color: '#333', weight: 2, fill: false}}).addTo(map);
map.fitBounds(area.getBounds());
function colour(s) { // share of life-circle categories reached: red (none) to green (all)
  if (s === null) return '#999';
  const r = Math.round(215 * (1 - s) + 26 * s), g = Math.round(48 * (1 - s) + 152 * s);
  return `rgb(${r},${g},80)`;
}
const cols = D.origins.columns;
const origins = L.layerGroup(D.origins.rows.map(r =>
  L.circleMarker([r[1], r[0]], {radius: 3, stroke: false, fillOpacity: 0.8, fillColor: colour(r[2])})
   .bindPopup(() => '<table>' + cols.map((k, i) =>
      `<tr><td>${k}</td><td>${r[i + 2] === null ? '—' : r[i + 2]}</td></tr>`).join('') + '</table>')
)).addTo(map);
const palette = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f',
                 '#bcbd22','#17becf','#393b79','#637939','#8c6d31'];
const layers = {'origins (colour = share of life-circle categories reached)': origins};
D.categories.forEach((c, i) => {
  const g = L.layerGroup(D.facilities.filter(f => f[2] === c).map(f =>
    L.circleMarker([f[1], f[0]], {radius: 4, color: palette[i % palette.length], weight: 1,
                                  fillOpacity: 0.9}).bindTooltip(`${c}: ${f[3]}`)));
  layers[c] = g;
});
L.control.layers(null, layers, {collapsed: true}).addTo(map);
const info = L.control({position: 'bottomleft'});
info.onAdd = () => { const d = L.DomUtil.create('div', 'panel');
  d.innerHTML = '<b>Indicators</b><table>' + D.summary.map(r =>
    `<tr><td>${r.indicator}</td><td>${(+r.value).toFixed(2)} ${r.unit}</td></tr>`).join('') +
    '</table><small>© OpenStreetMap contributors (ODbL)</small>'; return d; };
info.addTo(map);
</script></body></html>
"""
