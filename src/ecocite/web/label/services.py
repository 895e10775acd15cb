"""The label workflow: applying, moving through the engine's stage table, reviews, jury, log.

Which step may follow which, who may take it and what it requires is the engine's declared
table (:data:`ecocite.label.stages.TRANSITIONS`); this module only turns the database into the
engine's :class:`~ecocite.label.stages.ApplicationState`, asks it, writes the outcome, and
appends every transition, review submission, vote, decision and evidence file to the decision
log (:class:`~ecocite.web.label.models.LogRow`), chained as :mod:`ecocite.label.log` verifies.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecocite.assessment import Assessment, assess
from ecocite.data import data_hash
from ecocite.label import (
    GENESIS,
    ApplicationState,
    Evidence,
    JuryMember,
    LabelStage,
    Missing,
    NextStep,
    Verification,
    canonical_json,
    check_transition,
    make_entry,
    next_steps,
    verify,
)
from ecocite.label import (
    Review as EngineReview,
)
from ecocite.label.stages import TRANSITIONS
from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.accounts.predicates import is_administrator
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.assessments.models import Status as RunStatus
from ecocite.web.cities.models import City
from ecocite.web.consultations.models import PlanAction, Process
from ecocite.web.frameworks.registry import framework_by_key
from ecocite.web.label.models import (
    Action,
    Application,
    Ballot,
    Call,
    Decision,
    EvidenceFile,
    LinkedProcess,
    LogHead,
    LogRow,
    Member,
    Programme,
    Review,
)

# Outcomes a jury decides (with reasons, on a frozen evidence bundle); other steps are the
# secretariat's transitions.
DECISIONS = frozenset(
    {
        LabelStage.LABELLED,
        LabelStage.REFUSED,
        LabelStage.CONFIRMED,
        LabelStage.RAISED,
        LabelStage.LOWERED,
        LabelStage.WITHDRAWN,
    }
)
PDF_MAGIC = b"%PDF-"
CHARTER_MAX_BYTES = 10 * 1024 * 1024


class LabelRefused(ValidationError):
    """A label action is refused; ``reasons`` are the engine's :class:`Missing` items."""

    def __init__(self, reasons: Iterable[Missing]) -> None:
        self.reasons = list(reasons)
        super().__init__([explain(m) for m in self.reasons])


# the decision log ---------------------------------------------------------------------------
def append_log(
    kind: str,
    role: str,
    payload: Mapping[str, Any],
    *,
    application: Application | None = None,
    evidence: Iterable[Evidence] = (),
    private: Mapping[str, Any] | None = None,
) -> LogRow:
    """Append one entry to the platform's decision log, chained onto the current head.

    The head row is locked for the append, so concurrent appends are serialised; call inside
    the transaction that makes the change the entry records.
    """
    with transaction.atomic():
        LogHead.objects.get_or_create(pk=1, defaults={"count": 0, "head": GENESIS})
        head = LogHead.objects.select_for_update().get(pk=1)
        entry = make_entry(
            head.count,
            head.head,
            kind,  # type: ignore[arg-type]
            role,
            payload,
            evidence=evidence,
            private=private,
            time=timezone.now(),
        )
        row = LogRow.objects.create(
            seq=entry.seq,
            time=entry.time,
            kind=entry.kind,
            role=entry.role,
            payload=entry.payload,
            evidence=[e.model_dump() for e in entry.evidence],
            private_digest=entry.private_digest,
            prev=entry.prev,
            hash=entry.hash,
            private=entry.private,
            application=application,
        )
        head.count, head.head = entry.seq + 1, entry.hash
        head.save(update_fields=["count", "head"])
    return row


def log_entries(*, public: bool = False, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Every log row as the engine reads it, in the order they were written."""
    last = 0
    while True:
        rows = list(LogRow.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return
        for row in rows:
            entry = row.to_entry()
            if public:
                entry.pop("private", None)
            yield entry
        last = rows[-1].pk


def verify_database(*, evidence: bool = True) -> Verification:
    """Re-check the whole decision log in the database, evidence files included.

    The head row kept beside the log is the anchor: cut-off last rows are found too.
    """
    head = LogHead.objects.filter(pk=1).first()
    return verify(
        log_entries(),
        evidence_dir=Path(settings.MEDIA_ROOT) if evidence else None,
        expected_head=head.head if head else None,
        expected_count=head.count if head else None,
    )


def _evidence_of(stored: EvidenceFile) -> Evidence:
    return Evidence(name=stored.file.name, sha256=stored.sha256)


def keep_evidence(
    application: Application, name: str, content: bytes, *, review: Review | None, role: str
) -> EvidenceFile:
    """Store an evidence file and log it by its SHA-256 (the file is re-hashed by ``verify``)."""
    digest = hashlib.sha256(content).hexdigest()
    stored = EvidenceFile(application=application, review=review, name=name[:200], sha256=digest)
    stored.file.save(f"{digest[:16]}-{Path(name).name[-80:]}", ContentFile(content), save=False)
    stored.save()
    append_log(
        "evidence",
        role,
        {"application": application.pk, "file": "review" if review else "application"},
        application=application,
        evidence=[_evidence_of(stored)],
    )
    return stored


# who is who ---------------------------------------------------------------------------------
def label_roles(user: Any, application: Application) -> set[str]:
    """Return the engine roles ``user`` holds for ``application`` (``secretariat`` …)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    out = set()
    if is_administrator(user):
        out.add("administrator")
    programme = application.programme
    if (
        Role.objects.filter(user_id=user.pk, kind=RoleKind.SECRETARIAT, scope_id=programme.pk)
        .filter(scope_type__model="programme", scope_type__app_label="label")
        .exists()
    ):
        out.add("secretariat")
    kinds = set(
        Member.objects.filter(programme=programme, user_id=user.pk).values_list("kind", flat=True)
    )
    if Member.Kind.CHAIR in kinds:
        out |= {"jury_chair", "jury_member"}
    if Member.Kind.JUROR in kinds:
        out.add("jury_member")
    if application.reviews.filter(assessor_id=user.pk).exists():
        out.add("assessor")
    if Role.objects.filter(
        user_id=user.pk, kind=RoleKind.CITY_OFFICIAL, city_id=application.city_id
    ).exists():
        out.add("city")
    return out


def _acting_role(user: Any, application: Application, allowed: Iterable[str]) -> str:
    held = label_roles(user, application)
    for role in sorted(allowed):
        if role in held:
            return role
    return sorted(held)[0] if held else "anonymous"


# the engine's view of an application --------------------------------------------------------
def state_of(
    application: Application, conflicts: set[tuple[int, int]] | None = None
) -> ApplicationState:
    """Build the engine's state of ``application`` from the database (pure data).

    Reads the application's processes, reviews, ballots and actions through ``.all()``, so a
    list page that prefetches them (and passes ``conflicts``, the (user, city) pairs holding an
    official or jury role) builds many states without a query each.
    """
    reviews = list(application.reviews.all())
    if conflicts is None:
        conflicts = set(
            Role.objects.filter(
                city_id=application.city_id,
                user_id__in=[r.assessor_id for r in reviews],
                kind__in=[RoleKind.CITY_OFFICIAL, RoleKind.JURY],
            ).values_list("user_id", "city_id")
        )
    return ApplicationState(
        stage=LabelStage(application.stage),
        charter_signed=bool(application.charter_sha256),
        pilot_site=application.pilot_site is not None,
        frozen_assessment=str(application.frozen_assessment_id or "") or None,
        consultation_scales=frozenset(p.scale for p in application.processes.all()),
        action_plan_actions=len(application.actions.all()),
        reviews=tuple(
            EngineReview(
                assessor=str(r.assessor_id),
                side=r.side,
                submitted=r.submitted_at is not None,
                conflict=r.conflict_declared or (r.assessor_id, application.city_id) in conflicts,
            )
            for r in reviews
        ),
        jury=tuple(
            JuryMember(
                member=str(b.member_id),
                declared_no_conflict=b.no_conflict,
                vote=b.vote or None,
            )
            for b in application.ballots.all()
            if b.round == application.round
        ),
        quorum=application.programme.quorum,
        monitoring_assessment=str(application.monitoring_assessment_id or "") or None,
    )


def has_city_conflict(user_id: int, city_id: int) -> bool:
    """Whether the person holds an official or jury role in the city (a conflict of interest)."""
    return Role.objects.filter(
        user_id=user_id, city_id=city_id, kind__in=[RoleKind.CITY_OFFICIAL, RoleKind.JURY]
    ).exists()


def steps_of(
    application: Application, conflicts: set[tuple[int, int]] | None = None
) -> list[NextStep]:
    """Return the next steps of ``application`` with what is missing for each."""
    return next_steps(state_of(application, conflicts))


# applying -----------------------------------------------------------------------------------
def check_charter(content: bytes, *, field: str = "charter") -> str:
    """Return the SHA-256 of a signed-charter PDF; ValidationError naming the field otherwise."""
    if not content:
        raise ValidationError({field: _("The signed charter is empty.")})
    if len(content) > CHARTER_MAX_BYTES:
        raise ValidationError({field: _("The signed charter is larger than 10 MB.")})
    if not content.startswith(PDF_MAGIC) or b"%%EOF" not in content[-2048:]:
        raise ValidationError({field: _("The signed charter must be a PDF file.")})
    return hashlib.sha256(content).hexdigest()


def check_pilot_site(site: Any, *, field: str = "pilot_site") -> Any:
    """Check a pilot site is a GeoJSON polygon (WGS84); ValidationError naming the field."""
    from ecocite.web.consultations.geometry import check_geometry

    check_geometry(site, field=field, kinds=("Polygon", "MultiPolygon"))
    return site


def apply(
    call: Call,
    city: City,
    *,
    user: Any,
    motivation: str,
    contacts: str,
    pilot_site_name: str = "",
    pilot_site: Any = None,
    charter: bytes | None = None,
    illustrative: bool = False,
) -> Application:
    """Open an application of ``city`` to an open ``call`` (all or nothing)."""
    today = timezone.localdate()
    if not call.opens_on <= today <= call.closes_on:
        raise ValidationError({"call": _("This call is not open for applications.")})
    if Application.objects.filter(call=call, city=city).exists():
        raise ValidationError({"city": _("This city has already applied to this call.")})
    if pilot_site is not None:
        check_pilot_site(pilot_site)
    digest = check_charter(charter) if charter else ""
    with transaction.atomic():
        application = Application(
            call=call,
            city=city,
            motivation=motivation,
            contacts=contacts,
            pilot_site_name=pilot_site_name,
            pilot_site=pilot_site,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            illustrative=illustrative,
        )
        if charter:
            application.charter.save("charter.pdf", ContentFile(charter), save=False)
            application.charter_sha256 = digest
        application.save()
        append_log(
            "transition",
            "city",
            {"application": application.pk, "city": city.slug, "to": "commitment"},
            application=application,
            evidence=[Evidence(name=application.charter.name, sha256=digest)] if charter else (),
            private={"actor": user.pk} if getattr(user, "pk", None) else None,
        )
    return application


def update_application(
    application: Application,
    *,
    user: Any,
    motivation: str | None = None,
    contacts: str | None = None,
    pilot_site_name: str | None = None,
    pilot_site: Any = None,
    charter: bytes | None = None,
) -> Application:
    """Change the commitment file (only while in commitment); a new charter is logged."""
    if application.stage != LabelStage.COMMITMENT:
        raise ValidationError(_("The application file is closed after the commitment stage."))
    if pilot_site is not None:
        check_pilot_site(pilot_site)
    digest = check_charter(charter) if charter else ""
    with transaction.atomic():
        for name, value in (
            ("motivation", motivation),
            ("contacts", contacts),
            ("pilot_site_name", pilot_site_name),
            ("pilot_site", pilot_site),
        ):
            if value is not None:
                setattr(application, name, value)
        if charter:
            application.charter.save("charter.pdf", ContentFile(charter), save=False)
            application.charter_sha256 = digest
            append_log(
                "evidence",
                "city",
                {"application": application.pk, "file": "charter"},
                application=application,
                evidence=[Evidence(name=application.charter.name, sha256=digest)],
            )
        application.save()
    return application


def link_process(application: Application, process: Process, scale: str) -> LinkedProcess:
    """Link a consultation process of the application's city, at ``city`` or ``pilot_site``."""
    if process.city_id != application.city_id:
        raise ValidationError({"process": _("The process must run in the applicant city.")})
    if scale not in LinkedProcess.Scale.values:
        raise ValidationError({"scale": _("Choose the city or the pilot-site scale.")})
    link, _created = LinkedProcess.objects.get_or_create(
        application=application, process=process, defaults={"scale": scale}
    )
    return link


def add_action(
    application: Application,
    *,
    title: str,
    indicator: str,
    target_value: float,
    target_year: int,
    owner: str,
    budget: Any = None,
    status: str = "planned",
    code: str = "",
    illustrative: bool = False,
) -> Action:
    """Add an action to the application's plan (a city plan action that proposals can link to)."""
    framework = framework_by_key(application.programme.framework_key)
    if indicator not in set(framework.indicator_ids()):
        raise ValidationError(
            {"indicator": _("%(id)s is not an indicator of the framework.") % {"id": indicator}}
        )
    if not 2000 <= int(target_year) <= 2100:
        raise ValidationError({"target_year": _("The target year must be between 2000 and 2100.")})
    with transaction.atomic():
        plan_action = PlanAction.objects.create(
            city=application.city,
            code=code,
            title_fr=title,
            due_on=date(int(target_year), 12, 31),
            illustrative=illustrative,
        )
        return Action.objects.create(
            application=application,
            plan_action=plan_action,
            indicator=indicator,
            target_value=float(target_value),
            target_year=int(target_year),
            owner=owner,
            budget=budget,
            status=status,
        )


def set_assessment(application: Application, run: AssessmentRun, *, monitoring: bool) -> None:
    """Attach a frozen assessment of the city (for the diagnostic, or this year's monitoring)."""
    programme = application.programme
    if not run.is_frozen:
        raise ValidationError({"assessment": _("Only a finished, frozen assessment counts.")})
    if run.city_id != application.city_id:
        raise ValidationError({"assessment": _("The assessment must be of the applicant city.")})
    if run.framework_key != programme.framework_key or run.stage != programme.assessment_stage:
        raise ValidationError(
            {"assessment": _("The assessment must use the programme's framework and stage.")}
        )
    if monitoring:
        if application.stage != LabelStage.MONITORING:
            raise ValidationError(_("A monitoring assessment is set in the monitoring stage."))
        application.monitoring_assessment = run
    else:
        if application.stage not in (LabelStage.COMMITMENT, LabelStage.DIAGNOSTIC):
            raise ValidationError(_("The diagnostic assessment is set before co-construction."))
        application.frozen_assessment = run
    application.save(update_fields=["monitoring_assessment", "frozen_assessment", "updated_at"])


# reviews ------------------------------------------------------------------------------------
def assign_assessor(application: Application, assessor: Any, side: str, *, by: Any) -> Review:
    """Assign an assessor of the programme's pool on one side; a conflict blocks it."""
    if application.stage not in (LabelStage.CO_CONSTRUCTION, LabelStage.EXPERT_REVIEW):
        raise ValidationError(_("Assessors are assigned in co-construction or expert review."))
    if not Member.objects.filter(
        programme=application.programme, user=assessor, kind=Member.Kind.ASSESSOR, side=side
    ).exists():
        raise ValidationError(
            {"assessor": _("This person is not in the programme's assessors for this side.")}
        )
    if has_city_conflict(assessor.pk, application.city_id):
        raise ValidationError(
            {"assessor": _("This assessor holds a role in the city: conflict of interest.")}
        )
    if application.reviews.filter(assessor=assessor).exists():
        raise ValidationError({"assessor": _("This assessor already reviews this application.")})
    if application.reviews.filter(side=side).exists():
        raise ValidationError({"side": _("This side already has an assessor.")})
    return Review.objects.create(application=application, assessor=assessor, side=side)


def unassign(review: Review) -> None:
    """Remove an assessor who has not submitted (e.g. after declaring a conflict)."""
    if review.submitted_at is not None:
        raise ValidationError(_("A submitted review stays on the record."))
    review.delete()


def declare_assessor_conflict(review: Review) -> None:
    """Record the assessor's declared conflict: the review is blocked until reassigned."""
    review.conflict_declared = True
    review.save(update_fields=["conflict_declared"])


def submit_review(
    review: Review,
    *,
    findings: Mapping[str, str],
    site_visit: str,
    recommended_level: str,
    files: Iterable[tuple[str, bytes]] = (),
) -> Review:
    """Submit a review with its evidence files; it is final and logged (files by hash)."""
    application = review.application
    if application.stage != LabelStage.EXPERT_REVIEW:
        raise ValidationError(_("Reviews are submitted in the expert-review stage."))
    if review.submitted_at is not None:
        raise ValidationError(_("This review is already submitted."))
    if review.conflict_declared:
        raise ValidationError(_("An assessor with a conflict of interest cannot submit."))
    framework = framework_by_key(application.programme.framework_key)
    levels = {level.id for level in framework.grading.levels}
    if recommended_level and recommended_level not in levels:
        raise ValidationError({"recommended_level": _("Choose a level of the framework.")})
    categories = {c.id for c in framework.categories}
    unknown = set(findings) - categories
    if unknown:
        raise ValidationError(
            {"findings": _("Unknown categories: %(c)s") % {"c": ", ".join(sorted(unknown))}}
        )
    with transaction.atomic():
        stored = [
            keep_evidence(application, name, content, review=review, role="assessor")
            for name, content in files
        ]
        review.findings = {k: str(v) for k, v in findings.items() if str(v).strip()}
        review.site_visit = site_visit
        review.recommended_level = recommended_level
        review.submitted_at = timezone.now()
        review.save()
        append_log(
            "review_submission",
            "assessor",
            {
                "application": application.pk,
                "side": review.side,
                "recommended_level": recommended_level,
                "review_sha256": review_digest(review),
            },
            application=application,
            evidence=[_evidence_of(s) for s in stored],
            private={"actor": review.assessor_id},
        )
    return review


def review_digest(review: Review) -> str:
    """SHA-256 of a review's content (what the jury's evidence bundle commits to)."""
    return hashlib.sha256(
        canonical_json(
            {
                "side": review.side,
                "findings": review.findings,
                "site_visit": review.site_visit,
                "recommended_level": review.recommended_level,
                "files": [f.sha256 for f in review.files.all()],
            }
        )
    ).hexdigest()


def both_reviews_in(application: Application) -> bool:
    """Whether both sides' reviews are submitted (only then may each side read the other)."""
    return (
        application.reviews.filter(submitted_at__isnull=False).values("side").distinct().count()
        >= 2
    )


# jury ---------------------------------------------------------------------------------------
def _jury_open(application: Application) -> None:
    if application.stage not in (LabelStage.JURY, LabelStage.MONITORING):
        raise ValidationError(_("The jury sits in the jury and monitoring stages."))
    if application.stage == LabelStage.MONITORING and not application.monitoring_assessment_id:
        raise ValidationError(_("The jury sits once this year's assessment is attached."))


def declare(application: Application, member: Any, *, no_conflict: bool) -> Ballot:
    """Record a jury member's conflict declaration, made before seeing the file."""
    _jury_open(application)
    if not Member.objects.filter(
        programme=application.programme,
        user=member,
        kind__in=[Member.Kind.JUROR, Member.Kind.CHAIR],
    ).exists():
        raise ValidationError(_("Only the programme's jury declares and votes."))
    ballot, created = Ballot.objects.get_or_create(
        application=application,
        round=application.round,
        member=member,
        defaults={"no_conflict": no_conflict},
    )
    if not created:
        raise ValidationError(_("You have already made your declaration."))
    return ballot


def may_see_file(application: Application, user: Any) -> bool:
    """Tell whether ``user`` may see the file (jury: only after declaring no conflict)."""
    roles = label_roles(user, application)
    if roles & {"administrator", "secretariat"}:
        return True
    if "jury_member" in roles:
        return application.ballots.filter(
            round=application.round, member_id=user.pk, no_conflict=True
        ).exists()
    return bool(roles & {"assessor", "city"})


def cast_vote(
    application: Application, member: Any, *, vote: str, comment: str, level: str = ""
) -> Ballot:
    """Cast a jury vote with its comment (after declaring no conflict; reviewers cannot)."""
    _jury_open(application)
    if application.reviews.filter(assessor=member).exists():
        raise LabelRefused([Missing(message_id="label.missing.reviewer_voted")])
    ballot = Ballot.objects.filter(
        application=application, round=application.round, member=member
    ).first()
    if ballot is None or not ballot.no_conflict:
        raise LabelRefused([Missing(message_id="label.missing.conflict_declaration")])
    if ballot.vote:
        raise ValidationError(_("You have already voted."))
    if vote not in Ballot.Vote.values:
        raise ValidationError({"vote": _("Vote to award or to refuse.")})
    with transaction.atomic():
        ballot.vote, ballot.comment, ballot.level = vote, comment, level
        ballot.voted_at = timezone.now()
        ballot.save()
        append_log(
            "vote",
            "jury_member",
            {
                "application": application.pk,
                "round": application.round,
                "vote": vote,
                "level": level,
            },
            application=application,
            private={"actor": member.pk, "comment": comment},
        )
    return ballot


def evidence_bundle(application: Application) -> dict[str, Any]:
    """Return the evidence the jury decides on: assessment, reviews, plan, consultations."""
    run = application.monitoring_assessment or application.frozen_assessment
    assessment = None
    if run is not None:
        assessment = {
            "id": run.pk,
            "framework": run.framework_key,
            "stage": run.stage,
            "year": run.year,
            "level": run.level,
            "data_hash": run.data_hash,
            "result_sha256": hashlib.sha256(canonical_json(run.result or {})).hexdigest(),
        }
    consultations = []
    for link in application.processes.select_related("process"):
        proposals = link.process.proposals.filter(hidden_at__isnull=True)
        consultations.append(
            {
                "scale": link.scale,
                "process": link.process.slug,
                "proposals": proposals.count(),
                "answered": proposals.exclude(answer="").count(),
                "authors": proposals.exclude(author=None).values("author").distinct().count(),
            }
        )
    return {
        "application": application.pk,
        "round": application.round,
        "assessment": assessment,
        "reviews": [
            {
                "side": r.side,
                "recommended_level": r.recommended_level,
                "sha256": review_digest(r),
            }
            for r in application.reviews.filter(submitted_at__isnull=False).order_by("side")
        ],
        "action_plan": [
            {
                "indicator": a.indicator,
                "target_value": a.target_value,
                "target_year": a.target_year,
                "status": a.status,
                "budget": int(a.budget) if a.budget is not None else None,
                "proposals": a.plan_action.proposals.count(),
            }
            for a in application.actions.select_related("plan_action")
        ],
        "consultations": consultations,
        "votes": sorted(
            b.vote for b in application.ballots.filter(round=application.round) if b.vote
        ),
    }


def _level_rank(framework_key: str, level: str) -> int:
    framework = framework_by_key(framework_key)
    ids = [lv.id for lv in framework.grading.levels]
    return ids.index(level) + 1 if level in ids else 0


def new_certificate_code() -> str:
    """Return a short, unambiguous verification code (``ECL-XXXX-XXXX``)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"ECL-{raw[:4]}-{raw[4:]}"


# moving through the stage table -------------------------------------------------------------
def move(
    application: Application,
    target: str,
    user: Any,
    *,
    reasons: str = "",
    level: str = "",
) -> Application:
    """Take one step of the engine's table; refused steps raise :class:`LabelRefused`.

    Jury outcomes (labelled, refused, confirmed, raised, lowered, withdrawn) are decisions:
    they need written reasons and are taken on a frozen evidence bundle, kept with the decision.
    """
    target_stage = LabelStage(target)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        allowed = next(
            (t.roles for t in TRANSITIONS if t.source == application.stage and t.target == target),
            frozenset({"secretariat"}),
        )
        role = _acting_role(user, application, allowed)
        refusal = check_transition(state_of(application), target_stage, role)
        if refusal:
            raise LabelRefused(refusal)
        decision = target_stage in DECISIONS
        if decision and not reasons.strip():
            raise ValidationError({"reasons": _("A jury decision states its reasons.")})
        source = application.stage
        payload: dict[str, Any] = {"application": application.pk, "from": source, "to": target}
        programme = application.programme
        if decision:
            level = _decided_level(application, target_stage, level)
            payload["level"] = level
        if target_stage == LabelStage.MONITORING:
            application.round += 1
            application.monitoring_assessment = None
        if decision:
            bundle = evidence_bundle(application)
            digest = hashlib.sha256(canonical_json(bundle)).hexdigest()
            payload["bundle_sha256"] = digest
            Decision.objects.create(
                application=application,
                round=application.round,
                outcome=target,
                level=level,
                reasons=reasons,
                bundle=bundle,
                bundle_sha256=digest,
                decided_by=user,
                decided_at=timezone.now(),
            )
            if target_stage == LabelStage.WITHDRAWN:
                application.awarded_level = ""
                application.valid_until = timezone.localdate()
            elif target_stage != LabelStage.REFUSED:
                today = timezone.localdate()
                application.awarded_level = level
                if target_stage == LabelStage.LABELLED:
                    application.awarded_on = today
                    application.certificate_code = new_certificate_code()
                application.valid_until = _years_later(today, programme.validity_years)
            payload["certificate"] = application.certificate_code or ""
        application.stage = target
        application.save()
        append_log(
            "decision" if decision else "transition",
            role,
            payload,
            application=application,
            private={"actor": user.pk, "reasons": reasons} if decision else {"actor": user.pk},
        )
    return application


def _decided_level(application: Application, target: LabelStage, level: str) -> str:
    key = application.programme.framework_key
    if target == LabelStage.REFUSED or target == LabelStage.WITHDRAWN:
        return ""
    if target == LabelStage.CONFIRMED:
        return application.awarded_level
    level = level or (
        application.frozen_assessment.level
        if target == LabelStage.LABELLED and application.frozen_assessment
        else ""
    )
    rank = _level_rank(key, level)
    if rank == 0:
        raise ValidationError({"level": _("Choose a level of the framework.")})
    awarded = _level_rank(key, application.awarded_level)
    if target == LabelStage.RAISED and rank <= awarded:
        raise ValidationError({"level": _("A raised label needs a higher level.")})
    if target == LabelStage.LOWERED and rank >= awarded:
        raise ValidationError({"level": _("A lowered label needs a lower level.")})
    return level


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# monitoring ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetCheck:
    """One action-plan target against this year's value."""

    action: Action
    value: float | None
    met: bool | None


@dataclass(frozen=True)
class MonitoringReport:
    """The year's assessment against the awarded level and the plan's targets."""

    awarded_level: str
    level_now: str
    drop: bool
    targets: list[TargetCheck]


def monitoring_report(application: Application) -> MonitoringReport | None:
    """Compare the monitoring assessment with the awarded level and the action-plan targets."""
    run = application.monitoring_assessment
    if run is None:
        return None
    key = application.programme.framework_key
    drop = _level_rank(key, run.level) < _level_rank(key, application.awarded_level)
    framework = framework_by_key(key)
    higher = {
        i.id: str(getattr(i, "direction", "higher")) == "higher"
        for _cat, i in framework.indicators()
    }
    values = {
        r["indicator"]: r.get("value")
        for r in (run.result or {}).get("indicators", [])
        if isinstance(r, dict)
    }
    checks = []
    for action in application.actions.select_related("plan_action"):
        value = values.get(action.indicator)
        met = None
        if value is not None and run.year >= action.target_year:
            met = (
                value >= action.target_value
                if higher.get(action.indicator, True)
                else value <= action.target_value
            )
        checks.append(TargetCheck(action=action, value=value, met=met))
    return MonitoringReport(
        awarded_level=application.awarded_level, level_now=run.level, drop=drop, targets=checks
    )


def flagged(applications: Iterable[Application]) -> list[Application]:
    """Applications in monitoring whose level would drop below the awarded one."""
    out = []
    for application in applications:
        report = monitoring_report(application)
        if report is not None and report.drop:
            out.append(application)
    return out


# re-deriving the awarded assessment ---------------------------------------------------------
@dataclass(frozen=True)
class Rederivation:
    """The outcome of :func:`rederive`: identical or not, with what was compared."""

    identical: bool
    level: str
    detail: str


def rederive(code: str) -> Rederivation:
    """Recompute the awarded assessment from its frozen inputs and compare with the jury's.

    The frozen data snapshot is scored again with the framework version of the run; the
    result must equal the frozen result, whose hash must equal the one in the decision's bundle.
    """
    application = Application.objects.filter(certificate_code=code).first()
    if application is None:
        raise LookupError(f"no certificate {code!r}")
    decision = application.decisions.filter(outcome=LabelStage.LABELLED).order_by("pk").first()
    if decision is None or not decision.bundle.get("assessment"):
        raise LookupError(f"certificate {code!r} has no award decision")
    recorded = decision.bundle["assessment"]
    run = AssessmentRun.objects.get(pk=recorded["id"])
    if run.status != RunStatus.FINISHED or not run.snapshot:
        return Rederivation(False, run.level, "the assessment has no frozen data snapshot")
    if hashlib.sha256(canonical_json(run.result or {})).hexdigest() != recorded["result_sha256"]:
        return Rederivation(False, run.level, "the stored result differs from the jury's bundle")
    values = pd.DataFrame.from_records(run.snapshot)
    if data_hash(values) != run.data_hash:
        return Rederivation(False, run.level, "the data snapshot no longer matches its hash")
    again: Assessment = assess(
        framework_by_key(run.framework_key),
        values,
        city=application.city.slug,
        year=run.year,
        stage=run.stage,
    )
    same = again.model_dump(mode="json") == run.result
    detail = "identical" if same else "the recomputed result differs from the frozen one"
    return Rederivation(same, again.level or "", detail)


# messages -----------------------------------------------------------------------------------
def explain(missing: Missing) -> str:
    """Translate an engine message id with its parameters into the active language."""
    from ecocite.web.label.messages import explain as _explain

    return _explain(missing)


def programmes_of(user: Any) -> list[Programme]:
    """Programmes whose secretariat ``user`` is (all of them for an administrator)."""
    if is_administrator(user):
        return list(Programme.objects.all())
    ids = Role.objects.filter(
        user_id=user.pk,
        kind=RoleKind.SECRETARIAT,
        scope_type__app_label="label",
        scope_type__model="programme",
    ).values_list("scope_id", flat=True)
    return list(Programme.objects.filter(pk__in=list(ids)))


# deadlines ----------------------------------------------------------------------------------
NOTICE_DAYS_BEFORE = 14


def _recipients(application: Application) -> list[Any]:
    """Who must act at the application's stage: secretariat, city, assessors or jury."""
    from django.contrib.auth import get_user_model

    programme = application.programme
    ids = set(
        Role.objects.filter(
            kind=RoleKind.SECRETARIAT,
            scope_id=programme.pk,
            scope_type__app_label="label",
            scope_type__model="programme",
        ).values_list("user_id", flat=True)
    )
    stage = application.stage
    if stage in (LabelStage.COMMITMENT, LabelStage.DIAGNOSTIC, LabelStage.CO_CONSTRUCTION):
        ids |= set(
            Role.objects.filter(
                kind=RoleKind.CITY_OFFICIAL, city_id=application.city_id
            ).values_list("user_id", flat=True)
        )
    if stage == LabelStage.EXPERT_REVIEW:
        ids |= set(
            application.reviews.filter(submitted_at__isnull=True).values_list(
                "assessor_id", flat=True
            )
        )
    if stage in (LabelStage.JURY, LabelStage.MONITORING):
        ids |= set(
            Member.objects.filter(
                programme=programme, kind__in=[Member.Kind.JUROR, Member.Kind.CHAIR]
            ).values_list("user_id", flat=True)
        )
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def send_deadline_notices(today: date | None = None) -> int:
    """Notify, once each, who must act on an application whose stage deadline is near or past.

    A notice is kept in the site (``Notice``) and e-mailed in the person's preferred language.
    Returns how many notices were created.
    """
    from datetime import timedelta

    from django.core.mail import send_mail
    from django.utils import translation

    from ecocite.web.label.models import Deadline, Notice

    today = today or timezone.localdate()
    created = 0
    for deadline in Deadline.objects.select_related("programme"):
        if deadline.due_on - timedelta(days=NOTICE_DAYS_BEFORE) > today:
            continue
        kind = Notice.Kind.MISSED if deadline.due_on < today else Notice.Kind.DUE_SOON
        for application in Application.objects.filter(
            call__programme=deadline.programme, stage=deadline.stage
        ).select_related("city", "call__programme"):
            for user in _recipients(application):
                notice, new = Notice.objects.get_or_create(
                    user=user,
                    application=application,
                    kind=kind,
                    stage=deadline.stage,
                    due_on=deadline.due_on,
                )
                if not new:
                    continue
                created += 1
                if user.email:
                    with translation.override(user.preferred_language or "fr"):
                        send_mail(
                            notice_text(notice),
                            notice_text(notice),
                            None,
                            [user.email],
                            fail_silently=True,
                        )
                    notice.emailed = True
                    notice.save(update_fields=["emailed"])
    return created


def notice_text(notice: Any) -> str:
    """Return the notice's sentence in the active language."""
    from ecocite.web.label.models import Notice, Stage

    values = {
        "city": notice.application.city.name,
        "stage": Stage(notice.stage).label,
        "date": notice.due_on.isoformat(),
    }
    if notice.kind == Notice.Kind.MISSED:
        return _("%(city)s: the deadline of the %(stage)s stage (%(date)s) is missed.") % values
    return _("%(city)s: the %(stage)s stage is due on %(date)s.") % values
