"""First-start content: the demo cities, their data and their assessments.

The data goes through the same import as an upload, so a fresh platform has something to show.
Illustrative values stay labelled.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from ecocite.carbon import DEMO_CITIES as CARBON_DEMO_CITIES
from ecocite.carbon import demo_activity_path
from ecocite.demo import ILLUSTRATIVE_SOURCE, demo_cities, demo_values
from ecocite.frameworks import Stage
from ecocite.web.assessments.execution import execute
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.carbon.services import already_accepted, import_activity
from ecocite.web.cities.models import City
from ecocite.web.datasets.services import import_upload
from ecocite.web.frameworks.registry import default_framework_key, framework_by_key


def load_demo(*, assess: bool = True, log: Callable[[str], None] = print) -> list[City]:
    """Create the demo cities, import their values and assess every year. Idempotent per city."""
    key = default_framework_key()
    framework = framework_by_key(key)
    values = demo_values(framework)
    cities = []
    for engine_city in demo_cities():
        fields = City.fields_from_engine(engine_city)
        city, created = City.objects.get_or_create(slug=engine_city.id, defaults=fields)
        cities.append(city)
        load_demo_activity(city, log=log)
        if not created:
            continue
        mine = values[values["city"] == city.slug]
        if mine.empty:
            continue
        content = mine.to_csv(index=False).encode("utf-8")
        with transaction.atomic():
            import_upload(
                f"demo-{city.slug}.csv",
                content,
                city=city,
                framework_key=key,
                user=None,
                illustrative=bool((mine["source"] == ILLUSTRATIVE_SOURCE).any()),
            )
        log(f"  {city.slug}: {len(mine)} values")
        if not assess:
            continue
        for year in sorted({int(y) for y in mine["year"]}):
            run = AssessmentRun.objects.create(
                city=city, framework_key=framework.key, stage=Stage.PLANNING_DESIGN.value, year=year
            )
            execute(run.pk)
    from ecocite.web.consultations.demo import load_consultations_demo

    load_consultations_demo(log)
    from ecocite.web.maps.demo import load_maps_demo

    load_maps_demo(log)
    from ecocite.web.community.demo import load_community_demo

    load_community_demo(log)
    from ecocite.web.workshops.demo import load_workshops_demo

    load_workshops_demo(log)
    from ecocite.web.sliders.demo import load_sliders_demo

    load_sliders_demo(log)
    from ecocite.web.conversations.demo import load_conversations_demo

    load_conversations_demo(log)
    from ecocite.web.label.demo import load_label_demo

    load_label_demo(log)
    from ecocite.web.surveys.demo import load_surveys_demo

    load_surveys_demo(log)
    return cities


def load_demo_activity(city: City, *, log: Callable[[str], None] = print) -> None:
    """Keep the city's illustrative carbon activity file (shipped with the carbon engine) as an inventory, through the same import as an upload; once only, even on a platform whose demo was started before the files shipped."""
    if city.slug not in CARBON_DEMO_CITIES:
        return
    path = Path(demo_activity_path(city.slug))
    content = path.read_bytes()
    if already_accepted(city, content) is not None:
        return
    record = import_activity(path.name, content, city=city, gwp_set="ar5", user=None)
    log(f"  {city.slug}: carbon inventory {record.year} ({path.name})")
