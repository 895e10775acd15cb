"""Workshop services: create and close, register (with a waiting list), check in, type in the room.

Registration counts seats under a row lock on the workshop, so concurrent registrations for the
last seats never overbook (PostgreSQL: ``SELECT … FOR UPDATE``; SQLite: the write transaction
is taken at ``BEGIN IMMEDIATE``, see settings).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecocite.web.consultations.models import College, Process, Proposal
from ecocite.web.core.permissions import check_permission
from ecocite.web.interactions.models import Comment, Support
from ecocite.web.workshops.models import (
    InPersonContribution,
    Registration,
    RegistrationStatus,
    Workshop,
    new_code,
)

EDITABLE = (
    "kind", "title_fr", "title_zh", "title_en", "description_fr", "description_zh",
    "description_en", "agenda", "address", "place", "video_url", "video_for_registered_only",
    "starts_at", "ends_at", "time_zone", "capacity", "registration_open",
)  # fmt: skip


def create_workshop(user: Any, process: Process, data: dict[str, Any]) -> Workshop:
    """Plan a workshop of a process (its organisers)."""
    check_permission(user, "workshops.add_workshop", process)
    workshop = Workshop(process=process, created_by=user, **data)
    workshop.full_clean()
    workshop.save()
    return workshop


def update_workshop(user: Any, workshop: Workshop, data: dict[str, Any]) -> Workshop:
    """Change a workshop's practical details (organisers and facilitators)."""
    check_permission(user, "workshops.change_workshop", workshop)
    for name, value in data.items():
        if name in EDITABLE:
            setattr(workshop, name, value)
    workshop.full_clean()
    workshop.save()
    return workshop


def seats_taken(workshop: Workshop) -> int:
    """Count the people registered (not waiting, not cancelled)."""
    return workshop.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def register(user: Any, workshop: Workshop, college: str = "") -> Registration:
    """Register for a workshop; when it is full the person goes on the waiting list."""
    check_permission(user, "workshops.join_workshop", workshop)
    if college and college not in College.values:
        raise ValidationError({"college": _("Choose a college from the list.")})
    with transaction.atomic():
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        existing = Registration.objects.filter(workshop=locked, user=user).first()
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            return existing
        full = locked.capacity is not None and seats_taken(locked) >= locked.capacity
        status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
        if existing is not None:  # registering again after cancelling
            existing.status, existing.college = status, college
            existing.save(update_fields=["status", "college"])
            return existing
        for _attempt in range(5):  # a code drawn twice in one workshop: draw again
            try:
                with transaction.atomic():
                    return Registration.objects.create(
                        workshop=locked, user=user, college=college, status=status, code=new_code()
                    )
            except IntegrityError:
                if Registration.objects.filter(workshop=locked, user=user).exists():
                    raise ValidationError(_("You are already registered.")) from None
    raise ValidationError(_("Could not draw a registration code; try again."))


def cancel(user: Any, registration: Registration) -> Registration:
    """Cancel one's registration; the first person waiting takes the freed seat."""
    if registration.user_id != getattr(user, "pk", None):
        check_permission(user, "workshops.change_workshop", registration.workshop)
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().get(pk=registration.workshop_id)
        was_registered = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status"])
        if was_registered:
            waiting = (
                workshop.registrations.filter(status=RegistrationStatus.WAITING)
                .order_by("created_at", "pk")
                .first()
            )
            if waiting is not None:
                waiting.status = RegistrationStatus.REGISTERED
                waiting.save(update_fields=["status"])
    return registration


def check_in(user: Any, workshop: Workshop, code: str) -> Registration:
    """Mark the holder of a registration code as present (facilitators and organisers)."""
    check_permission(user, "workshops.run_workshop", workshop)
    code = (code or "").strip().upper().replace(" ", "")
    registration = workshop.registrations.filter(code=code).first()
    if registration is None:
        raise ValidationError({"code": _("No registration has this code for this workshop.")})
    if registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError(
            {"code": _("This code is %(status)s.") % {"status": registration.get_status_display()}}
        )
    if registration.attended_at is None:
        registration.attended_at = timezone.now()
        registration.save(update_fields=["attended_at"])
    return registration


def _record(workshop: Workshop, obj: Any, typed_by: Any, college: str) -> None:
    InPersonContribution.objects.create(
        workshop=workshop,
        target_type=ContentType.objects.get_for_model(obj),
        target_id=obj.pk,
        typed_by=typed_by,
        college=college,
    )


def _attendee(workshop: Workshop, registration: Registration | None) -> Any:
    if registration is None:
        return None
    if registration.workshop_id != workshop.pk:
        raise ValidationError({"attendee": _("This person is not registered for this workshop.")})
    return registration.user


def propose_in_person(
    user: Any,
    workshop: Workshop,
    *,
    title: str,
    body: str,
    attendee: Registration | None = None,
    college: str = "",
    category: str = "",
    heritage: str = "",
) -> Proposal:
    """Type a proposal made in the room, on behalf of an attendee (or someone unnamed)."""
    from ecocite.web.consultations.services import _clean_proposal_fields

    check_permission(user, "workshops.run_workshop", workshop)
    author = _attendee(workshop, attendee)
    # The same checks as a proposal typed by its author (Markdown, category, heritage).
    fields = _clean_proposal_fields(workshop.process, title, body, category, heritage, None)
    with transaction.atomic():
        proposal = Proposal.objects.create(process=workshop.process, author=author, **fields)
        _record(workshop, proposal, user, college or (attendee.college if attendee else ""))
    return proposal


def comment_in_person(
    user: Any,
    workshop: Workshop,
    proposal: Proposal,
    text: str,
    *,
    attendee: Registration | None = None,
    college: str = "",
) -> Comment:
    """Type a comment made in the room on a proposal of the workshop's process."""
    from ecocite.web.interactions.services import _clean_text

    check_permission(user, "workshops.run_workshop", workshop)
    if proposal.process_id != workshop.process_id:
        raise ValidationError({"proposal": _("Choose a proposal of this workshop's process.")})
    author = _attendee(workshop, attendee)
    with transaction.atomic():
        comment = Comment.objects.create(
            author=author,
            text=_clean_text(text),
            target_type=ContentType.objects.get_for_model(Proposal),
            target_id=proposal.pk,
        )
        _record(workshop, comment, user, college or (attendee.college if attendee else ""))
    return comment


def support_in_person(
    user: Any, workshop: Workshop, proposal: Proposal, attendee: Registration
) -> Support:
    """Record an attendee's support given in the room (one per person, as online)."""
    check_permission(user, "workshops.run_workshop", workshop)
    if proposal.process_id != workshop.process_id:
        raise ValidationError({"proposal": _("Choose a proposal of this workshop's process.")})
    person = _attendee(workshop, attendee)
    kind = ContentType.objects.get_for_model(Proposal)
    with transaction.atomic():
        support, created = Support.objects.get_or_create(
            user=person, target_type=kind, target_id=proposal.pk
        )
        if created:
            _record(workshop, support, user, attendee.college)
    return support


def close_workshop(
    user: Any,
    workshop: Workshop,
    *,
    minutes: dict[str, str],
    attendance: dict[str, int],
    outcomes: list[Proposal] | None = None,
) -> Workshop:
    """Close a workshop with its minutes, attendance by college and the proposals it produced."""
    check_permission(user, "workshops.run_workshop", workshop)
    if not any(minutes.values()):
        raise ValidationError({"minutes_fr": _("Write the minutes in at least one language.")})
    if any(n < 0 for n in attendance.values()):
        raise ValidationError({"attendance_by_college": _("Attendance cannot be negative.")})
    for lang, text in minutes.items():
        setattr(workshop, f"minutes_{lang}", text)
    workshop.attendance_by_college = {k: int(v) for k, v in attendance.items() if v}
    workshop.closed_at = timezone.now()
    workshop.registration_open = False
    workshop.full_clean()
    for proposal in outcomes or []:
        if proposal.process_id != workshop.process_id:
            raise ValidationError({"outcomes": _("Choose proposals of this workshop's process.")})
    with transaction.atomic():
        workshop.save()
        if outcomes is not None:
            workshop.outcomes.set(outcomes)
    return workshop


def in_person_share(process: Process) -> float | None:
    """Share of a process's contributions (proposals, comments, supports) made in person."""
    from ecocite.web.interactions.models import Comment as C
    from ecocite.web.interactions.models import Support as S

    kind = ContentType.objects.get_for_model(Proposal)
    ids = Proposal.objects.filter(process=process).values("pk")
    total = (
        Proposal.objects.filter(process=process).count()
        + C.objects.filter(target_type=kind, target_id__in=ids).count()
        + S.objects.filter(target_type=kind, target_id__in=ids).count()
    )
    if not total:
        return None
    in_person = InPersonContribution.objects.filter(workshop__process=process).count()
    return round(in_person / total, 4)
