"""The city report, rendered from a real assessment of a framework built here and a real boundary."""

from __future__ import annotations

import html as html_lib
import math
from collections.abc import Callable

import pytest
from markupsafe import escape

from ecocite.assessment import Assessment
from ecocite.cities import RegistryCity
from ecocite.frameworks import Framework, parse_framework
from ecocite.i18n import LANGUAGES
from ecocite.reports import ReportError, reason_sentence, render_city_report
from ecocite.reports.messages import format_quantity, message, stated_target


@pytest.fixture(scope="module")
def reports(
    assessment_2023: Assessment,
    assessment_2022: Assessment,
    framework: Framework,
    las_palmas: RegistryCity,
) -> dict[str, str]:
    return {
        lang: render_city_report(
            assessment_2023,
            framework=framework,
            city=las_palmas,
            lang=lang,
            history=[assessment_2022],
        )
        for lang in LANGUAGES
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_well_formed_and_self_contained(
    reports: dict[str, str], parse: Callable, lang: str
) -> None:
    page = parse(reports[lang])
    assert page.html.startswith("<!DOCTYPE html>")
    assert page.external_references() == []
    assert "http://" not in page.html and "https://" not in page.html
    assert not any(tag in {"script", "link", "img", "iframe"} for tag, _ in page.tags)
    assert len(page.svgs) == 3  # radar, map, trend
    assert f'lang="{ {"fr": "fr", "zh": "zh-Hans", "en": "en"}[lang] }"' in page.html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_title_and_level_name_in_the_language(
    reports: dict[str, str],
    parse: Callable,
    framework: Framework,
    las_palmas: RegistryCity,
    lang: str,
) -> None:
    page = parse(reports[lang])
    title = next(t for t in page.text_parts if las_palmas.name(lang) in t)
    assert framework.name(lang) in title
    two_stars = next(lv for lv in framework.grading.levels if lv.id == "two_star")
    badge = page.html.split('class="level-badge', 1)[1].split("</div>", 1)[0]
    assert two_stars.name(lang) in badge
    for level in framework.grading.levels:  # the ladder names every level
        assert level.name(lang) in page.text
    for other in LANGUAGES:
        if other != lang and two_stars.name(other) != two_stars.name(lang):
            assert two_stars.name(other) not in page.text


def test_radar_polygon_points_match_category_shares(
    reports: dict[str, str], parse: Callable, assessment_2023: Assessment
) -> None:
    page = parse(reports["en"])
    (radar,) = page.svg("radar")
    poly = next(e for e in radar.iter("polygon") if e.get("class") == "radar-score")
    cx, cy, r = (float(poly.get(k, "nan")) for k in ("data-cx", "data-cy", "data-r"))
    points = [tuple(map(float, p.split(","))) for p in poly.get("points", "").split()]
    shares = [c.points / c.max_points for c in assessment_2023.categories if c.max_points > 0]
    assert len(points) == len(shares) == 4
    # Land use 10.4/20, carbon 20/30, transport 15/30, ecology 12.8/20: hand-checked numbers.
    assert shares == pytest.approx([0.52, 2 / 3, 0.5, 0.64])
    for i, ((x, y), share) in enumerate(zip(points, shares, strict=True)):
        angle = -math.pi / 2 + 2 * math.pi * i / len(shares)
        assert x == pytest.approx(cx + r * share * math.cos(angle), abs=0.01)
        assert y == pytest.approx(cy + r * share * math.sin(angle), abs=0.01)
    labels = " ".join(radar.itertext())
    for name in ("Land use", "Resources and carbon", "Transport", "Ecology", "52%", "67%"):
        assert name in labels


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reason_is_rendered_in_the_language(
    reports: dict[str, str], assessment_2023: Assessment, framework: Framework, lang: str
) -> None:
    html = reports[lang]
    assert html.count('<li class="reason">') == len(assessment_2023.reasons) == 2
    for reason in assessment_2023.reasons:
        sentence = reason_sentence(reason, framework=framework, lang=lang)
        assert str(escape(sentence)) in html
    if lang == "fr":
        assert "61,2 points" in html


def test_score_summary(reports: dict[str, str], parse: Callable) -> None:
    text = parse(reports["en"]).text
    assert "61.2 / 100 (scored items 58.2 + bonus 3.0)" in text
    assert "Indicators reported 100%" in text
    assert "3 high · 2 medium · 1 low" in text
    assert "Verified values 50%" in text
    fr = parse(reports["fr"]).text
    assert "61,2 / 100" in fr and "50\u202f%" in fr


def test_indicator_table_grouped_by_category(
    reports: dict[str, str], parse: Callable, framework: Framework
) -> None:
    page = parse(reports["en"])
    headers = page.html.split('class="category-row"')[1:]
    assert [h.split('<th colspan="8">', 1)[1].split("<", 1)[0] for h in headers] == [
        c.name("en") for c in framework.categories
    ]
    row = page.html.split('data-indicator="co2_per_capita"', 1)[1].split("</tr>", 1)[0]
    for cell in (
        "CO₂ per inhabitant",
        "5.9 t/person",
        "20.0 / 30.0",
        "scored",
        "Carbon inventory run",
        "high",
        "yes",
    ):
        assert cell in row
    bonus = page.html.split('data-indicator="smart_mobility"', 1)[1].split("</tr>", 1)[0]
    assert "3.0 / 3.0" in bonus and "bonus" in bonus and "low" in bonus
    zh = (
        parse(reports["zh"])
        .html.split('data-indicator="co2_per_capita"', 1)[1]
        .split("</tr>", 1)[0]
    )
    assert "人均二氧化碳排放" in zh and "5.9 t/人" in zh and "已计分" in zh


def test_gap_rows_present(
    reports: dict[str, str], assessment_2023: Assessment, framework: Framework
) -> None:
    html = reports["en"]
    gap = assessment_2023.gap
    assert gap is not None and gap.target_level == "three_star" and gap.actions
    section = html.split('id="gap"', 1)[1].split("</section>", 1)[0]
    assert "To reach “Three stars”, 18.8 points are missing." in html_lib.unescape(section)
    assert section.count('class="gap-row"') == len(gap.actions)
    for action in gap.actions:
        row = section.split(f'data-indicator="{action.indicator}"', 1)[1].split("</tr>", 1)[0]
        assert format_quantity(action.current_value, action.unit, "en") in row
        # A target is stated as a person would (two significant digits, on the safe side).
        stated = stated_target(framework, action.indicator, action.target_value)
        assert format_quantity(stated, action.unit, "en") in row
        assert f"+{action.points_gain:.1f}" in row
    assert "80%" in section and "+15.0" in section


def test_illustrative_values_are_marked_with_a_footnote(
    reports: dict[str, str], parse: Callable
) -> None:
    for lang in LANGUAGES:
        html = reports[lang]
        marker = f'<span class="illustrative">{message("illustrative.marker", lang)}</span>'
        row = html.split('data-indicator="green_cover"', 1)[1].split("</tr>", 1)[0]
        assert marker in row and 'href="#note-illustrative"' in row
        clean = html.split('data-indicator="co2_per_capita"', 1)[1].split("</tr>", 1)[0]
        assert "illustrative" not in clean
        assert 'id="note-illustrative"' in html
        text = parse(html).text
        assert message("illustrative.footnote", lang) in text
        assert message("illustrative.banner", lang, count=1) in text
    assert "illustrative" in parse(reports["en"]).text.lower()


def test_no_illustrative_marker_without_illustrative_values(
    failing_assessment: Assessment, strict_framework: Framework, squareville: RegistryCity
) -> None:
    html = render_city_report(failing_assessment, framework=strict_framework, city=squareville)
    assert '<span class="illustrative">' not in html
    assert 'id="note-illustrative"' not in html


def test_map_of_the_real_boundary(
    reports: dict[str, str], parse: Callable, las_palmas: RegistryCity
) -> None:
    page = parse(reports["en"])
    (map_svg,) = page.svg("map")
    path = next(e for e in map_svg.iter("path") if e.get("class") == "boundary")
    coords = [
        tuple(map(float, p.split(",")))
        for ring in path.get("d", "").split("M")[1:]
        for p in ring.rstrip("Z").split()
    ]
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    minx, miny, maxx, maxy = las_palmas.geometry().bounds
    mid_lat = math.radians((miny + maxy) / 2)
    expected = (maxx - minx) * math.cos(mid_lat) / (maxy - miny)
    assert (max(xs) - min(xs)) / (max(ys) - min(ys)) == pytest.approx(expected, rel=0.01)
    # Las Palmas is about 14 km north-south: the drawing's height over its px/km says so too
    projection = next(e for e in map_svg.iter("g") if e.get("class") == "projection")
    height_km = (max(ys) - min(ys)) / float(projection.get("data-px-per-km", "nan"))
    assert height_km == pytest.approx((maxy - miny) * 111.195, rel=0.01)
    assert 10 < height_km < 20
    assert any(e.get("class") == "scale-bar" for e in map_svg.iter("g"))
    assert any(e.get("class") == "north-arrow" for e in map_svg.iter("g"))
    assert "Boundary source: municipality_boundary.geojson" in page.text


def test_provenance_section(
    reports: dict[str, str], parse: Callable, assessment_2023: Assessment
) -> None:
    section = reports["en"].split('id="provenance"', 1)[1]
    assert "test-ecocity@1.2" in section
    assert assessment_2023.data_hash in section
    assert assessment_2023.engine_version in section
    assert "CO₂ per inhabitant" in section
    assert "&#34;engine&#34;: &#34;ecocite.carbon&#34;" in section  # the JSON, escaped
    assert "energy.csv" in section


def test_trend_chart_with_history(
    reports: dict[str, str],
    parse: Callable,
    assessment_2023: Assessment,
    framework: Framework,
    las_palmas: RegistryCity,
) -> None:
    (trend,) = parse(reports["en"]).svg("trend")
    lines = [e for e in trend.iter("polyline")]
    assert len(lines) == 4  # one line per scored category, two years each
    text = "".join(trend.itertext())
    assert "2022" in text and "2023" in text and "Land use" in text
    alone = render_city_report(assessment_2023, framework=framework, city=las_palmas)
    assert parse(alone).svg("trend") == [] and 'id="trend"' not in alone


def test_failing_city_reasons_statuses_and_gap(
    failing_assessment: Assessment,
    strict_framework: Framework,
    squareville: RegistryCity,
    parse: Callable,
) -> None:
    html = render_city_report(failing_assessment, framework=strict_framework, city=squareville)
    page = parse(html)
    text = html_lib.unescape(page.text)
    assert "No label level is reached." in text
    assert "Control item “Sewage treated” not met: 90%, where it must be at least 95%." in text
    assert "Category “Land use” scores 1.6 points, below its minimum of 10.0." in text
    sewage = html.split('data-indicator="sewage_treated"', 1)[1].split("</tr>", 1)[0]
    assert "not met" in sewage
    park = html.split('data-indicator="park_access"', 1)[1].split("</tr>", 1)[0]
    assert "missing" in park
    trips = html.split('data-indicator="green_trips"', 1)[1].split("</tr>", 1)[0]
    assert "quality too low" in trips
    gap = html.split('id="gap"', 1)[1].split("</section>", 1)[0]
    assert "control item to meet" in gap
    assert "data quality too low" in gap  # the green-trips action says why its value did not count
    assert "below minimum (10.0)" in html
    # a made-up 10 km square is drawn square, 10 km a side
    (map_svg,) = page.svg("map")
    projection = next(e for e in map_svg.iter("g") if e.get("class") == "projection")
    px_per_km = float(projection.get("data-px-per-km", "nan"))
    path = next(e for e in map_svg.iter("path") if e.get("class") == "boundary")
    coords = [tuple(map(float, p.split(","))) for p in path.get("d", "")[1:-1].split()]
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    assert (max(xs) - min(xs)) / px_per_km == pytest.approx(10.0, rel=0.002)
    assert (max(ys) - min(ys)) / px_per_km == pytest.approx(10.0, rel=0.002)


def test_gap_at_the_top_level_and_when_not_computed(
    framework: Framework, values, las_palmas: RegistryCity
) -> None:
    from ecocite.assessment import assess

    no_gap = assess(framework, values, city="las-palmas", year=2023, gaps=False)
    html = render_city_report(no_gap, framework=framework, city=las_palmas)
    assert message("gap.not_computed", "en") in html
    easy = parse_framework(
        framework.model_dump_json().replace('"min_points":80.0', '"min_points":61.0'),
        filename="easy.json",
    )
    top = assess(easy, values, city="las-palmas", year=2023)
    assert top.level == "three_star" and top.gap is None
    assert str(escape(message("gap.top_level", "fr"))) in render_city_report(
        top, framework=easy, city=las_palmas, lang="fr"
    )


def test_bad_inputs_are_clear_errors(
    assessment_2023: Assessment,
    failing_assessment: Assessment,
    framework: Framework,
    las_palmas: RegistryCity,
    squareville: RegistryCity,
) -> None:
    with pytest.raises(ReportError, match="language 'de'"):
        render_city_report(assessment_2023, framework=framework, city=las_palmas, lang="de")
    with pytest.raises(ReportError, match=r"'las-palmas'.*'squareville'"):
        render_city_report(assessment_2023, framework=framework, city=squareville)
    other = parse_framework(
        framework.model_dump_json().replace('"id":"test-ecocity"', '"id":"other"'), filename="x"
    )
    with pytest.raises(ReportError, match="framework 'test-ecocity', not 'other'"):
        render_city_report(assessment_2023, framework=other, city=las_palmas)
    with pytest.raises(ReportError, match="history holds an assessment of 'squareville'"):
        render_city_report(
            assessment_2023, framework=framework, city=las_palmas, history=[failing_assessment]
        )


def test_same_inputs_same_bytes(
    assessment_2023: Assessment,
    framework: Framework,
    las_palmas: RegistryCity,
    reports: dict[str, str],
) -> None:
    again = render_city_report(assessment_2023, framework=framework, city=las_palmas, lang="zh")
    assert again != reports["zh"]  # no history: no trend
    assert again == render_city_report(
        assessment_2023, framework=framework, city=las_palmas, lang="zh"
    )


def test_history_of_another_stage_is_refused(
    assessment_2023: Assessment, framework: Framework, values, las_palmas: RegistryCity
) -> None:
    from ecocite.assessment import assess

    operation = assess(
        framework, values, city="las-palmas", year=2022, stage="implementation_operation"
    )
    with pytest.raises(ReportError, match="implementation_operation assessment \\(2022\\)"):
        render_city_report(
            assessment_2023, framework=framework, city=las_palmas, history=[operation]
        )


def test_names_are_escaped(
    assessment_2023: Assessment, framework: Framework, las_palmas: RegistryCity, parse: Callable
) -> None:
    hostile = las_palmas.model_copy(
        update={"name": las_palmas.name.model_copy(update={"en": '<b onclick="x()">Las</b>'})}
    )
    html = render_city_report(assessment_2023, framework=framework, city=hostile)
    page = parse(html)
    assert not any(tag == "b" for tag, _ in page.tags)
    assert '<b onclick="x()">Las</b>' in page.text  # shown as text, not markup


def test_city_without_boundary_says_so(
    assessment_2023: Assessment, framework: Framework, las_palmas: RegistryCity, parse: Callable
) -> None:
    bare = las_palmas.model_copy(update={"boundary": None})
    for lang in LANGUAGES:
        page = parse(render_city_report(assessment_2023, framework=framework, city=bare, lang=lang))
        assert page.svg("map") == []
        assert message("map.no_boundary", lang) in page.text
