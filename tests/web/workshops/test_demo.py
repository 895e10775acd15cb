"""The demo loads workshops, a community and cases, all marked illustrative, once."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from ecocite.web.community.models import Call, Case, Profile
from ecocite.web.demo import load_demo
from ecocite.web.workshops.models import Workshop


def test_demo_workshops_and_community(db: Any) -> None:
    load_demo(assess=False, log=lambda _msg: None)
    load_demo(assess=False, log=lambda _msg: None)  # idempotent
    kinds = sorted(Workshop.objects.values_list("kind", flat=True))
    assert kinds == ["hybrid", "in_person", "online"]
    assert all(w.illustrative for w in Workshop.objects.all())
    held = Workshop.objects.exclude(closed_at=None).get()
    assert held.minutes_fr and sum(held.attendance_by_college.values()) == 22
    assert Case.objects.count() == 2 and all(c.illustrative for c in Case.objects.all())
    assert Call.objects.count() == 2 and Profile.objects.count() == 4
    # The held workshop shows on its process's timeline and accountability page.
    slug = held.process.slug
    for name in ("consultations:process", "consultations:accountability"):
        page = Client().get(reverse(name, args=[slug])).content.decode()
        assert reverse("workshops:detail", args=[held.pk]) in page, name
    for case in Case.objects.all():
        assert Client().get(reverse("community:case", args=[case.slug])).status_code == 200
