"""The web report of a run whose values came from the carbon engine shows provenance in French."""

from __future__ import annotations

import html
from typing import Any

from django.urls import reverse

from ecocite.assessment import assess
from ecocite.carbon import demo_indicator_values
from ecocite.data import read_indicator_table
from ecocite.reports.messages import message
from ecocite.reports.provenance import PATH_SEPARATOR, key_label
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.frameworks.registry import framework_by_key


def test_report_page_labels_carbon_provenance_in_french(
    client: Any, city: Any, framework_key: str
) -> None:
    framework = framework_by_key(framework_key)
    values = demo_indicator_values()
    table = read_indicator_table(values[values["city"] == "jingzhou"], framework=framework)
    result = assess(framework, table, city="jingzhou", year=2020, stage="planning_design")
    assert any(r.provenance for r in result.indicators), "carbon values carry their provenance"
    run = AssessmentRun.objects.create(
        city=city,
        framework_key=framework.key,
        stage="planning_design",
        year=2020,
        status=Status.FINISHED,
        result=result.model_dump(mode="json"),
        score=result.score,
    )
    client.cookies["django_language"] = "fr"
    response = client.get(reverse("assessments:report", args=[run.pk, "html"]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert '<dl class="meta provenance">' in page
    for key in ("engine", "factor_library", "reporting_level", "illustrative"):
        assert key_label(key, "fr") in page
    assert f"{key_label('inputs', 'fr')}{PATH_SEPARATOR}{key_label('file', 'fr')}" in page
    assert "<dt>Emission factor library</dt>" not in page
    assert message("provenance.raw", "fr") in page
