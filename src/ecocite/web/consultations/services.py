"""Run processes, submit, support, comment on and answer proposals: checked, written, signalled.

Every function takes the acting person first, asks the rules (so pages and the API share one
behaviour), validates, writes in one transaction and, once it commits, sends the matching signal
of :mod:`ecocite.web.consultations.signals`. A refusal raises ``PermissionDenied``; bad input
raises ``ValidationError`` naming the field, and nothing is written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models import Q as models_q
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from ecocite.web.consultations import signals
from ecocite.web.consultations.geometry import check_geometry
from ecocite.web.consultations.models import (
    Body,
    CommentStance,
    Heritage,
    Membership,
    PlanAction,
    Process,
    Proposal,
    ProposalImage,
    Stance,
    Status,
    StatusChange,
    upstream_days,
    validate_status_move,
)
from ecocite.web.core.models import Action, Phase
from ecocite.web.core.permissions import check_permission
from ecocite.web.core.phases import active_phase, phases_of
from ecocite.web.interactions import moderation
from ecocite.web.interactions import services as interactions
from ecocite.web.interactions.models import Block, Comment, Report, ReportReason, Support

MAX_IMAGES = 5
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "JPEG"}
TITLE_MAX_CHARS = 200
BODY_MAX_CHARS = 10_000


def _send(signal: Signal, sender: type, **kwargs: Any) -> None:
    transaction.on_commit(partial(signal.send, sender=sender, **kwargs))


# --- processes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseSpec:
    """A phase to create: its name, dates, opened actions and whether anonymous people join."""

    name: str
    starts_at: datetime
    ends_at: datetime
    actions: tuple[str, ...] = ()
    anonymous_allowed: bool = False


def standard_phases(
    start: datetime, days: Sequence[int] = (30, 45, 45, 30, 180)
) -> list[PhaseSpec]:
    """Diagnostic → ideas → co-design → decision → follow-up, back to back from ``start``."""
    plan = [
        (_("Diagnostic"), (Action.COMMENT,)),
        (_("Ideas"), (Action.PROPOSE, Action.COMMENT, Action.SUPPORT)),
        (_("Co-design"), (Action.COMMENT, Action.SUPPORT, Action.JOIN_WORKSHOP)),
        (_("Decision"), ()),
        (_("Follow-up"), (Action.COMMENT,)),
    ]
    specs, moment = [], start
    for (name, actions), length in zip(plan, days, strict=True):
        end = moment + timedelta(days=length)
        specs.append(PhaseSpec(str(name), moment, end, tuple(str(a) for a in actions)))
        moment = end
    return specs


def create_body(user: Any, **fields: Any) -> Body:
    """Create a standing body (administrators)."""
    check_permission(user, "consultations.add_body", None)
    body = Body(**fields)
    body.full_clean()
    body.save()
    return body


def update_body(user: Any, body: Body, **changes: Any) -> Body:
    """Change a body's names, territory or charter (administrators)."""
    check_permission(user, "consultations.change_body", body)
    for key, value in changes.items():
        setattr(body, key, value)
    body.full_clean()
    body.save()
    return body


def create_plan_action(user: Any, city: Any, **fields: Any) -> PlanAction:
    """Add an action to ``city``'s plan (its officials, administrators)."""
    check_permission(user, "consultations.add_plan_action", city)
    action = PlanAction(city=city, **fields)
    action.full_clean()
    action.save()
    return action


def create_process(user: Any, city: Any, phases: Sequence[PhaseSpec], **fields: Any) -> Process:
    """Create a process in ``city`` with its ordered phases, all or nothing."""
    check_permission(user, "consultations.add_process", city)
    with transaction.atomic():
        process = Process(city=city, **fields)
        process.full_clean()
        process.save()
        set_phases(user, process, phases, check=False)
    _send(signals.process_created, Process, process=process, user=user)
    return process


def update_process(user: Any, process: Process, **changes: Any) -> Process:
    """Change a process's texts, scale, site, decision and settings (its organisers)."""
    check_permission(user, "consultations.change_process", process)
    for key, value in changes.items():
        setattr(process, key, value)
    process.full_clean()
    process.save()
    return process


def set_members(user: Any, body: Body, members: Sequence[tuple[str, str]]) -> None:
    """Replace the members of ``body``: (name, college) pairs (administrators)."""
    check_permission(user, "consultations.change_body", body)
    rows = [Membership(body=body, name=name.strip(), college=college) for name, college in members]
    for row in rows:
        row.full_clean()
    with transaction.atomic():
        body.members.all().delete()
        Membership.objects.bulk_create(rows)


def check_phase_plan(phases: Sequence[PhaseSpec]) -> None:
    """Refuse a plan of phases out of date order or overlapping, naming the phases concerned."""
    errors = []
    for number, spec in enumerate(phases, start=1):
        if not spec.name.strip():
            errors.append(_("Phase %(n)d needs a name.") % {"n": number})
        if spec.starts_at >= spec.ends_at:
            errors.append(
                _("Phase %(n)d (%(name)s) ends before it starts.")
                % {"n": number, "name": spec.name}
            )
    for number, (before, after) in enumerate(pairwise(phases), start=1):
        if after.starts_at < before.ends_at:
            errors.append(
                _(
                    "Phase %(n)d (%(first)s) ends on %(end)s, after phase %(m)d (%(second)s) "
                    "starts on %(start)s: phases may not overlap, and follow each other in order."
                )
                % {
                    "n": number,
                    "first": before.name,
                    "end": before.ends_at.date().isoformat(),
                    "m": number + 1,
                    "second": after.name,
                    "start": after.starts_at.date().isoformat(),
                }
            )
    if errors:
        raise ValidationError({"phases": errors})


def set_phases(
    user: Any, process: Process, phases: Sequence[PhaseSpec], *, check: bool = True
) -> list[Phase]:
    """Replace the phases of ``process`` (names, dates, actions are editable), all or nothing.

    The phases are given in their order; dates out of that order or overlapping are refused
    with a message naming the phases (:func:`check_phase_plan`).
    """
    if check:
        check_permission(user, "consultations.change_process", process)
    check_phase_plan(phases)
    kind = ContentType.objects.get_for_model(Process)
    created = []
    with transaction.atomic():
        Phase.objects.filter(process_type=kind, process_id=process.pk).delete()
        for position, spec in enumerate(phases, start=1):
            phase = Phase(
                process_type=kind,
                process_id=process.pk,
                position=position,
                name=spec.name,
                starts_at=spec.starts_at,
                ends_at=spec.ends_at,
                actions=list(spec.actions),
                anonymous_allowed=spec.anonymous_allowed,
            )
            phase.save()  # full_clean: known actions, date order, no overlap
            created.append(phase)
    for phase in created:
        _send(signals.phase_changed, Process, process=process, phase=phase, user=user)
    return created


def ideas_close(process: Process, phases: Sequence[Phase] | None = None) -> date | None:
    """Return the day the last phase opening proposals ends (``None`` if no phase opens them)."""
    phases = phases_of(process) if phases is None else phases
    ends = [p.ends_at for p in phases if p.opens(str(Action.PROPOSE))]
    return max(ends).date() if ends else None


def process_upstream_days(process: Process, phases: Sequence[Phase] | None = None) -> int | None:
    """How far upstream the process runs: days from the close of ideas to the decision."""
    return upstream_days(process, ideas_close(process, phases))


# --- proposals -------------------------------------------------------------------------------


def clean_image(name: str, content: bytes) -> tuple[bytes, str, int, int]:
    """Re-encode an uploaded image without metadata (EXIF, GPS); return bytes, suffix, size.

    The type is read from the content (not the name); size and pixel count are bounded.
    """
    from PIL import Image, UnidentifiedImageError

    if not content or len(content) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "images": _("%(name)s is empty or larger than %(n)d bytes.")
                % {"name": name, "n": settings.UPLOAD_MAX_BYTES}
            }
        )
    try:
        with Image.open(io.BytesIO(content)) as probe:
            kind = probe.format
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > IMAGE_MAX_PIXELS:
                raise ValidationError({"images": _("%(name)s is too large.") % {"name": name}})
            image.load()
            target = IMAGE_FORMATS.get(kind or "")
            if target is None:
                raise ValidationError(
                    {"images": _("%(name)s: send a JPEG, PNG or WebP image.") % {"name": name}}
                )
            # A fresh image holds pixels only: EXIF, GPS and text chunks are left behind.
            mode = "RGB" if target == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
            pixels = image.convert(mode)
            clean = Image.new(mode, pixels.size)
            clean.paste(pixels)
            out = io.BytesIO()
            clean.save(out, format=target, **({"quality": 85} if target == "JPEG" else {}))
            width, height = clean.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise ValidationError(
            {"images": _("%(name)s is not a readable image.") % {"name": name}}
        ) from err
    return out.getvalue(), ".jpg" if target == "JPEG" else ".png", width, height


def _clean_proposal_fields(
    process: Process, title: str, body: str, category: str, heritage: str, geometry: Any
) -> dict[str, Any]:
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the proposal a title.")
    elif len(title) > TITLE_MAX_CHARS:
        errors["title"] = _("At most %(n)d characters.") % {"n": TITLE_MAX_CHARS}
    if not body:
        errors["body"] = _("Describe the proposal.")
    elif len(body) > BODY_MAX_CHARS:
        errors["body"] = _("At most %(n)d characters.") % {"n": BODY_MAX_CHARS}
    if category and process.categories and category not in process.categories:
        errors["category"] = _("Choose one of the process's categories.")
    if heritage and heritage not in Heritage.values:
        errors["heritage"] = _("Choose a heritage kind or none.")
    if errors:
        raise ValidationError(errors)
    empty = geometry in (None, "", {})
    place = None
    if not empty and process.site:
        place = check_geometry(geometry, inside=process.site)
    elif not empty:
        place = check_geometry(
            geometry,
            inside=process.city.boundary or None,
            outside=_("The place lies outside %(city)s.") % {"city": process.city.name},
        )
    return {
        "title": title,
        "body": body,
        "category": category or "",
        "heritage": heritage or "",
        "geometry": place,
    }


def submit_proposal(
    user: Any,
    process: Process,
    *,
    title: str,
    body: str,
    category: str = "",
    heritage: str = "",
    geometry: Any = None,
    images: Sequence[tuple[str, bytes]] = (),
    illustrative: bool = False,
) -> Proposal:
    """Submit a proposal to ``process`` (the active phase must open ``propose``)."""
    check_permission(user, "consultations.add_proposal", process)
    fields = _clean_proposal_fields(process, title, body, category, heritage, geometry)
    if len(images) > MAX_IMAGES:
        raise ValidationError({"images": _("At most %(n)d images.") % {"n": MAX_IMAGES}})
    cleaned = [clean_image(name, content) for name, content in images]
    author = user if user.is_authenticated else None
    with transaction.atomic():
        proposal = Proposal.objects.create(
            process=process, author=author, illustrative=illustrative, **fields
        )
        for position, (data, suffix, width, height) in enumerate(cleaned):
            picture = ProposalImage(
                proposal=proposal, width=width, height=height, position=position
            )
            picture.image.save(f"p{proposal.pk}-{position}{suffix}", ContentFile(data), save=False)
            picture.save()
    _send(signals.proposal_submitted, Proposal, proposal=proposal, user=author)
    return proposal


def edit_proposal(user: Any, proposal: Proposal, **changes: Any) -> Proposal:
    """Change a proposal's text, category, heritage or place (author while proposing)."""
    check_permission(user, "consultations.change_proposal", proposal)
    current = {k: getattr(proposal, k) for k in ("title", "body", "category", "heritage")}
    current["geometry"] = proposal.geometry
    current.update(changes)
    fields = _clean_proposal_fields(proposal.process, **current)
    for key, value in fields.items():
        setattr(proposal, key, value)
    proposal.save()
    _send(signals.proposal_edited, Proposal, proposal=proposal, user=user)
    return proposal


def _lock(proposal: Proposal) -> None:
    """Lock the proposal's row for this transaction and reload the caller's instance."""
    Proposal.objects.select_for_update().filter(pk=proposal.pk).values_list("pk").first()
    proposal.refresh_from_db()


def _move(proposal: Proposal, user: Any, new: str, reason: str) -> str | None:
    """Write a status change and its trail; the old status, or ``None`` if unchanged."""
    old = proposal.status
    validate_status_move(old, new)
    if old == new:
        return None
    proposal.status = new
    StatusChange.objects.create(
        proposal=proposal,
        old_status=old,
        new_status=new,
        changed_by=user if user is not None and user.is_authenticated else None,
        reason=reason,
    )
    return old


def answer_proposal(user: Any, proposal: Proposal, answer: str, status: str) -> Proposal:
    """Publish the official answer and the status it decides (a rejection gives its reasons)."""
    check_permission(user, "consultations.answer_proposal", proposal)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic():
        _lock(proposal)
        old = _move(proposal, user, status, answer)
        proposal.answer, proposal.answered_at, proposal.answered_by = answer, timezone.now(), user
        proposal.save()
    _send(
        signals.proposal_answered,
        Proposal,
        proposal=proposal,
        user=user,
        answer=answer,
        status=status,
    )
    if old is not None:
        _send(
            signals.proposal_status_changed,
            Proposal,
            proposal=proposal,
            user=user,
            old_status=old,
            new_status=status,
            reason=answer,
        )
    return proposal


def change_status(user: Any, proposal: Proposal, status: str, reason: str = "") -> Proposal:
    """Move a proposal along its statuses (a rejection needs its reasons)."""
    check_permission(user, "consultations.answer_proposal", proposal)
    reason = (reason or "").strip()
    if status == Status.REJECTED and not reason:
        raise ValidationError({"reason": _("A rejection gives its reasons.")})
    with transaction.atomic():
        _lock(proposal)
        old = _move(proposal, user, status, reason)
        proposal.save()
    if old is not None:
        _send(
            signals.proposal_status_changed,
            Proposal,
            proposal=proposal,
            user=user,
            old_status=old,
            new_status=status,
            reason=reason,
        )
    return proposal


def link_plan_action(user: Any, proposal: Proposal, action: PlanAction | None) -> Proposal:
    """Link an accepted proposal to an action of its city's plan (or unlink with ``None``)."""
    check_permission(user, "consultations.answer_proposal", proposal)
    if action is not None:
        if proposal.status not in (
            Status.ACCEPTED,
            Status.ACCEPTED_WITH_CHANGES,
            Status.IMPLEMENTED,
        ):
            raise ValidationError({"plan_action": _("Only an accepted proposal joins the plan.")})
        if action.city_id != proposal.process.city_id:
            raise ValidationError({"plan_action": _("The action belongs to another city's plan.")})
    proposal.plan_action = action
    proposal.save(update_fields=["plan_action", "updated_at"])
    _send(
        signals.proposal_linked_to_plan, Proposal, proposal=proposal, plan_action=action, user=user
    )
    return proposal


# --- supports and comments -------------------------------------------------------------------


def _proposal_type() -> ContentType:
    return ContentType.objects.get_for_model(Proposal)


def supports_in_phase(user: Any, process: Process, phase: Phase) -> int:
    """How many proposals of ``process`` ``user`` supported during ``phase``."""
    ids = Proposal.objects.filter(process=process).values("pk")
    return Support.objects.filter(
        user=user,
        target_type=_proposal_type(),
        target_id__in=ids,
        created_at__gte=phase.starts_at,
        created_at__lt=phase.ends_at,
    ).count()


def support_proposal(user: Any, proposal: Proposal) -> int:
    """Support ``proposal``; the new support count. Honours the per-phase limit and threshold."""
    process = proposal.process
    check_permission(user, "interactions.add_support", proposal)
    with transaction.atomic():
        # Lock the proposal so the limit, the count and the threshold see one order of supports.
        _lock(proposal)
        already = Support.objects.filter(
            user=user, target_type=_proposal_type(), target_id=proposal.pk
        ).exists()
        if not already and process.support_limit is not None:
            phase = active_phase(process)
            if (
                phase is not None
                and supports_in_phase(user, process, phase) >= process.support_limit
            ):
                raise ValidationError(
                    {
                        "support": _("You already gave your %(n)d supports in this phase.")
                        % {"n": process.support_limit}
                    }
                )
        interactions.support(user, proposal)
        count = interactions.support_count(proposal)
        moved = None
        threshold = process.support_threshold
        if threshold and count >= threshold and proposal.status == Status.RECEIVED:
            moved = _move(proposal, None, str(Status.UNDER_STUDY), _("Support threshold reached."))
            proposal.save(update_fields=["status", "updated_at"])
    if not already:
        _send(signals.proposal_supported, Proposal, proposal=proposal, user=user, count=count)
    if moved is not None:
        _send(
            signals.proposal_status_changed,
            Proposal,
            proposal=proposal,
            user=None,
            old_status=moved,
            new_status=Status.UNDER_STUDY,
            reason="support_threshold",
        )
    return count


def withdraw_support(user: Any, proposal: Proposal) -> int:
    """Withdraw one's support; the new count (a status already moved stays)."""
    if not user.is_authenticated:
        raise PermissionDenied("interactions.add_support")
    removed = interactions.withdraw_support(user, proposal)
    count = interactions.support_count(proposal)
    if removed:
        _send(signals.support_withdrawn, Proposal, proposal=proposal, user=user, count=count)
    return count


def comment_on(
    user: Any, proposal: Proposal, text: str, *, parent: Comment | None = None, stance: str = ""
) -> Comment:
    """Comment on a proposal (or answer a comment), with a stance where the process asks one."""
    if stance and not proposal.process.stance_enabled:
        raise ValidationError({"stance": _("This process does not take stances.")})
    if stance and stance not in Stance.values:
        raise ValidationError({"stance": _("Choose for or against.")})
    with transaction.atomic():
        comment = interactions.add_comment(user, proposal, text, parent=parent)
        if stance:
            CommentStance.objects.create(comment=comment, stance=stance)
    author = user if user.is_authenticated else None
    _send(
        signals.comment_added,
        Proposal,
        proposal=proposal,
        comment=comment,
        user=author,
        stance=stance,
    )
    return comment


# --- reading ---------------------------------------------------------------------------------


def _count_of(model: Any, **where: Any) -> Coalesce:
    rows = (
        model.objects.filter(target_type=_proposal_type(), target_id=OuterRef("pk"), **where)
        .order_by()
        .values("target_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def proposals_of(process: Process, *, include_hidden: bool = False) -> QuerySet[Proposal]:
    """List the proposals of ``process`` with live support and comment counts, in one query."""
    rows = Proposal.objects.filter(process=process)
    if not include_hidden:
        rows = rows.filter(hidden_at__isnull=True)
    return with_counts(rows.select_related("plan_action", "process"))


def with_counts(rows: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Annotate ``supports`` and live ``comments`` counts (subqueries: no N+1, never stale).

    Deleted comments and comments hidden by the moderators are not counted.
    """
    return rows.annotate(
        supports=_count_of(Support),
        comments=_count_of(Comment, deleted_at__isnull=True, hidden_at__isnull=True),
    )


def filter_proposals(
    rows: QuerySet[Proposal],
    *,
    category: str = "",
    heritage: str = "",
    status: str = "",
    text: str = "",
) -> QuerySet[Proposal]:
    """Apply the list's filters; the map markers use the same queryset."""
    from django.db.models import Q

    if category:
        rows = rows.filter(category=category)
    if heritage:
        rows = rows.filter(heritage=heritage)
    if status:
        rows = rows.filter(status=status)
    if text:
        rows = rows.filter(Q(title__icontains=text) | Q(body__icontains=text))
    return rows


# --- moderation ------------------------------------------------------------------------------


def process_of(obj: Any) -> Process | None:
    """Return the process a proposal, or a comment on a proposal, belongs to."""
    if isinstance(obj, Process):
        return obj
    if isinstance(obj, Proposal):
        return obj.process
    if isinstance(obj, Comment) and obj.target_type_id == _proposal_type().pk:
        proposal = Proposal.objects.select_related("process").filter(pk=obj.target_id).first()
        return proposal.process if proposal is not None else None
    return None


def _hide_rule(obj: Any) -> str:
    if isinstance(obj, Proposal):
        return "consultations.hide_proposal"
    if isinstance(obj, Comment):
        return "interactions.hide_comment"
    raise ValidationError({"target": _("Only proposals and comments are moderated here.")})


def _moderated(user: Any, action: str, obj: Any, process: Any, reason: str) -> None:
    _send(
        signals.content_moderated,
        type(obj),
        action=action,
        process=process,
        target=obj,
        person=getattr(obj, "author", None),
        reason=reason,
        user=user,
    )


def hide_content(user: Any, obj: Proposal | Comment, reason: str) -> Any:
    """Hide a proposal or a comment with a public reason (its moderators, administrators)."""
    process = process_of(obj)
    moderation.hide(user, obj, reason, rule=_hide_rule(obj), scope=process)
    _moderated(user, "hide", obj, process, obj.hidden_reason)
    return obj


def restore_content(user: Any, obj: Proposal | Comment, reason: str) -> Any:
    """Show a hidden proposal or comment again, saying why."""
    process = process_of(obj)
    moderation.restore(user, obj, reason, rule=_hide_rule(obj), scope=process)
    _moderated(user, "restore", obj, process, reason.strip())
    return obj


def dismiss_reports(user: Any, obj: Proposal | Comment, reason: str) -> int:
    """Close the open reports about a proposal or comment without hiding it."""
    process = process_of(obj)
    closed = moderation.dismiss(user, obj, reason, rule=_hide_rule(obj), scope=process)
    _moderated(user, "dismiss", obj, process, reason.strip())
    return int(closed)


def comments_in(process: Process | None) -> QuerySet[Comment]:
    """Return the comments on the proposals of ``process`` (``None``: every comment)."""
    if process is None:
        return Comment.objects.all()
    ids = Proposal.objects.filter(process=process).values("pk")
    return Comment.objects.filter(target_type=_proposal_type(), target_id__in=ids)


def block_participant(user: Any, person: Any, process: Process | None, reason: str) -> Block:
    """Block ``person`` in ``process`` (``None``: everywhere) and hide all they wrote there."""
    proposals = Proposal.objects.all() if process is None else process.proposals.all()
    block = moderation.block_user(
        user, person, process, reason, content=[proposals, comments_in(process)]
    )
    # the block hid rows in bulk (no model signal): the cached lists and maps must renew
    from ecocite.web.consultations import freshness

    touched = (
        [process.pk] if process is not None else list(Process.objects.values_list("pk", flat=True))
    )
    freshness.touch(*touched)
    _send(
        signals.content_moderated,
        Process,
        action="block",
        process=process,
        target=None,
        person=person,
        reason=block.reason,
        user=user,
    )
    return block


@dataclass
class QueueItem:
    """One reported proposal or comment: its open reports counted by reason."""

    kind: str  # "proposal" or "comment"
    target: Any
    proposal: Proposal
    reports: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    explanations: list[str] = field(default_factory=list)
    last_reported_at: datetime | None = None

    @property
    def hidden(self) -> bool:
        """Tell whether the item is hidden already."""
        return self.target.hidden_at is not None

    @property
    def author(self) -> Any:
        """Return the item's author (``None`` for an anonymous participant)."""
        return self.target.author


def _open_reports(process: Process) -> QuerySet[Report]:
    """Return the open reports on the proposals of ``process`` and on the comments on them."""
    comment_type = ContentType.objects.get_for_model(Comment)
    proposal_ids = Proposal.objects.filter(process=process).values("pk")
    return Report.objects.filter(handled_at__isnull=True).filter(
        models_q(target_type=_proposal_type(), target_id__in=proposal_ids)
        | models_q(target_type=comment_type, target_id__in=comments_in(process).values("pk"))
    )


def open_report_count(process: Process) -> int:
    """Count the open reports in ``process`` (one query)."""
    return _open_reports(process).count()


def moderation_queue(user: Any, process: Process) -> list[QueueItem]:
    """List the proposals and comments of ``process`` with open reports, most reported first.

    Only the reported rows are read (a fixed number of queries, whatever the process's size).
    """
    check_permission(user, "consultations.moderate_process", process)
    comment_type = ContentType.objects.get_for_model(Comment)
    reports = list(_open_reports(process).order_by("created_at", "id"))
    comments = Comment.objects.select_related("author").in_bulk(
        [r.target_id for r in reports if r.target_type_id == comment_type.pk]
    )
    proposal_ids = {r.target_id for r in reports if r.target_type_id != comment_type.pk}
    proposal_ids |= {c.target_id for c in comments.values()}
    proposals = Proposal.objects.select_related("author").in_bulk(list(proposal_ids))
    labels = dict(ReportReason.choices)
    items: dict[tuple[str, int], QueueItem] = {}
    for r in reports:
        if r.target_type_id == comment_type.pk:
            comment = comments[r.target_id]
            key = ("comment", comment.pk)
            item = items.get(key) or QueueItem("comment", comment, proposals[comment.target_id])
        else:
            key = ("proposal", r.target_id)
            proposal = proposals[r.target_id]
            item = items.get(key) or QueueItem("proposal", proposal, proposal)
        item.reports += 1
        label = str(labels.get(r.reason, r.reason))
        item.reasons[label] = item.reasons.get(label, 0) + 1
        if r.explanation:
            item.explanations.append(r.explanation)
        item.last_reported_at = r.created_at
        items[key] = item
    return sorted(items.values(), key=lambda i: (-i.reports, i.last_reported_at or timezone.now()))


def hidden_items(user: Any, process: Process) -> list[QueueItem]:
    """List the hidden proposals and comments of ``process`` (to restore them)."""
    check_permission(user, "consultations.moderate_process", process)
    hidden = Proposal.objects.filter(process=process, hidden_at__isnull=False)
    found = [QueueItem("proposal", p, p) for p in hidden.select_related("author")]
    comments = list(comments_in(process).filter(hidden_at__isnull=False).select_related("author"))
    parents = Proposal.objects.in_bulk([c.target_id for c in comments])
    found += [QueueItem("comment", c, parents[c.target_id]) for c in comments]
    return sorted(found, key=lambda i: i.target.hidden_at, reverse=True)
