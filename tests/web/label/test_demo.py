"""The demo programme: six cities at their stages, real dates where public, log verifies."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ecocite.web.demo import load_demo
from ecocite.web.label import services
from ecocite.web.label.demo import SLUG
from ecocite.web.label.models import Application, Programme


@pytest.mark.slow
def test_the_demo_programme_has_its_cities_at_their_stages(
    db: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    load_demo(log=lambda _line: None)
    programme = Programme.objects.get(slug=SLUG)
    stages = dict(
        Application.objects.filter(call__programme=programme).values_list("city__slug", "stage")
    )
    assert stages == {
        "jingzhou": "confirmed", "jilin": "labelled", "panshi": "monitoring",
        "qingyun": "labelled", "foshan": "labelled", "caidian": "co_construction",
    }  # fmt: skip
    jilin = Application.objects.get(city__slug="jilin")
    assert jilin.awarded_on == date(2018, 4, 20)  # the first labels, April 2018
    assert all(a.illustrative for a in Application.objects.all())
    assert services.verify_database().ok
    assert services.rederive(jilin.certificate_code).identical
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("label:registry")).content.decode()
    assert "Jilin" in page and "illustrative" in page
    load_demo(log=lambda _line: None)  # a second start adds nothing
    assert Programme.objects.count() == 1
