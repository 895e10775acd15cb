"""Slider services: offer a site, evaluate a vision (the engine), submit it, summarise them all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ecocite.scenario import ScenarioError, ScenarioResult, evaluate
from ecocite.scenario.site import load_catalogue, parse_site
from ecocite.scenario.visions import closest_to_median, slider_distribution
from ecocite.web.consultations.models import College, Process
from ecocite.web.core.permissions import check_permission
from ecocite.web.sliders.models import SliderSite, Vision


def _problems(err: ScenarioError) -> ValidationError:
    return ValidationError({"definition": [str(e) for e in err.errors]})


def create_site(
    user: Any,
    process: Process,
    *,
    definition: str,
    sliders: Sequence[str],
    facilities: Sequence[str] = (),
    framework_key: str = "",
    illustrative: bool = False,
    **titles: str,
) -> SliderSite:
    """Offer a site of a process to the sliders (its organisers)."""
    check_permission(user, "sliders.add_site", process)
    try:
        site = parse_site(definition, file="definition")
    except ScenarioError as err:
        raise _problems(err) from err
    known = {s.id for s in load_catalogue()}
    unknown = sorted(set(sliders) - known)
    if unknown or not sliders:
        raise ValidationError({"sliders": _("Choose sliders from the catalogue.")})
    offered = {f.id for f in site.facilities}
    if set(facilities) - offered:
        raise ValidationError({"facilities": _("Choose facilities the site file describes.")})
    row = SliderSite(
        process=process, definition=definition, sliders=list(sliders), facilities=list(facilities),
        framework_key=framework_key, illustrative=illustrative, **titles,
    )  # fmt: skip
    row.full_clean()
    row.save()
    return row


def _framework(site: SliderSite) -> Any:
    from ecocite.web.frameworks.registry import default_framework_key, framework_by_key

    return framework_by_key(site.framework_key or default_framework_key())


def evaluate_vision(
    site: SliderSite, settings: Mapping[str, float], facilities: Sequence[str] = ()
) -> ScenarioResult:
    """Evaluate slider positions for a site; only the sliders and facilities it offers count."""
    chosen = {k: v for k, v in settings.items() if k in site.sliders}
    added = tuple(f for f in facilities if f in site.facilities)
    try:
        return evaluate(site.site, chosen, facilities=added, framework=_framework(site))
    except ScenarioError as err:
        raise ValidationError({e.field: [str(e)] for e in err.errors}) from err


def submit_vision(
    user: Any,
    site: SliderSite,
    *,
    settings: Mapping[str, float],
    facilities: Sequence[str] = (),
    title: str,
    text: str = "",
    college: str = "",
    image: tuple[str, bytes] | None = None,
    session_key: str = "",
) -> Vision:
    """Submit (or replace) one's vision for a site; one per person or per browser session."""
    from ecocite.web.consultations.services import clean_image

    check_permission(user, "sliders.add_vision", site)
    result = evaluate_vision(site, settings, facilities)  # refuses positions out of range
    if college and college not in College.values:
        raise ValidationError({"college": _("Choose a college from the list.")})
    signed_in = bool(user and user.is_authenticated)
    if not signed_in and not session_key:
        raise ValidationError(_("Your browser must accept the site's session cookie."))
    cleaned = clean_image(*image) if image else None
    lookup = (
        {"site": site, "author": user} if signed_in else {"site": site, "session_key": session_key}
    )
    positions = {k: result.settings[k] for k in site.sliders}
    with transaction.atomic():
        vision = Vision.objects.select_for_update().filter(**lookup).first() or Vision(**lookup)
        vision.title, vision.text, vision.college = title.strip(), text.strip(), college
        vision.settings, vision.facilities = (
            positions,
            [f for f in facilities if f in site.facilities],
        )
        vision.full_clean(exclude=["image", "author"])
        if cleaned is not None:
            data, suffix, _w, _h = cleaned
            vision.image.save(f"vision-{site.pk}{suffix}", ContentFile(data), save=False)
        try:
            with transaction.atomic():
                vision.save()
        except IntegrityError as err:  # the same person twice at once
            raise ValidationError(_("Your vision was just saved; reload the page.")) from err
    return vision


def visions_frame(site: SliderSite) -> pd.DataFrame:
    """One row per vision: its id, college and slider positions."""
    rows = [
        {"id": v.pk, "college": v.college, **{k: v.settings.get(k) for k in site.sliders}}
        for v in site.visions.all().only("pk", "college", "settings")
    ]
    return pd.DataFrame(rows, columns=["id", "college", *site.sliders]).set_index("id")


def distribution(site: SliderSite) -> tuple[pd.DataFrame, Vision | None]:
    """Median and spread per slider (everyone and by college), and the vision closest to it."""
    frame = visions_frame(site)
    summary = slider_distribution(frame, site.sliders)
    catalogue = {s.id: (s.min, s.max) for s in load_catalogue()}
    closest = closest_to_median(frame, site.sliders, {k: catalogue[k] for k in site.sliders})
    return summary, (Vision.objects.get(pk=closest) if closest is not None else None)
