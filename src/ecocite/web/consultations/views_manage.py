"""Management pages: bodies (colleges, charter), processes (texts, site, decision) and phases.

Administrators create and edit bodies; administrators and the city's officials create
processes; their organisers edit them and their phases. The same services as the Django admin
and the API check the rules and validate (overlapping phases are refused naming them).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ecocite.web.cities.models import City
from ecocite.web.consultations import services
from ecocite.web.consultations.forms import (
    BodyForm,
    MemberFormSet,
    PhaseFormSet,
    ProcessForm,
)
from ecocite.web.consultations.models import Body, Process
from ecocite.web.core.permissions import permission_required
from ecocite.web.core.phases import phases_of


def _body(request: HttpRequest, slug: str, **_kw: Any) -> Body:
    return get_object_or_404(Body, slug=slug)


def _city(request: HttpRequest, city: str, **_kw: Any) -> City:
    return get_object_or_404(City, slug=city)


def _process(request: HttpRequest, slug: str, **_kw: Any) -> Process:
    return get_object_or_404(Process.objects.select_related("city"), slug=slug)


def _add_errors(form: Any, err: ValidationError) -> None:
    for name, problems in err.message_dict.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a standing body: its charter, members by college and processes."""
    body = _body(request, slug)
    return render(
        request,
        "consultations/body.html",
        {
            "body": body,
            "members": body.members.all(),
            "processes": body.processes.select_related("city").order_by("slug"),
            "can_edit": request.user.has_perm("consultations.change_body", body),
        },
    )


def _save_body(request: HttpRequest, body: Body | None) -> HttpResponse:
    initial = [{"name": m.name, "college": m.college} for m in body.members.all()] if body else []
    form = BodyForm(request.POST or None, instance=body)
    members = MemberFormSet(
        request.POST or None, initial=None if request.POST else initial, prefix="members"
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and members.is_valid():
            rows = [
                (m.cleaned_data["name"], m.cleaned_data["college"])
                for m in members.forms
                if m.cleaned_data.get("name") and not m.cleaned_data.get("DELETE")
            ]
            fields = {name: form.cleaned_data[name] for name in BodyForm.Meta.fields}
            try:
                with transaction.atomic():
                    if body is None:
                        saved = services.create_body(request.user, **fields)
                    else:
                        saved = services.update_body(request.user, body, **fields)
                    services.set_members(request.user, saved, rows)
            except ValidationError as err:
                _add_errors(form, err)
            else:
                messages.success(request, _("The body is saved."))
                return redirect("consultations:body", slug=saved.slug)
    return render(
        request,
        "consultations/body_form.html",
        {"form": form, "members": members, "body": body},
        status=status,
    )


@permission_required("consultations.add_body")
def body_new(request: HttpRequest) -> HttpResponse:
    """Create a standing body (administrators)."""
    return _save_body(request, None)


@permission_required("consultations.change_body", fn=_body)
def body_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a standing body, its charter and members (administrators)."""
    return _save_body(request, _body(request, slug))


def _save_process(request: HttpRequest, city: City, process: Process | None) -> HttpResponse:
    form = ProcessForm(request.POST or None, instance=process)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in ProcessForm.Meta.fields}
            fields["categories"] = form.cleaned_data["categories_text"]
            try:
                if process is None:
                    saved = services.create_process(
                        request.user, city, services.standard_phases(timezone.now()), **fields
                    )
                else:
                    saved = services.update_process(request.user, process, **fields)
            except ValidationError as err:
                _add_errors(form, err)
            else:
                messages.success(request, _("The process is saved."))
                if process is None:
                    return redirect("consultations:phases", slug=saved.slug)
                return redirect("consultations:process", slug=saved.slug)
    return render(
        request,
        "consultations/process_form.html",
        {"form": form, "city": city, "process": process},
        status=status,
    )


@permission_required("consultations.add_process", fn=_city)
def process_new(request: HttpRequest, city: str) -> HttpResponse:
    """Create a process in a city (its officials, administrators); standard phases to edit."""
    return _save_process(request, _city(request, city), None)


@permission_required("consultations.change_process", fn=_process)
def process_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a process's texts, scale, site and decision (its organisers)."""
    process = _process(request, slug)
    return _save_process(request, process.city, process)


@permission_required("consultations.change_process", fn=_process)
def phases_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit the phases of a process: names, dates, actions, anonymous access, order."""
    process = _process(request, slug)
    initial = [
        {
            "name": p.name,
            "starts_at": p.starts_at,
            "ends_at": p.ends_at,
            "actions": p.actions,
            "anonymous_allowed": p.anonymous_allowed,
            "ORDER": p.position,
        }
        for p in phases_of(process)
    ]
    # Bound forms compare with what was posted only: an empty extra row stays empty.
    formset = PhaseFormSet(
        request.POST or None, initial=None if request.POST else initial, prefix="phases"
    )
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 422
        if formset.is_valid():
            specs = [
                services.PhaseSpec(
                    name=f.cleaned_data["name"],
                    starts_at=f.cleaned_data["starts_at"],
                    ends_at=f.cleaned_data["ends_at"],
                    actions=tuple(f.cleaned_data["actions"]),
                    anonymous_allowed=f.cleaned_data["anonymous_allowed"],
                )
                for f in formset.ordered_forms
            ]
            try:
                services.set_phases(request.user, process, specs)
            except ValidationError as err:
                problems = [p for values in err.message_dict.values() for p in values]
            else:
                messages.success(request, _("The phases are saved."))
                return redirect("consultations:process", slug=process.slug)
    return render(
        request,
        "consultations/phases_form.html",
        {"process": process, "formset": formset, "problems": problems},
        status=status,
    )
