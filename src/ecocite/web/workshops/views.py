"""Workshop pages: a process's workshops, one workshop, the door, the room, the closing minutes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecocite.web.consultations.models import Process
from ecocite.web.core.permissions import deny, permission_required
from ecocite.web.workshops import ical, services
from ecocite.web.workshops.forms import CheckInForm, CloseForm, RegisterForm, RoomForm, WorkshopForm
from ecocite.web.workshops.models import InPersonContribution, Registration, Workshop


def _workshop(pk: int) -> Workshop:
    return get_object_or_404(Workshop.objects.select_related("process__city"), pk=pk)


def _errors(form: Any, err: ValidationError) -> None:
    if hasattr(err, "error_dict"):
        for field, problems in err.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        for problem in err.messages:
            form.add_error(None, problem)


def process_workshops(request: HttpRequest, slug: str) -> HttpResponse:
    """List the workshops of a process, coming and closed."""
    process = get_object_or_404(Process.objects.select_related("city"), slug=slug)
    rows = Workshop.objects.filter(process=process).order_by("starts_at")
    return render(
        request,
        "workshops/list.html",
        {
            "process": process,
            "coming": [w for w in rows if w.closed_at is None],
            "closed": [w for w in rows if w.closed_at is not None],
            "can_add": request.user.has_perm("workshops.add_workshop", process),
        },
    )


@permission_required(
    "workshops.add_workshop", lambda request, slug: get_object_or_404(Process, slug=slug)
)
def workshop_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Plan a workshop of a process."""
    process = get_object_or_404(Process.objects.select_related("city"), slug=slug)
    form = WorkshopForm(request.POST or None, initial={"time_zone": _default_zone(process)})
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.create_workshop(request.user, process, _fields(form))
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("The workshop is planned."))
            return redirect("workshops:detail", workshop.pk)
    return render(request, "workshops/form.html", {"form": form, "process": process})


def _default_zone(process: Process) -> str:
    return {"CN": "Asia/Shanghai", "ES": "Atlantic/Canary", "FR": "Europe/Paris"}.get(
        process.city.country, "UTC"
    )


def _fields(form: WorkshopForm) -> dict[str, Any]:
    keep = set(services.EDITABLE)
    return {k: v for k, v in form.cleaned_data.items() if k in keep}


@permission_required("workshops.change_workshop", lambda request, pk: _workshop(pk))
def workshop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a workshop's practical details."""
    workshop = _workshop(pk)
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_workshop(request.user, workshop, _fields(form))
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("The workshop is updated."))
            return redirect("workshops:detail", workshop.pk)
    return render(
        request,
        "workshops/form.html",
        {"form": form, "process": workshop.process, "workshop": workshop},
    )


def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a workshop: when, where, agenda, seats, one's registration, minutes once closed."""
    workshop = _workshop(pk)
    user = request.user
    mine = None
    if user.is_authenticated:
        mine = workshop.registrations.filter(user=user).exclude(status="cancelled").first()
    taken = services.seats_taken(workshop)
    waiting = workshop.registrations.filter(status="waiting").count()
    runs = user.has_perm("workshops.run_workshop", workshop)
    return render(
        request,
        "workshops/detail.html",
        {
            "workshop": workshop,
            "process": workshop.process,
            "mine": mine,
            "taken": taken,
            "left": None if workshop.capacity is None else max(workshop.capacity - taken, 0),
            "waiting": waiting,
            "form": RegisterForm(),
            "can_register": user.has_perm("workshops.join_workshop", workshop) and mine is None,
            "see_link": user.has_perm("workshops.see_video_link", workshop),
            "runs": runs,
            "outcomes": workshop.outcomes.filter(hidden_at=None),
            "attendance": _attendance_rows(workshop),
        },
    )


def _attendance_rows(workshop: Workshop) -> list[tuple[str, int]]:
    from ecocite.web.consultations.models import College

    return [
        (str(label), workshop.attendance_by_college.get(value, 0))
        for value, label in College.choices
        if workshop.attendance_by_college.get(value)
    ]


@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register for a workshop (or join its waiting list)."""
    workshop = _workshop(pk)
    form = RegisterForm(request.POST)
    college = form.cleaned_data["college"] if form.is_valid() else ""
    try:
        registration = services.register(request.user, workshop, college)
    except PermissionDenied:
        return deny(request)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("workshops:detail", pk)
    if registration.status == "waiting":
        messages.info(request, _("The workshop is full: you are on the waiting list."))
    else:
        messages.success(
            request, _("You are registered. Your code: %(code)s") % {"code": registration.code}
        )
    return redirect("workshops:detail", pk)


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one's registration."""
    if not request.user.is_authenticated:
        return deny(request)
    registration = get_object_or_404(Registration, workshop_id=pk, user=request.user)
    services.cancel(request.user, registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("workshops:detail", pk)


def workshop_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the workshop as an iCalendar file."""
    workshop = _workshop(pk)
    url = request.build_absolute_uri(workshop_url(workshop))
    show = request.user.has_perm("workshops.see_video_link", workshop)
    return _ics([(workshop, url, show)], workshop.title, f"workshop-{workshop.pk}.ics")


def process_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """Download every workshop of a process as one calendar feed."""
    process = get_object_or_404(Process, slug=slug)
    rows = [
        (
            w,
            request.build_absolute_uri(workshop_url(w)),
            request.user.has_perm("workshops.see_video_link", w),
        )
        for w in Workshop.objects.filter(process=process).select_related("process__city")
    ]
    return _ics(rows, process.title, f"{process.slug}-workshops.ics")


def _ics(rows: list[tuple[Workshop, str, bool]], name: str, filename: str) -> HttpResponse:
    try:
        body = ical.calendar_of(rows, name)
    except ValidationError as err:
        return HttpResponse(
            " ".join(err.messages), status=422, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def workshop_url(workshop: Workshop) -> str:
    """Give the path of a workshop's page."""
    from django.urls import reverse

    return reverse("workshops:detail", args=[workshop.pk])


@permission_required("workshops.run_workshop", lambda request, pk: _workshop(pk))
def door(request: HttpRequest, pk: int) -> HttpResponse:
    """Check people in at the door, by their code or from the list."""
    workshop = _workshop(pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            registration = services.check_in(request.user, workshop, code)
        except ValidationError as err:
            _errors(form, err)
        else:
            name = registration.user.get_full_name() or registration.user.get_username()
            messages.success(request, _("%(name)s is present.") % {"name": name})
            return redirect("workshops:door", pk)
    registrations = workshop.registrations.exclude(status="cancelled").select_related("user")
    return render(
        request,
        "workshops/door.html",
        {"workshop": workshop, "form": form, "registrations": registrations},
    )


@permission_required("workshops.run_workshop", lambda request, pk: _workshop(pk))
def room(request: HttpRequest, pk: int) -> HttpResponse:
    """Type, on a tablet, what people say in the room: proposals, comments, supports."""
    workshop = _workshop(pk)
    form = RoomForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attendee, college = data.get("attendee"), data.get("college", "")
        try:
            if data["what"] == "proposal":
                services.propose_in_person(
                    request.user, workshop, title=data["title"], body=data["text"],
                    attendee=attendee, college=college,
                )  # fmt: skip
            elif data["what"] == "comment":
                services.comment_in_person(
                    request.user, workshop, data["proposal"], data["text"],
                    attendee=attendee, college=college,
                )  # fmt: skip
            else:
                services.support_in_person(request.user, workshop, data["proposal"], attendee)
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("Recorded."))
            return redirect("workshops:room", pk)
    typed = Counter(
        InPersonContribution.objects.filter(workshop=workshop).values_list(
            "target_type__model", flat=True
        )
    )
    return render(
        request,
        "workshops/room.html",
        {"workshop": workshop, "form": form, "typed": typed, "total": sum(typed.values())},
    )


@permission_required("workshops.run_workshop", lambda request, pk: _workshop(pk))
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a workshop with its minutes, attendance by college and outcomes."""
    workshop = _workshop(pk)
    attended = Counter(
        workshop.registrations.exclude(attended_at=None).values_list("college", flat=True)
    )
    initial = {f"attendance_{k}": n for k, n in attended.items() if k}
    initial.update(
        {f"minutes_{lang}": getattr(workshop, f"minutes_{lang}") for lang in ("fr", "zh", "en")}
    )
    form = CloseForm(request.POST or None, workshop=workshop, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.close_workshop(
                request.user, workshop,
                minutes={lang: data[f"minutes_{lang}"] for lang in ("fr", "zh", "en")},
                attendance=form.attendance(), outcomes=list(data["outcomes"]),
            )  # fmt: skip
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("The workshop is closed; its minutes are public."))
            return redirect("workshops:detail", pk)
    return render(request, "workshops/close.html", {"workshop": workshop, "form": form})


def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Print a proposal sheet for the workshop (PDF, in the page's language), for paper input."""
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import render_to_string

    from ecocite.reports.pdf import PdfUnavailableError, write_pdf
    from ecocite.web.consultations.models import College, Heritage

    workshop = _workshop(pk)
    html = render_to_string(
        "workshops/sheet.html",
        {
            "workshop": workshop, "process": workshop.process, "colleges": College.choices,
            "heritage": Heritage.choices, "categories": workshop.process.categories,
            "site_title": settings.SITE_TITLE,
        },
        request=request,
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="ecocite-sheet-") as folder:
        try:
            body = write_pdf(html, Path(folder) / "sheet.pdf").read_bytes()
        except PdfUnavailableError:
            return HttpResponse(html)  # printable from the browser all the same
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}-sheet.pdf"'
    return response
