"""Load the demo scenario site (illustrative): Vegueta, with visions from the demo people."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction

from ecocite.scenario.site import bundled_site
from ecocite.web.consultations.models import Process
from ecocite.web.sliders.models import SliderSite, Vision

VISIONS: list[tuple[str, str, str, dict[str, float]]] = [
    ("demo-amina", "residents", "Plus d'ombre, autant d'habitants",
     {"green_share": 18, "walk_share": 45, "transit_share": 25}),
    ("demo-lucia", "associations", "Patios abiertos y comercio de barrio",
     {"green_share": 14, "heritage_kept": 100, "renewable_share": 30}),
    ("demo-paul", "professionals", "Densifier autour du marché",
     {"density": 220, "far": 1.6, "heritage_kept": 85, "energy_standard": 45}),
    ("demo-wei", "universities", "太阳能屋顶与步行街区",
     {"renewable_share": 45, "walk_share": 50, "cycle_share": 6, "transit_share": 26}),
    ("demo-li", "universities", "Un parc le long du Guiniguada",
     {"green_share": 24, "density": 160}),
]  # fmt: skip


def load_sliders_demo(log: Callable[[str], None] = print) -> None:
    """Offer the Vegueta site on the Las Palmas demo process, with five visions (once)."""
    process = Process.objects.filter(slug="las-palmas-vegueta").first()
    if process is None or SliderSite.objects.filter(process=process).exists():
        return
    with transaction.atomic():
        site = SliderSite.objects.create(
            process=process, illustrative=True,
            title_fr="Vegueta : quelle vision ?", title_zh="维格塔：怎样的愿景？",
            title_en="Vegueta: which vision?",
            definition=bundled_site("vegueta").read_text(encoding="utf-8"),
            sliders=["density", "green_share", "far", "heritage_kept", "walk_share",
                     "cycle_share", "transit_share", "energy_standard", "renewable_share"],
            facilities=["kindergarten", "elderly_care", "market"],
        )  # fmt: skip
        people = {
            u.username: u for u in get_user_model().objects.filter(username__startswith="demo-")
        }
        defaults = site.site.defaults()
        for name, college, title, moved in VISIONS:
            if name in people:
                Vision.objects.create(
                    site=site, author=people[name], college=college, title=title,
                    settings={**defaults, **moved}, illustrative=True,
                    facilities=["market"] if "march" in title.lower() else [],
                )  # fmt: skip
    log("sliders: the Vegueta scenario site with 5 illustrative visions")
