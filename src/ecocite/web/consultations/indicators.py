"""Participation indicators of a city: export the consultation tables, compute, import.

The engine (:mod:`ecocite.participation.indicators`, no Django) computes the indicators from
plain tables; this module writes those tables from the consultations of one city and imports
the values the city's reference framework knows as one dataset, as an upload would (each value
keeps its provenance). Officials of the city do it from the page ``/consultations/indicators/
<city>/``; the command ``ecocite-web manage participation_indicators`` does it from a shell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecocite.participation.indicators import (
    COLLEGES,
    INDICATORS,
    IndicatorInputError,
    ParticipationTables,
    participation_values,
)
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.core.models import Action, Phase
from ecocite.web.core.permissions import check_permission
from ecocite.web.interactions.models import Comment, Support


def export_tables(city: Any, year: int, population: float | None) -> ParticipationTables:
    """Write the engine's input tables from the consultations of ``city``.

    Hidden (moderated) proposals are left out; participants are the distinct accounts that
    proposed, commented on a proposal or supported one during ``year``.
    """
    processes = list(
        Process.objects.filter(city=city).values("pk", "decision_planned_on", "illustrative")
    )
    ids = [p["pk"] for p in processes]
    kind = ContentType.objects.get_for_model(Process)
    phases = list(
        Phase.objects.filter(process_type=kind, process_id__in=ids).values(
            "process_id", "starts_at", "ends_at", "actions"
        )
    )
    proposals = Proposal.objects.filter(process__city=city, hidden_at__isnull=True)
    rows = list(proposals.values("pk", "process_id", "created_at", "answered_at", "author_id"))
    # the shared "former participant" account stands for many deleted people: not one person
    former = set(get_user_model().objects.filter(former=True).values_list("pk", flat=True))
    proposal_type = ContentType.objects.get_for_model(Proposal)
    on_city = {"target_type": proposal_type, "target_id__in": proposals.values("pk")}
    people = {r["author_id"] for r in rows if r["created_at"].year == year and r["author_id"]}
    people |= set(
        Comment.objects.filter(**on_city, created_at__year=year, author__isnull=False)
        .values_list("author_id", flat=True)
        .distinct()
    )
    people |= set(
        Support.objects.filter(**on_city, created_at__year=year)
        .values_list("user_id", flat=True)
        .distinct()
    )
    people -= former
    from ecocite.web.workshops.models import InPersonContribution

    typed_in_room = set(
        InPersonContribution.objects.filter(target_type=proposal_type).values_list(
            "target_id", flat=True
        )
    )
    return ParticipationTables(
        processes=pd.DataFrame(
            {
                "process": [p["pk"] for p in processes],
                "decision_planned_on": [p["decision_planned_on"] for p in processes],
            }
        ),
        phases=pd.DataFrame(
            {
                "process": [p["process_id"] for p in phases],
                "starts_at": pd.to_datetime([p["starts_at"] for p in phases], utc=True),
                "ends_at": pd.to_datetime([p["ends_at"] for p in phases], utc=True),
                "opens_propose": [str(Action.PROPOSE) in p["actions"] for p in phases],
            }
        ),
        proposals=pd.DataFrame(
            {
                "proposal": [r["pk"] for r in rows],
                "process": [r["process_id"] for r in rows],
                "created_at": pd.to_datetime([r["created_at"] for r in rows], utc=True),
                # typed in at a workshop, or written online: the channel is always known here
                "in_person": [r["pk"] in typed_in_room for r in rows],
            }
        ),
        answers=pd.DataFrame(
            {
                "proposal": [r["pk"] for r in rows if r["answered_at"]],
                "answered_at": pd.to_datetime(
                    [r["answered_at"] for r in rows if r["answered_at"]], utc=True
                ),
            }
        ),
        participants=pd.DataFrame({"participant": sorted(people)}),
        population=population,
        exported_at=pd.Timestamp(timezone.now()),
        **_community_tables(ids),
    )


def _community_tables(process_ids: list[int]) -> dict[str, pd.DataFrame]:
    """Workshops held (attendance by college), accepted contributors, published cases."""
    from ecocite.web.community.models import AnswerStatus, CallAnswer, Case, OrganisationKind
    from ecocite.web.workshops.models import Workshop

    held = Workshop.objects.filter(process_id__in=process_ids).exclude(closed_at=None)
    workshops = pd.DataFrame(
        [
            {"workshop": w.pk, "process": w.process_id, "held_on": w.starts_at,
             **{f"attendance_{c}": w.attendance_by_college.get(c, 0) for c in COLLEGES}}
            for w in held
        ],
        columns=["workshop", "process", "held_on", *(f"attendance_{c}" for c in COLLEGES)],
    )  # fmt: skip
    answers = CallAnswer.objects.filter(
        call__process_id__in=process_ids, status=AnswerStatus.ACCEPTED
    ).select_related("call", "organisation", "person__community_profile__institution")
    contributors = []
    for answer in answers:
        profile = getattr(answer.person, "community_profile", None)
        org = answer.organisation or (profile.institution if profile else None)
        contributors.append({
            "process": answer.call.process_id, "person": answer.person_id,
            "university": org is not None and org.kind == OrganisationKind.UNIVERSITY,
            "young": profile is not None and profile.career_stage in ("student", "young_professional"),
        })  # fmt: skip
    cases = list(
        Case.objects.filter(process_id__in=process_ids).values_list("process_id", flat=True)
    )
    return {
        "workshops": workshops,
        "contributors": pd.DataFrame(
            contributors, columns=["process", "person", "university", "young"]
        ),
        "cases": pd.DataFrame({"process": cases}),
    }


@dataclass(frozen=True)
class Computed:
    """The tidy values of a city and year, and whether they rest on illustrative content."""

    values: pd.DataFrame
    illustrative: bool


def compute_values(
    city: Any, year: int, population: float | None, population_source: str = ""
) -> Computed:
    """Compute the participation indicators of ``city`` for ``year`` (nothing is written)."""
    tables = export_tables(city, year, population)
    source = _("EcoCité consultations of %(city)s, exported %(day)s") % {
        "city": city.name,
        "day": timezone.now().date().isoformat(),
    }
    if population_source:
        source += _("; population: %(source)s") % {"source": population_source}
    try:
        values = participation_values(
            tables,
            city=city.slug,
            year=year,
            source=source,
            as_of=timezone.now().isoformat(),
        )
    except IndicatorInputError as err:  # the export is ours: a bug, but say what
        raise ValidationError(str(err)) from err
    illustrative = bool(
        city.illustrative or Process.objects.filter(city=city, illustrative=True).exists()
    )
    return Computed(values, illustrative)


def import_participation(
    user: Any,
    city: Any,
    year: int,
    *,
    population: float | None,
    population_source: str = "",
    framework_key: str,
) -> Any:
    """Compute and import the values the framework knows, as one dataset of ``city``."""
    from ecocite.web.datasets.services import DataImportError, import_upload
    from ecocite.web.frameworks.registry import framework_by_key

    check_permission(user, "consultations.import_indicators", city)
    computed = compute_values(city, year, population, population_source)
    known = set(framework_by_key(framework_key).indicator_ids())
    table = computed.values[computed.values["indicator"].isin(known)]
    if table.empty:
        raise ValidationError(
            _("No participation indicator of %(year)d can be computed for this framework.")
            % {"year": year}
        )
    suffix = "_illustrative" if computed.illustrative else ""
    name = f"{city.slug}_participation_{year}{suffix}.csv"
    try:
        with transaction.atomic():
            return import_upload(
                name,
                table.to_csv(index=False).encode("utf-8"),
                city=city,
                framework_key=framework_key,
                user=user,
                illustrative=computed.illustrative,
            )
    except DataImportError as err:
        raise ValidationError([str(e) for e in err.errors][:20]) from err


__all__ = ["INDICATORS", "Computed", "compute_values", "export_tables", "import_participation"]
