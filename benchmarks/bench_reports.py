"""Benchmark: render the reports (city, portfolio, PDF) and weigh the pages.

Cases: Jingzhou under the full sino-french-ecocity framework with two earlier years (the demo
data, illustrative); Las Palmas with its full-resolution municipal boundary (7,388 vertices);
portfolios of the 6 demo cities and of 300 cities (demo boundaries repeated, shifted east). Side
by side: the same Las Palmas map drawn with every vertex, as a straightforward SVG export would.

Run: .venv/bin/python benchmarks/bench_reports.py [--write]   (--write updates docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import shapely
from benchkit import DOCS, best_of, write_section
from shapely import affinity

from ecocite.assessment import assess
from ecocite.cities import RegistryCity, city_from_geojson
from ecocite.data import read_indicator_table
from ecocite.demo import demo_cities, demo_values
from ecocite.frameworks import get_framework
from ecocite.i18n import Text
from ecocite.reports import render_city_report, render_portfolio_report, svg, write_pdf

ROOT = Path(__file__).resolve().parents[1]
LAS_PALMAS = ROOT / ".." / "shared" / "data" / "las-palmas" / "municipality_boundary.geojson"
N_PORTFOLIO = 300


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    fw = get_framework("sino-french-ecocity")
    cities = demo_cities()
    values = read_indicator_table(demo_values(fw), framework=fw, cities=[c.id for c in cities])
    years = sorted({int(y) for y in values["year"]})
    jingzhou = next(c for c in cities if c.id == "jingzhou")
    history = [assess(fw, values, city="jingzhou", year=y, gaps=False) for y in years[:-1]]
    latest = assess(fw, values, city="jingzhou", year=years[-1])

    def city_page(lang: str = "en") -> str:
        return render_city_report(latest, framework=fw, city=jingzhou, lang=lang, history=history)

    t_city = {lang: best_of(lambda lang=lang: city_page(lang)) for lang in ("fr", "zh", "en")}
    size_city = len(city_page("zh").encode())

    las_palmas = city_from_geojson(
        LAS_PALMAS,
        city_id="jingzhou",  # reuse Jingzhou's assessment: only the map differs
        name=Text(fr="Las Palmas", zh="拉斯帕尔马斯", en="Las Palmas"),
        country="es",
    )
    n_vertices = int(shapely.get_num_coordinates(las_palmas.geometry()))
    t_lp = best_of(lambda: render_city_report(latest, framework=fw, city=las_palmas))
    map_thin = svg.boundary_map([svg.MapShape(geometry=las_palmas.geometry())])
    t_map = best_of(lambda: svg.boundary_map([svg.MapShape(geometry=las_palmas.geometry())]))

    def full_map() -> str:  # the anchor: every vertex, same projection and frame
        geom = las_palmas.geometry()
        minx, miny, maxx, maxy = geom.bounds
        km = svg.project_lonlat(geom, (minx + maxx) / 2, (miny + maxy) / 2)
        bx0, by0, bx1, by1 = km.bounds
        scale = min(464 / (bx1 - bx0), 310 / (by1 - by0))
        return f'<svg><path d="{svg._path(km, [scale, 260 - (bx0 + bx1) / 2 * scale, 183 + (by0 + by1) / 2 * scale])}"/></svg>'

    t_full = best_of(full_map)
    size_full = len(full_map().encode())

    all_latest = [assess(fw, values, city=c.id, year=years[-1], gaps=False) for c in cities]
    t_port6 = best_of(lambda: render_portfolio_report(all_latest, framework=fw, cities=cities))
    size_port6 = len(render_portfolio_report(all_latest, framework=fw, cities=cities).encode())

    many_cities: list[RegistryCity] = []
    many: list = []
    for k in range(N_PORTFOLIO):
        base = cities[k % len(cities)]
        shifted = affinity.translate(base.geometry(), xoff=(k // len(cities)) * 1.5)
        many_cities.append(
            base.model_copy(
                update={"id": f"c{k:03d}", "boundary": shapely.geometry.mapping(shifted)}
            )
        )
        many.append(all_latest[k % len(cities)].model_copy(update={"city": f"c{k:03d}"}))
    t_port300 = best_of(
        lambda: render_portfolio_report(many, framework=fw, cities=many_cities), repeat=3
    )
    size_port300 = len(render_portfolio_report(many, framework=fw, cities=many_cities).encode())

    html_zh = city_page("zh")
    with tempfile.TemporaryDirectory() as tmp:
        t_pdf = best_of(lambda: write_pdf(html_zh, Path(tmp) / "r.pdf"), repeat=3)
        size_pdf = (Path(tmp) / "r.pdf").stat().st_size
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    lines = [
        "## Reports",
        "",
        f"Reports of `{fw.key}` ({len(fw.indicator_ids())} indicators) on the demo data "
        "(illustrative values). Times are the best of 5 runs (3 for PDF and the 300-city portfolio).",
        "",
        "| what | time | size |",
        "|---|---|---|",
        f"| city report, Jingzhou with 2 earlier years (fr / zh / en) | "
        f"{t_city['fr'] * 1000:.0f} / {t_city['zh'] * 1000:.0f} / {t_city['en'] * 1000:.0f} ms "
        f"| {size_city / 1024:.0f} KiB (zh) |",
        f"| city report with the full Las Palmas boundary ({n_vertices:,} vertices) | "
        f"{t_lp * 1000:.0f} ms | |",
        f"| its map alone, thinned to half a pixel | {t_map * 1000:.1f} ms | "
        f"{len(map_thin.encode()) / 1024:.1f} KiB |",
        f"| anchor: the same map with every vertex | {t_full * 1000:.1f} ms | "
        f"{size_full / 1024:.1f} KiB |",
        f"| portfolio report, 6 demo cities | {t_port6 * 1000:.0f} ms | {size_port6 / 1024:.0f} KiB |",
        f"| portfolio report, {N_PORTFOLIO} cities | {t_port300:.2f} s | "
        f"{size_port300 / 2**20:.1f} MiB |",
        f"| PDF of the Chinese city report (WeasyPrint) | {t_pdf:.2f} s | {size_pdf / 1024:.0f} KiB |",
        f"| process peak RSS (whole run) | {rss_mb:.0f} MiB | |",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM, "
        f"Python {platform.python_version()}; run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with "
        "`python benchmarks/bench_reports.py --write`. The machine is shared with other work: "
        "repeated runs of the same build have differed by up to 2×.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(DOCS, "## Reports", text)


if __name__ == "__main__":
    main()
