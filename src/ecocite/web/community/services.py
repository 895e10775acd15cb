"""Community services: profiles and what others see of them, calls and answers, cases.

Every write checks its rule here (pages and API call the same functions), and every way a
profile is shown to someone else goes through :func:`public_profile`.
"""

from __future__ import annotations

import statistics
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ecocite.participation.matching import Match, Need, Offer, rank_contributors
from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.community.models import (
    PROFILE_FIELDS,
    AnswerStatus,
    Call,
    CallAnswer,
    CareerStage,
    Case,
    Method,
    OrganisationKind,
    Profile,
    ThemeFollow,
)
from ecocite.web.consultations.models import ACCEPTED_STATUSES, Process, Proposal
from ecocite.web.core.permissions import check_permission
from ecocite.web.core.phases import phases_of

# City-size bands for filtering cases (residents), the band's upper bound excluded.
CITY_SIZES: dict[str, tuple[int, int | None]] = {
    "small": (0, 100_000),
    "medium": (100_000, 1_000_000),
    "large": (1_000_000, 5_000_000),
    "very_large": (5_000_000, None),
}


# ---------------------------------------------------------------- profiles


def public_profile(profile: Profile, viewer: Any = None) -> dict[str, Any]:
    """Return what ``viewer`` may see of ``profile``: its public fields, or all of it for its owner.

    The name shown and whether the institution was verified are always public.
    """
    own = viewer is not None and getattr(viewer, "pk", None) == profile.user_id
    shown = set(PROFILE_FIELDS) if own else set(profile.public_fields) & set(PROFILE_FIELDS)
    view: dict[str, Any] = {
        "id": profile.pk,
        "display_name": profile.display_name,
        "verified": profile.verified_at is not None and "institution" in shown,
    }
    if "discipline" in shown and profile.discipline:
        view["discipline"] = profile.discipline
        view["discipline_label"] = profile.get_discipline_display()
    if "career_stage" in shown and profile.career_stage:
        view["career_stage"] = profile.career_stage
        view["career_stage_label"] = profile.get_career_stage_display()
    if "skills" in shown and profile.skills:
        view["skills"] = profile.skills
    if "languages" in shown and profile.languages:
        view["languages"] = list(profile.languages)
    if "institution" in shown and profile.institution_id:
        view["institution"] = profile.institution
    if "city" in shown and profile.city_id:
        view["city"] = profile.city
    if "location" in shown and profile.lon is not None and profile.lat is not None:
        view["lon"], view["lat"] = profile.lon, profile.lat
    if "availability" in shown:
        view["availability"] = profile.availability
        view["availability_label"] = profile.get_availability_display()
    if "bio" in shown and profile.bio:
        view["bio"] = profile.bio
    return view


def save_profile(user: Any, data: dict[str, Any], profile: Profile | None = None) -> Profile:
    """Create or update the person's own profile from cleaned form data."""
    if not (user and user.is_authenticated):
        raise ValidationError(_("Sign in to describe yourself."))
    profile = profile or Profile(user=user)
    if profile.pk:
        check_permission(user, "community.change_profile", profile)
    institution = data.get("institution")
    changed_institution = profile.institution_id != (institution.pk if institution else None)
    for name, value in data.items():
        setattr(profile, name, value)
    if changed_institution:  # a new claim must be verified anew
        profile.verified_at, profile.verified_by = None, None
    profile.full_clean()
    profile.save()
    return profile


def verify_profile(user: Any, profile: Profile) -> Profile:
    """Record that an administrator checked the person belongs to their institution."""
    check_permission(user, "community.verify_profile", profile)
    if profile.institution_id is None:
        raise ValidationError(_("This person names no institution to verify."))
    if "institution" not in profile.public_fields:
        # The badge is public: verifying a private membership would reveal it.
        raise ValidationError(_("Only a membership made public can be verified."))
    profile.verified_at, profile.verified_by = timezone.now(), user
    profile.save(update_fields=["verified_at", "verified_by"])
    return profile


def visible_profiles(
    viewer: Any = None, *, discipline: str = "", language: str = ""
) -> list[dict[str, Any]]:
    """Public views of the profiles, filtered only on what each person made public."""
    rows = Profile.objects.select_related("institution", "city").order_by("display_name", "pk")
    views = [public_profile(p, viewer) for p in rows]
    if discipline:
        views = [v for v in views if v.get("discipline") == discipline]
    if language:
        views = [v for v in views if language in v.get("languages", [])]
    return views


# ---------------------------------------------------------------- calls and answers


def _centre(city: Any) -> tuple[float, float] | tuple[None, None]:
    """Give the centre of a city's boundary (lon, lat), or (None, None) without a boundary."""
    if city is None or not city.boundary:
        return None, None
    from shapely.geometry import shape

    geometry = city.boundary.get("geometry", city.boundary)
    if geometry.get("type") == "FeatureCollection":
        geometry = geometry["features"][0]["geometry"]
    point = shape(geometry).representative_point()
    return point.x, point.y


def publish_call(user: Any, process: Process, data: dict[str, Any]) -> Call:
    """Publish a call for contributors on a process, and tell those who follow its themes."""
    check_permission(user, "community.add_call", process)
    call = Call(process=process, created_by=user, **data)
    call.full_clean()
    if not call.title_fr and not call.title_zh and not call.title_en:
        raise ValidationError({"title_fr": _("Give the call a title in at least one language.")})
    if call.ends_on < call.starts_on:
        raise ValidationError({"ends_on": _("The call cannot end before it starts.")})
    with transaction.atomic():
        call.save()
        transaction.on_commit(lambda: _tell_followers("call", call.pk))
    return call


def close_call(user: Any, call: Call) -> Call:
    """Stop taking answers on a call."""
    check_permission(user, "community.change_call", call)
    if call.closed_at is None:
        call.closed_at = timezone.now()
        call.save(update_fields=["closed_at"])
    return call


def answer_call(user: Any, call: Call, message: str, organisation: Any = None) -> CallAnswer:
    """Offer to help with a call (once per person; answering again changes the message)."""
    check_permission(user, "community.answer_call", call)
    if (
        organisation is not None
        and not Profile.objects.filter(user=user, institution=organisation).exists()
    ):
        raise ValidationError(
            {"organisation": _("You can answer for an organisation only if you are its member.")}
        )
    answer = CallAnswer.objects.filter(call=call, person=user).first()
    if answer is not None and answer.status not in (AnswerStatus.PENDING, AnswerStatus.WITHDRAWN):
        raise ValidationError(_("The organiser has already decided on your answer."))
    answer = answer or CallAnswer(call=call, person=user)
    answer.message, answer.organisation = message, organisation
    answer.status = AnswerStatus.PENDING
    answer.full_clean(exclude=["call", "person"])
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as err:  # two submissions at once
        raise ValidationError(_("You have already answered this call.")) from err
    return answer


def decide_answer(user: Any, answer: CallAnswer, *, accept: bool) -> CallAnswer:
    """Accept or decline an answer; an accepted person gets the role the call grants."""
    check_permission(user, "community.decide_answer", answer)
    if answer.status == AnswerStatus.WITHDRAWN:
        raise ValidationError(_("This answer was withdrawn."))
    with transaction.atomic():
        answer.status = AnswerStatus.ACCEPTED if accept else AnswerStatus.DECLINED
        answer.decided_by, answer.decided_at = user, timezone.now()
        answer.save(update_fields=["status", "decided_by", "decided_at"])
        if accept and answer.call.grants_facilitator:
            kind = ContentType.objects.get_for_model(Process)
            Role.objects.get_or_create(
                user=answer.person,
                kind=RoleKind.FACILITATOR,
                scope_type=kind,
                scope_id=answer.call.process_id,
            )
    return answer


def suggested_matches(call: Call, viewer: Any = None, *, limit: int = 10) -> list[dict[str, Any]]:
    """Rank profiles for a call on what each person made public, with the reasons in words."""
    lon, lat = _centre(call.process.city)
    need = Need(
        disciplines=frozenset(call.disciplines),
        languages=frozenset(call.languages),
        lon=lon,
        lat=lat,
        online=call.online,
    )
    taken = set(call.answers.values_list("person_id", flat=True))
    views = {
        v["id"]: v
        for v in (
            public_profile(p, viewer)
            for p in Profile.objects.select_related("institution", "city").exclude(
                user_id__in=taken
            )
        )
    }
    offers = []
    for view in views.values():
        place_lon, place_lat = view.get("lon"), view.get("lat")
        if place_lon is None and view.get("city") is not None:
            place_lon, place_lat = _centre(view["city"])
        offers.append(
            Offer(
                key=view["id"],
                discipline=view.get("discipline", ""),
                languages=frozenset(view.get("languages", [])),
                lon=place_lon,
                lat=place_lat,
                available=view.get("availability", "available") != "unavailable",
            )
        )
    return [
        {"profile": views[m.key], "match": m, "explanation": explain_match(m, views[m.key])}
        for m in rank_contributors(need, offers, limit=limit)
    ]


def explain_match(match: Match, view: dict[str, Any]) -> str:
    """Say in the active language why a profile was suggested."""
    parts = []
    if "languages" in match.reasons:
        parts.append(_("speaks %(languages)s") % {"languages": ", ".join(match.languages)})
    if "discipline" in match.reasons:
        parts.append(str(view.get("discipline_label", "")))
    if "near" in match.reasons and match.distance_km is not None:
        parts.append(_("%(km)s km away") % {"km": f"{match.distance_km:.0f}"})
    return ", ".join(p for p in parts if p)


# ---------------------------------------------------------------- cases


def process_closed(process: Process, now: Any = None) -> bool:
    """Tell whether the process has phases and the last of them has ended."""
    phases = phases_of(process)
    return bool(phases) and max(p.ends_at for p in phases) <= (now or timezone.now())


def process_contributors(process: Process) -> dict[str, int]:
    """Count accepted contributors from universities and young professionals on a process."""
    accepted = CallAnswer.objects.filter(
        call__process=process, status=AnswerStatus.ACCEPTED
    ).select_related("organisation", "person__community_profile__institution")
    universities, young = set(), set()
    for answer in accepted:
        profile = getattr(answer.person, "community_profile", None)
        org = answer.organisation or (profile.institution if profile else None)
        if org is not None and org.kind == OrganisationKind.UNIVERSITY:
            universities.add(answer.person_id)
        if profile is not None and profile.career_stage in (
            CareerStage.STUDENT,
            CareerStage.YOUNG_PROFESSIONAL,
        ):
            young.add(answer.person_id)
    return {
        "contributors_universities": len(universities),
        "contributors_young_professionals": len(young),
    }


def process_figures(process: Process) -> dict[str, Any]:
    """Compute a process's participation figures from its rows (never typed in by hand)."""
    from ecocite.web.consultations.services import process_upstream_days
    from ecocite.web.interactions.models import Comment, Support

    proposals = Proposal.objects.filter(process=process, hidden_at=None)
    kind = ContentType.objects.get_for_model(Proposal)
    ids = list(proposals.values_list("pk", flat=True))
    comments = Comment.objects.filter(target_type=kind, target_id__in=ids)
    supports = Support.objects.filter(target_type=kind, target_id__in=ids)
    people = (
        set(proposals.exclude(author=None).values_list("author_id", flat=True))
        | set(comments.exclude(author=None).values_list("author_id", flat=True))
        | set(supports.values_list("user_id", flat=True))
    )
    answered = [
        (answered_at - created).total_seconds() / 86400
        for created, answered_at in proposals.exclude(answered_at=None).values_list(
            "created_at", "answered_at"
        )
    ]
    n = len(ids)
    figures: dict[str, Any] = {
        "participants": len(people),
        "proposals": n,
        "comments": comments.count(),
        "supports": supports.count(),
        "proposals_answered_share": round(len(answered) / n, 4) if n else None,
        "median_days_to_answer": round(statistics.median(answered), 1) if answered else None,
        "upstream_days": process_upstream_days(process),
        "calls": Call.objects.filter(process=process).count(),
    }
    figures.update(process_contributors(process))
    return figures


def process_methods(process: Process) -> list[str]:
    """Name the participation methods the platform recorded for a process."""
    from ecocite.web.interactions.models import Comment, Support

    methods = []
    proposals = Proposal.objects.filter(process=process)
    if proposals.exists():
        methods.append(str(Method.PROPOSALS))
        kind = ContentType.objects.get_for_model(Proposal)
        ids = proposals.values("pk")
        if (
            Comment.objects.filter(target_type=kind, target_id__in=ids).exists()
            or Support.objects.filter(target_type=kind, target_id__in=ids).exists()
        ):
            methods.append(str(Method.COMMENTS))
    from ecocite.web.workshops.models import Workshop

    held = set(
        Workshop.objects.filter(process=process)
        .exclude(closed_at=None)
        .values_list("kind", flat=True)
    )
    if held & {"in_person", "hybrid"}:
        methods.append(str(Method.WORKSHOP_IN_PERSON))
    if held & {"online", "hybrid"}:
        methods.append(str(Method.WORKSHOP_ONLINE))
    from django.apps import apps

    if apps.is_installed("ecocite.web.conversations"):
        conversation = apps.get_model("conversations", "Conversation")
        if conversation.objects.filter(process=process).exists():
            methods.append(str(Method.OPINION_MAPPING))
    if process.slider_sites.filter(visions__isnull=False).exists():
        methods.append(str(Method.SCENARIO_SLIDERS))
    return methods


def decided_items(process: Process) -> list[dict[str, str]]:
    """List what was decided on the process: accepted proposals with their status and answer."""
    rows = Proposal.objects.filter(
        process=process, hidden_at=None, status__in=ACCEPTED_STATUSES
    ).order_by("pk")
    return [{"title": p.title, "status": p.status, "answer": (p.answer or "")[:500]} for p in rows]


def _facets(case: Case) -> str:
    words = [f"method:{m}" for m in case.methods] + [f"theme:{t}" for t in case.themes]
    words += [f"lang:{lang}" for lang in case.languages]
    return " " + " ".join(words) + " "


def publish_case(
    user: Any, process: Process, data: dict[str, Any], *, extra_methods: list[str] | None = None
) -> Case:
    """Publish a closed process as a case; its figures and decisions are read from the process."""
    check_permission(user, "community.publish_case", process)
    return create_case(process, data, published_by=user, extra_methods=extra_methods)


def create_case(
    process: Process,
    data: dict[str, Any],
    *,
    published_by: Any = None,
    extra_methods: list[str] | None = None,
    illustrative: bool = False,
) -> Case:
    """Build and save the case of a process (the rule is the caller's: see :func:`publish_case`)."""
    if Case.objects.filter(process=process).exists():
        raise ValidationError(_("This process is already published as a case."))
    methods = sorted(set(process_methods(process)) | set(extra_methods or []))
    data = dict(data)
    declared_heritage = bool(data.pop("heritage", False))
    case = Case(
        process=process,
        city=process.city,
        scale=process.scale,
        methods=methods,
        heritage=Proposal.objects.filter(process=process).exclude(heritage="").exists()
        or declared_heritage,
        figures=process_figures(process),
        decided=decided_items(process),
        published_by=published_by,
        published_at=timezone.now(),
        illustrative=illustrative or process.illustrative,
        **data,
    )
    for lang in ("fr", "zh", "en"):
        if not getattr(case, f"title_{lang}"):
            setattr(case, f"title_{lang}", getattr(process, f"title_{lang}"))
    case.slug = _unique_slug(process.slug)
    case.facets = _facets(case)
    case.full_clean()
    with transaction.atomic():
        case.save()
        transaction.on_commit(lambda: _tell_followers("case", case.pk))
    return case


def update_case(user: Any, case: Case, data: dict[str, Any]) -> Case:
    """Change what the organiser wrote (question, lessons, themes); figures stay as computed."""
    check_permission(user, "community.change_case", case)
    for name in ("question", "lessons", "title"):
        for lang in ("fr", "zh", "en"):
            key = f"{name}_{lang}"
            if key in data:
                setattr(case, key, data[key])
    if "themes" in data:
        case.themes = list(data["themes"])
    case.facets = _facets(case)
    case.full_clean()
    case.save()
    return case


def _unique_slug(base: str) -> str:
    slug = slugify(base)[:60] or "case"
    candidate, n = slug, 2
    while Case.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def search_cases(
    *,
    text: str = "",
    scale: str = "",
    method: str = "",
    theme: str = "",
    heritage: bool | None = None,
    city_size: str = "",
    country: str = "",
    language: str = "",
) -> QuerySet[Case]:
    """Filter the library of cases; text is searched in every language of the case."""
    rows = Case.objects.select_related("city")
    if text:
        match = Q()
        for field in ("title", "question", "lessons"):
            for lang in ("fr", "zh", "en"):
                match |= Q(**{f"{field}_{lang}__icontains": text})
        rows = rows.filter(
            match
            | Q(city__name_fr__icontains=text)
            | Q(city__name_zh__icontains=text)
            | Q(city__name_en__icontains=text)
        )
    if scale:
        rows = rows.filter(scale=scale)
    if method:
        rows = rows.filter(facets__contains=f" method:{method} ")
    if theme:
        rows = rows.filter(facets__contains=f" theme:{theme} ")
    if language:
        rows = rows.filter(facets__contains=f" lang:{language} ")
    if heritage is not None:
        rows = rows.filter(heritage=heritage)
    if city_size in CITY_SIZES:
        low, high = CITY_SIZES[city_size]
        rows = rows.filter(population__gte=low)
        if high is not None:
            rows = rows.filter(population__lt=high)
    if country:
        rows = rows.filter(city__country=country.upper())
    return rows.order_by("-published_at", "slug")


def share_published(city: Any) -> float | None:
    """Share of a city's closed processes published as cases (None if none has closed)."""
    closed = [p for p in Process.objects.filter(city=city) if process_closed(p)]
    if not closed:
        return None
    published = Case.objects.filter(process__in=closed).count()
    return round(published / len(closed), 4)


# ---------------------------------------------------------------- following themes


def follow_theme(user: Any, theme: str, *, follow: bool = True) -> None:
    """Follow or stop following a theme."""
    check_permission(user, "community.follow_theme", None)
    if follow:
        ThemeFollow.objects.get_or_create(user=user, theme=theme)
    else:
        ThemeFollow.objects.filter(user=user, theme=theme).delete()


def _tell_followers(kind: str, pk: int) -> None:
    """Mail the followers of the item's themes, each in their preferred language."""
    item: Any = (Case if kind == "case" else Call).objects.filter(pk=pk).first()
    if item is None or not item.themes:
        return
    follows = ThemeFollow.objects.filter(theme__in=item.themes).select_related("user")
    people = {f.user for f in follows if f.user.email and f.user.is_active}
    for person in sorted(people, key=lambda u: u.pk):
        with translation.override(person.preferred_language):
            subject = (
                _("New case in the library: %(title)s")
                if kind == "case"
                else _("New call for contributors: %(title)s")
            ) % {"title": item.title}
            body = render_to_string(
                "community/mail_new_item.txt", {"item": item, "kind": kind, "person": person}
            )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
