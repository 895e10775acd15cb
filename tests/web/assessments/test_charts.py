"""The web draws its charts with the report engine: whole labels, no axis for an empty category.

Issue 14 item 5: the web radar cut its labels ("Ecological enviror") and drew a 0/0 innovation
axis, while the report's radar was right. These tests read the chart on the assessment page.
"""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ecocite.assessment import assess
from ecocite.data import read_indicator_table
from ecocite.demo import demo_values
from ecocite.reports.svg import _text_width
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.core.languages import pick
from ecocite.web.frameworks.registry import framework_by_key

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def finished_run(city: Any, framework_key: str) -> AssessmentRun:
    """A frozen run of Jingzhou's demo values, as the worker would have left it."""
    framework = framework_by_key(framework_key)
    values = read_indicator_table(demo_values(framework), framework=framework)
    result = assess(framework, values, city="jingzhou", year=2020, stage="planning_design")
    return AssessmentRun.objects.create(
        city=city,
        framework_key=framework.key,
        stage="planning_design",
        year=2020,
        status=Status.FINISHED,
        result=result.model_dump(mode="json"),
        score=result.score,
    )


def _radar(page: str) -> ET.Element:
    start = page.index('<svg class="chart radar"')
    end = page.index("</svg>", start) + len("</svg>")
    return ET.fromstring(page[start:end].replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


@pytest.mark.parametrize("lang", ["fr", "zh-hans", "en"])
def test_radar_labels_are_whole_and_inside_the_chart(
    client: Any, finished_run: AssessmentRun, lang: str
) -> None:
    framework = framework_by_key(finished_run.framework_key)
    client.cookies["django_language"] = lang
    page = client.get(reverse("assessments:detail", args=[finished_run.pk])).content.decode()
    radar = _radar(page)
    width = float(radar.get("width", "0"))
    scored = [c for c in finished_run.result["categories"] if c["max_points"] > 0]
    with translation.override(lang):
        names = {c.id: pick(c.name) for c in framework.categories}
    labels = []
    for text in radar.iter(f"{SVG}text"):
        spans = [s for s in text.iter(f"{SVG}tspan") if s.get("font-weight") != "bold"]
        lines = [s.text or "" for s in spans]
        joiner = "" if lang == "zh-hans" else " "
        labels.append(joiner.join(lines))
        x, anchor = float(text.get("x", "0")), text.get("text-anchor")
        widest = max(_text_width(line, 11.0) for line in lines)
        left = {"start": x, "end": x - widest}.get(anchor or "", x - widest / 2)
        assert left >= 0 and left + widest <= width, f"label {lines} leaves the chart"
    assert labels == [names[c["category"]] for c in scored]


def test_no_axis_for_a_category_without_points(client: Any, finished_run: AssessmentRun) -> None:
    empty = [c["category"] for c in finished_run.result["categories"] if c["max_points"] <= 0]
    assert empty, "the bundled framework has a bonus-only (innovation) category"
    client.cookies["django_language"] = "en"
    page = client.get(reverse("assessments:detail", args=[finished_run.pk])).content.decode()
    radar = _radar(page)
    scored = len(finished_run.result["categories"]) - len(empty)
    axes = [line for line in radar.iter(f"{SVG}line")]
    assert len(axes) == scored
    framework = framework_by_key(finished_run.framework_key)
    for cat in framework.categories:
        if cat.id in empty:
            assert cat.name("en") not in ET.tostring(radar, encoding="unicode")


def test_assessment_services_and_tasks_import_no_cycle() -> None:
    """services → tasks → execution, and never back (the job body imports neither)."""
    folder = Path(__file__).parents[3] / "src" / "ecocite" / "web" / "assessments"

    def imports(name: str) -> set[str]:
        tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
        return found

    here = "ecocite.web.assessments"
    assert f"{here}.services" not in imports("tasks")
    assert not {f"{here}.services", f"{here}.tasks"} & imports("execution")
