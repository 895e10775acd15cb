"""Consultation pages for comments and moderation: reply, edit, delete, report, hide, block.

Every write goes through a service that asks the rules again; the views only bind forms, pick
the template and answer 429 once a person or an address writes faster than the settings allow.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecocite.web.accounts.models import User
from ecocite.web.consultations import services
from ecocite.web.consultations.forms import BlockForm, CommentEditForm
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.core.permissions import deny, permission_required
from ecocite.web.interactions import moderation, throttle
from ecocite.web.interactions import services as interactions
from ecocite.web.interactions.forms import ReasonForm, ReportForm
from ecocite.web.interactions.models import Block, Comment
from ecocite.web.interactions.rules import edit_window


def too_fast(request: HttpRequest, err: throttle.RateLimited) -> HttpResponse:
    """Answer 429 with the rate limit's message."""
    response = render(request, "consultations/too_fast.html", {"message": err.message}, status=429)
    response["Retry-After"] = str(err.retry_after)
    return response


def _flash_errors(request: HttpRequest, err: ValidationError) -> None:
    for problems in err.message_dict.values():
        for problem in problems:
            messages.error(request, problem)


def _process(request: HttpRequest, slug: str, **_kw: Any) -> Process:
    return get_object_or_404(Process.objects.select_related("city"), slug=slug)


def _comment(request: HttpRequest, pk: int, **_kw: Any) -> Comment:
    """Return the comment on a proposal (comments on other objects are not served here)."""
    comment = get_object_or_404(
        Comment, pk=pk, target_type=ContentType.objects.get_for_model(Proposal)
    )
    proposal = get_object_or_404(
        Proposal.objects.select_related("process__city"), pk=comment.target_id
    )
    comment._state.fields_cache["content_object"] = proposal
    return comment


def _proposal_any(request: HttpRequest, pk: int, **_kw: Any) -> Proposal:
    """Return the proposal, hidden or not (moderators act on hidden ones)."""
    return get_object_or_404(Proposal.objects.select_related("process__city"), pk=pk)


def _back(obj: Proposal | Comment) -> HttpResponse:
    if isinstance(obj, Comment):
        url = reverse("consultations:proposal", args=[obj.target_id])
        return redirect(f"{url}#comment-{obj.pk}")
    return redirect("consultations:proposal", pk=obj.pk)


# --- comments --------------------------------------------------------------------------------


@permission_required("interactions.change_comment", fn=_comment)
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one's comment within the edit window."""
    comment = _comment(request, pk)
    form = CommentEditForm(request.POST or None, initial={"text": comment.text})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                interactions.edit_comment(request.user, comment, form.cleaned_data["text"])
            except ValidationError as err:
                for problems in err.message_dict.values():
                    for problem in problems:
                        form.add_error("text", problem)
            else:
                messages.success(request, _("Your comment is changed."))
                return _back(comment)
    return render(
        request,
        "consultations/comment_edit.html",
        {
            "comment": comment,
            "proposal": comment.content_object,
            "form": form,
            "edit_minutes": int(edit_window().total_seconds() // 60),
        },
        status=status,
    )


@require_POST
@permission_required("interactions.delete_comment", fn=_comment)
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a comment: a placeholder keeps its place in the thread."""
    comment = _comment(request, pk)
    interactions.delete_comment(request.user, comment)
    messages.success(request, _("The comment is deleted."))
    return _back(comment)


# --- reports ---------------------------------------------------------------------------------


def _report(request: HttpRequest, obj: Proposal | Comment) -> HttpResponse:
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason for the report."))
        return _back(obj)
    try:
        with throttle.limit(request, "report"):
            interactions.report(
                request.user, obj, form.cleaned_data["reason"], form.cleaned_data["explanation"]
            )
    except throttle.RateLimited as err:
        return too_fast(request, err)
    except ValidationError as err:
        _flash_errors(request, err)
    else:
        messages.success(request, _("Thank you: the moderators will look at your report."))
    return _back(obj)


@require_POST
@permission_required("interactions.add_report", fn=_proposal_any)
def proposal_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a proposal to the moderators."""
    return _report(request, _proposal_any(request, pk))


@require_POST
@permission_required("interactions.add_report", fn=_comment)
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a comment to the moderators."""
    return _report(request, _comment(request, pk))


# --- hide, restore, dismiss ------------------------------------------------------------------

ACTS = {
    "hide": (services.hide_content, _("Hidden: the public now sees the reason instead.")),
    "restore": (services.restore_content, _("Restored: the public sees it again.")),
    "dismiss": (services.dismiss_reports, _("The reports are closed; nothing is hidden.")),
}


def _moderate(request: HttpRequest, obj: Proposal | Comment) -> HttpResponse:
    act = ACTS.get(request.POST.get("action", ""))
    form = ReasonForm(request.POST)
    if act is None or not form.is_valid():
        messages.error(request, _("Give the reason (it is shown to the public)."))
    else:
        service, done = act
        try:
            service(request.user, obj, form.cleaned_data["reason"])
        except PermissionDenied:
            return deny(request)
        except ValidationError as err:
            _flash_errors(request, err)
        else:
            messages.success(request, str(done))
    target = request.POST.get("next", "")
    process = services.process_of(obj)
    if target == "queue" and process is not None:
        return redirect("consultations:moderation", slug=process.slug)
    return _back(obj)


@require_POST
@permission_required("consultations.hide_proposal", fn=_proposal_any)
def proposal_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide, restore a proposal or dismiss its reports, with a reason (moderators)."""
    return _moderate(request, _proposal_any(request, pk))


@require_POST
@permission_required("interactions.hide_comment", fn=_comment)
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide, restore a comment or dismiss its reports, with a reason (moderators)."""
    return _moderate(request, _comment(request, pk))


# --- the queue, blocks and the log -----------------------------------------------------------


@permission_required("consultations.moderate_process", fn=_process)
def moderation_queue(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the process's reported items, hidden items, blocked participants and the log."""
    process = _process(request, slug)
    return render(
        request,
        "consultations/moderation.html",
        {
            "process": process,
            "queue": services.moderation_queue(request.user, process),
            "hidden": services.hidden_items(request.user, process),
            "blocks": list(moderation.blocks_in(process)),
            "global_blocks": list(moderation.blocks_in(None)),
            "log": list(moderation.log_of(process)[:200]),
            "reason_form": ReasonForm(),
            "block_form": BlockForm(),
            "can_block_everywhere": request.user.has_perm("interactions.block_user", None),
        },
    )


@require_POST
@permission_required("interactions.block_user", fn=_process)
def block(request: HttpRequest, slug: str) -> HttpResponse:
    """Block a participant in this process (or everywhere) and hide all they wrote there."""
    process = _process(request, slug)
    form = BlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason (it is shown to the public)."))
        return redirect("consultations:moderation", slug=slug)
    person = User.objects.filter(pk=form.cleaned_data["user"]).first()
    scope = None if form.cleaned_data["everywhere"] else process
    try:
        services.block_participant(request.user, person, scope, form.cleaned_data["reason"])
    except PermissionDenied:
        return deny(request)
    except ValidationError as err:
        _flash_errors(request, err)
    else:
        messages.success(request, _("The participant is blocked and their contributions hidden."))
    return redirect("consultations:moderation", slug=slug)


@require_POST
@permission_required("consultations.moderate_process", fn=_process)
def unblock(request: HttpRequest, slug: str, block_id: int) -> HttpResponse:
    """Lift a block (what it hid stays hidden until restored one by one)."""
    found = get_object_or_404(Block, pk=block_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason (it is shown to the public)."))
        return redirect("consultations:moderation", slug=slug)
    try:
        moderation.unblock_user(request.user, found, form.cleaned_data["reason"])
    except PermissionDenied:
        return deny(request)
    except ValidationError as err:
        _flash_errors(request, err)
    else:
        messages.success(request, _("The block is lifted."))
    return redirect("consultations:moderation", slug=slug)
