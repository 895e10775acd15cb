"""Charts and maps: the drawing matches the numbers, the projection matches known distances."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from shapely.geometry import Point, Polygon, box

from ecocite.reports import svg


def test_radar_vertices_sit_at_the_share_of_the_radius() -> None:
    shares = [0.5, 1.0, 0.0, 0.25]
    root = ET.fromstring(svg.radar_chart(["a", "b", "c", "d"], shares))
    poly = next(e for e in root.iter("polygon") if e.get("class") == "radar-score")
    cx, cy, r = (float(poly.get(k, "nan")) for k in ("data-cx", "data-cy", "data-r"))
    points = [tuple(map(float, p.split(","))) for p in poly.get("points", "").split()]
    # first axis up, then clockwise: (0, -1), (1, 0), (0, 1), (-1, 0)
    directions = [(0, -1), (1, 0), (0, 1), (-1, 0)]
    for (x, y), share, (dx, dy) in zip(points, shares, directions, strict=True):
        assert x == pytest.approx(cx + dx * r * share, abs=0.01)
        assert y == pytest.approx(cy + dy * r * share, abs=0.01)


def test_radar_clips_shares_and_escapes_labels() -> None:
    chart = svg.radar_chart(["<a&b>", "b", "c"], [1.4, -0.2, 0.5])
    root = ET.fromstring(chart)  # the label is escaped, the SVG stays well-formed
    poly = next(e for e in root.iter("polygon") if e.get("class") == "radar-score")
    assert poly.get("data-shares") == "1.0000 0.0000 0.5000"
    assert "<a&b>" in "".join(root.itertext())
    with pytest.raises(ValueError, match="three axes"):
        svg.radar_chart(["a", "b"], [0.1, 0.2])


def test_wrap_label_breaks_long_names() -> None:
    assert svg.wrap_label("Ressources et émissions de carbone") == [
        "Ressources et",
        "émissions de",
        "carbone",
    ]
    assert svg.wrap_label("资源与碳排放与绿色低碳") == ["资源与碳排放与", "绿色低碳"]
    assert svg.wrap_label("Land use") == ["Land use"]


@pytest.mark.parametrize(
    ("target", "expected"), [(7.3, 5), (2.0, 2), (0.34, 0.2), (1999, 1000), (19.9, 10)]
)
def test_nice_scale_bar_lengths(target: float, expected: float) -> None:
    assert svg.nice_length(target) == pytest.approx(expected)


def test_local_projection_matches_known_distances() -> None:
    # One degree of latitude is 111.195 km on the mean sphere; one degree of longitude at 60° N
    # is half of that.
    p = svg.project_lonlat(Point(10.0, 61.0), 10.0, 60.0)
    assert (p.x, p.y) == pytest.approx((0.0, 111.195), abs=0.01)
    q = svg.project_lonlat(Point(11.0, 60.0), 10.0, 60.0)
    assert (q.x, q.y) == pytest.approx((55.598, 0.0), abs=0.01)


def test_map_scale_bar_and_area_agree_with_the_ground() -> None:
    # A 0.1° × 0.1° cell at 45° N: 7.86 km east-west, 11.12 km north-south.
    cell = box(2.0, 45.0, 2.1, 45.1)
    root = ET.fromstring(svg.boundary_map([svg.MapShape(geometry=cell)], width=500, height=400))
    projection = next(e for e in root.iter("g") if e.get("class") == "projection")
    px_per_km = float(projection.get("data-px-per-km", "nan"))
    path = next(e for e in root.iter("path") if e.get("class") == "boundary")
    coords = [tuple(map(float, p.split(","))) for p in path.get("d", "")[1:-1].split()]
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    width_km = (max(xs) - min(xs)) / px_per_km
    height_km = (max(ys) - min(ys)) / px_per_km
    k = math.cos(math.radians(45.05))
    assert width_km == pytest.approx(0.1 * 111.195 * k, rel=0.002)
    assert height_km == pytest.approx(0.1 * 111.195, rel=0.002)
    bar = next(e for e in root.iter("g") if e.get("class") == "scale-bar")
    km, px = float(bar.get("data-km", "nan")), float(bar.get("data-px", "nan"))
    assert px == pytest.approx(km * px_per_km)
    assert f"{km:g} km" in "".join(bar.itertext())
    assert any(e.get("class") == "north-arrow" for e in root.iter("g"))


def test_map_keeps_holes_and_several_parts() -> None:
    ring = Polygon(
        [(0, 0), (0.2, 0), (0.2, 0.2), (0, 0.2)], [[(0.05, 0.05), (0.1, 0.05), (0.1, 0.1)]]
    )
    island = box(0.3, 0.3, 0.35, 0.35)
    root = ET.fromstring(
        svg.boundary_map([svg.MapShape(geometry=ring), svg.MapShape(geometry=island, label="x")])
    )
    paths = [e.get("d", "") for e in root.iter("path")]
    assert [d.count("M") for d in paths] == [2, 1]


def test_level_colours_darken_with_rank() -> None:
    colours = svg.level_colours(3)
    assert colours[0] == svg.NO_LEVEL_COLOUR and len(colours) == 4
    brightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colours[1:]]
    assert brightness == sorted(brightness, reverse=True)


def test_bar_and_line_charts_are_well_formed() -> None:
    bars = ET.fromstring(svg.bar_chart(["a", "b"], [1.0, 3.0], value_labels=["1", "3"]))
    widths = [float(r.get("width", "nan")) for r in bars.iter("rect")]
    assert widths[1] == pytest.approx(3 * widths[0], abs=0.02)
    lines = ET.fromstring(svg.line_chart([2021, 2023], [("x", [0.2, None]), ("y", [0.1, 0.9])]))
    assert len([e for e in lines.iter("polyline")]) == 1  # one series has a single point


def test_map_labels_of_neighbouring_cities_do_not_overlap() -> None:
    near = [box(100.0, 30.0, 100.05, 30.05), box(100.06, 30.0, 100.11, 30.05)]
    far = box(110.0, 40.0, 110.05, 40.05)
    shapes = [
        svg.MapShape(geometry=g, label=n, marker=True)
        for g, n in zip([*near, far], "abc", strict=True)
    ]
    root = ET.fromstring(svg.boundary_map(shapes, width=500, height=400))
    ys = [float(t.get("y", "nan")) for t in root.iter("text") if t.text in {"a", "b"}]
    assert abs(ys[0] - ys[1]) >= 13
