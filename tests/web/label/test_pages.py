"""Label pages: each step by the right person through the pages; refusals; registry."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ecocite.web.consultations.models import Process
from ecocite.web.label.models import Application, LogRow
from ecocite.web.label.services import link_process, verify_database

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SITE = (
    '{"type": "Polygon", "coordinates": [[[112.2, 30.3], [112.3, 30.3], [112.3, 30.4],'
    " [112.2, 30.4], [112.2, 30.3]]]}"
)


def _client(user: Any) -> Client:
    user.preferred_language = "en"  # applied to signed-in people over the browser's
    user.save(update_fields=["preferred_language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(user: Any, name: str, app: Application, data: dict[str, Any]) -> Any:
    return _client(user).post(reverse(f"label:{name}", args=[app.pk]), data, follow=True)


def test_one_city_from_application_to_certificate_through_the_pages(
    label: dict[str, Any], frozen_run: Any, processes: dict[str, Any]
) -> None:
    p = label["people"]
    official = _client(p["official"])
    page = official.get(reverse("label:apply", args=["call-2017"]))
    assert page.status_code == 200
    r = official.post(
        reverse("label:apply", args=["call-2017"]),
        {
            "city": label["city"].pk,
            "pilot_site_name": "Lake district",
            "pilot_site": SITE,
            "contacts": "Bureau",
            "motivation": "Eco-city",
            "charter": SimpleUploadedFile("charter.pdf", PDF, "application/pdf"),
        },
        follow=True,
    )
    app = Application.objects.get()
    assert r.redirect_chain[-1][0] == reverse("label:application", args=[app.pk])
    # the official sees what is missing but may not move the application
    page = official.get(reverse("label:application", args=[app.pk])).content.decode()
    assert "Move to" not in page
    assert _post(p["official"], "move", app, {"target": "diagnostic"}).status_code == 403
    page = _client(p["secretariat"]).get(reverse("label:application", args=[app.pk]))
    assert "Move to" in page.content.decode()
    _post(p["secretariat"], "move", app, {"target": "diagnostic"})
    _post(p["official"], "assessment", app, {"assessment": frozen_run.pk})
    _post(p["secretariat"], "move", app, {"target": "co_construction"})
    for scale, process in processes.items():
        _post(p["official"], "link", app, {"process": process.pk, "scale": scale})
    r = _post(
        p["official"], "action", app,
        {"title": "Sponge parks", "indicator": "sponge_city_area_share", "target_value": "40",
         "target_year": "2025", "owner": "Water bureau", "budget": "1000000", "status": "planned"},
    )  # fmt: skip
    assert "Sponge parks" in r.content.decode()
    for side, who in (("fr", "fr1"), ("cn", "cn1")):
        _post(p["secretariat"], "assign", app, {"side": side, "assessor": p[who].pk})
    _post(p["secretariat"], "move", app, {"target": "expert_review"})
    app.refresh_from_db()
    assert app.stage == "expert_review"
    fr = app.reviews.get(side="fr")
    cn = app.reviews.get(side="cn")
    # the Chinese assessor cannot read the French review before submitting theirs
    assert _client(p["cn1"]).get(reverse("label:review", args=[fr.pk])).status_code == 403
    for review, who in ((fr, "fr1"), (cn, "cn1")):
        r = _client(p[who]).post(
            reverse("label:review", args=[review.pk]),
            {"site_visit": "Visited the lake.", "recommended_level": "one_star",
             "finding_land_use": "Compact.",
             "evidence": SimpleUploadedFile(f"{who}.pdf", PDF + who.encode())},
            follow=True,
        )  # fmt: skip
        assert "Compact." in r.content.decode()
    assert _client(p["cn1"]).get(reverse("label:review", args=[fr.pk])).status_code == 200
    _post(p["secretariat"], "move", app, {"target": "jury"})
    # a jury member sees the declaration, not the file
    page = _client(p["j1"]).get(reverse("label:application", args=[app.pk])).content.decode()
    assert "Declare any conflict" in page and "Evidence bundle" not in page
    for who in ("chair", "j1", "j2"):
        _post(p[who], "declare", app, {"no_conflict": "1"})
        _post(p[who], "vote", app, {"vote": "award", "comment": "Sound.", "level": "one_star"})
    assert _post(p["secretariat"], "move", app, {"target": "labelled"}).status_code == 403
    r = _post(
        p["chair"],
        "move",
        app,
        {"target": "labelled", "reasons": "Sound plan.", "level": "one_star"},
    )
    app.refresh_from_db()
    assert app.stage == "labelled" and app.certificate_code
    assert verify_database().ok
    # public certificate, registry and check by code
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = anonymous.get(reverse("label:certificate", args=[app.certificate_code]))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert app.certificate_code in anonymous.get(reverse("label:registry")).content.decode()
    r = anonymous.get(reverse("label:check"), {"code": app.certificate_code.lower()})
    assert r.status_code == 302 and app.certificate_code in r["Location"]
    geo = anonymous.get(reverse("label:registry_geojson")).json()
    assert [f["properties"]["slug"] for f in geo["features"]] == ["jingzhou"]


@pytest.mark.parametrize("lang", ["fr", "zh", "en"])
def test_the_certificate_prints_as_pdf_in_three_languages(drive: Any, lang: str) -> None:
    pytest.importorskip("weasyprint")
    app = drive("labelled")
    r = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("label:certificate_pdf", args=[app.certificate_code]), {"lang": lang}
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    expected = {"fr": "Certificat du label éco-cité", "zh": "生态城市标识证书", "en": "Eco-city"}
    assert expected[lang] in text and app.certificate_code in text
    if lang == "zh":
        assert "荆州" in text  # the embedded CJK font carries the city's name


def test_the_dashboard_is_the_secretariats_with_a_csv_export(
    drive: Any, label: dict[str, Any]
) -> None:
    app = drive("co_construction")
    p = label["people"]
    url = reverse("label:dashboard", args=["sfe-2017"])
    assert _client(p["official"]).get(url).status_code == 403
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(url).status_code == 302
    page = _client(p["secretariat"]).get(url).content.decode()
    assert "Jingzhou" in page and "No consultation process linked at city scale" in page
    # the cached body follows the data: linking a consultation shows at once
    process = Process.objects.create(
        slug="later", city=label["city"], scale="territory", title_fr="t", decision_fr="d"
    )
    link_process(app, process, "city")
    page = _client(p["secretariat"]).get(url).content.decode()
    assert "at city scale" not in page and "at pilot-site scale" in page
    r = _client(p["secretariat"]).get(reverse("label:dashboard_csv", args=["sfe-2017"]))
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[1][0] == "Jingzhou" and "action plan" in rows[1][3]


def test_pages_refuse_people_without_the_role(drive: Any, label: dict[str, Any]) -> None:
    app = drive("expert_review")
    p = label["people"]
    url = reverse("label:application", args=[app.pk])
    assert _client(p["official_elsewhere"]).get(url).status_code == 403
    assert _client(p["resident"]).get(url).status_code == 403
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(url).status_code == 302
    assert _client(p["j1"]).get(url).status_code == 200
    r = _post(p["official"], "assign", app, {"side": "fr", "assessor": p["fr2"].pk})
    assert r.status_code == 403
    before = LogRow.objects.count()
    r = _post(p["secretariat"], "move", app, {"target": "jury"})
    assert "is not submitted" in r.content.decode()
    assert LogRow.objects.count() == before


def test_the_api_has_the_same_permissions_and_says_what_is_missing(
    drive: Any, label: dict[str, Any]
) -> None:
    app = drive("co_construction")
    p = label["people"]
    url = f"/api/v1/label-applications/{app.pk}/"
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(url).status_code in (401, 403)
    assert _client(p["official_elsewhere"]).get(url).status_code == 403
    data = _client(p["official"]).get(url).json()
    (step,) = data["next_steps"]
    assert {m["id"] for m in step["missing"]} == {
        "label.missing.consultation",
        "label.missing.action_plan",
    }
    r = _client(p["official"]).post(url + "move/", {"target": "expert_review"})
    assert r.status_code == 403
    r = _client(p["secretariat"]).post(url + "move/", {"target": "expert_review"})
    assert r.status_code == 400
    assert {m["id"] for m in r.json()["reasons"]} >= {"label.missing.action_plan"}
    r = _client(p["official"]).post(
        url + "actions/",
        {"title": "Parks", "indicator": "sponge_city_area_share", "target_value": 40,
         "target_year": 2025, "owner": "Water bureau", "status": "planned"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 200 and r.json()[0]["title"] == "Parks"
    registry = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/label-registry/").json()
    assert registry == [] or isinstance(registry, dict)
    schema = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/schema/")
    assert schema.status_code == 200 and b"label-applications" in schema.content
