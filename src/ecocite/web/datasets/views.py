"""Pages of the datasets app: upload, check in the worker, preview, confirm or discard; read a dataset.

A file sent is stored and checked by the job worker (never parsed in the request); its page shows
the progress, then the preview (what will be imported, converted units, warnings) or the row
errors. Confirm imports all or nothing; Discard deletes the stored file.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ecocite.cells import neutralised
from ecocite.data import DataImportError
from ecocite.data.template import build_template
from ecocite.reports.messages import format_number
from ecocite.units import format_unit
from ecocite.web.cities.lookups import city_from_slug
from ecocite.web.core.languages import engine_lang
from ecocite.web.core.permissions import permission_required
from ecocite.web.core.row_errors import shown_errors
from ecocite.web.datasets.forms import (
    EntryFormSet,
    ReplaceForm,
    TemplateForm,
    UploadForm,
    WithdrawForm,
    framework_choices,
)
from ecocite.web.datasets.models import Dataset, PendingUpload, UploadStatus
from ecocite.web.datasets.services import enter_values, read_capped
from ecocite.web.datasets.uploads import (
    DatasetNotInForce,
    UploadNotReady,
    confirm,
    discard,
    store_replacement,
    store_upload,
    stored_errors,
    upload_state,
    withdraw,
)
from ecocite.web.frameworks.registry import (
    default_framework_key,
    framework_by_key,
    indicator_names,
)


def upload_of(request: HttpRequest, pk: int, **kwargs: Any) -> PendingUpload:
    """Return the stored upload of the URL (kept on the request), or a 404."""
    found: dict[int, PendingUpload] = request.__dict__.setdefault("_ecocite_uploads", {})
    if pk not in found:
        found[pk] = get_object_or_404(
            PendingUpload.objects.select_related("city", "uploaded_by", "dataset"), pk=pk
        )
    return found[pk]


def city_of_upload(request: HttpRequest, pk: int, **kwargs: Any) -> Any:
    """Return the city of the stored upload: its page follows the city's upload rule."""
    return upload_of(request, pk).city


@permission_required("datasets.add_dataset", fn=city_from_slug)
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the upload form of a city; store the file sent and queue its check."""
    city = city_from_slug(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = None
    error_count = 0
    status = 200
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            pending = store_upload(
                uploaded.name,
                read_capped(uploaded),
                city=city,
                framework_key=form.cleaned_data["framework"],
                user=request.user,
            )
        except DataImportError as exc:
            errors = shown_errors(exc.errors)
            error_count = len(exc.errors)
            status = 422
        else:
            return redirect("datasets:check", pk=pending.pk)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "datasets/upload.html",
        {
            "city": city,
            "form": form,
            "template_form": TemplateForm(prefix="template"),
            "errors": errors,
            "error_count": error_count,
        },
        status=status,
    )


def _warning_text(warning: dict[str, Any]) -> str:
    params = dict(warning.get("params") or {})
    n = int(params.get("count", 0))
    lang = engine_lang()
    if warning["id"] == "converted":
        return ngettext(
            "%(count)s value converted from %(from)s to %(to)s",
            "%(count)s values converted from %(from)s to %(to)s",
            n,
        ) % {
            "count": format_number(n, lang),
            "from": format_unit(params["from"], lang) or params["from"],
            "to": format_unit(params["to"], lang) or "—",
        }
    count = {"count": format_number(n, lang)}
    if warning["id"] == "unverified":
        return (
            ngettext("%(count)s value is not verified", "%(count)s values are not verified", n)
            % count
        )
    if warning["id"] == "low_quality":
        return (
            ngettext("%(count)s value is of low quality", "%(count)s values are of low quality", n)
            % count
        )
    if warning["id"] == "template_skipped":
        return (
            ngettext(
                "%(count)s template row left empty is skipped",
                "%(count)s template rows left empty are skipped",
                n,
            )
            % count
        )
    if warning["id"] == "supersedes":
        return (
            ngettext(
                "%(count)s value replaces one the city already has for the same year and indicator",
                "%(count)s values replace ones the city already has for the same year and indicator",
                n,
            )
            % count
        )
    return str(warning["id"])


def preview_context(pending: PendingUpload) -> dict[str, Any]:
    """Return the preview of a checked upload as the page shows it, in the active language."""
    preview = pending.preview or {}
    names = indicator_names(pending.framework_key)
    years = preview.get("years", [])
    indicators = [
        {
            "name": names.get(i["indicator"], i["indicator"]),
            "unit": i["unit"],
            "rows": i["rows"],
            "per_year": [i["years"].get(str(y), 0) for y in years],
        }
        for i in preview.get("indicators", [])
    ]
    sample = [
        {**r, "name": names.get(r["indicator"], r["indicator"])} for r in preview.get("sample", [])
    ]
    return {
        "rows": preview.get("rows", 0),
        "years": years,
        "indicators": indicators,
        "sample": sample,
        "warnings": [_warning_text(w) for w in preview.get("warnings", [])],
    }


@permission_required("datasets.add_dataset", fn=city_of_upload)
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a stored upload: its check's progress, then its preview or its row errors."""
    pending = upload_of(request, pk)
    if pending.status == UploadStatus.IMPORTED and pending.dataset is not None:
        messages.success(
            request,
            _("%(name)s accepted: %(rows)d values imported.")
            % {"name": pending.dataset.original_name, "rows": pending.dataset.rows},
        )
        return redirect("datasets:detail", pk=pending.dataset.pk)
    errors = shown_errors(stored_errors(pending))
    return render(
        request,
        "datasets/check.html",
        {
            "pending": pending,
            "city": pending.city,
            "job": upload_state(pending),
            "waiting": pending.status
            in (UploadStatus.QUEUED, UploadStatus.CHECKING, UploadStatus.IMPORTING),
            "status_url": reverse("datasets:check_status", args=[pending.pk]),
            "preview": preview_context(pending) if pending.status == UploadStatus.READY else None,
            "errors": errors,
            "error_count": pending.error_count,
        },
    )


@require_GET
@permission_required("datasets.add_dataset", fn=city_of_upload)
def check_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of an upload's check or import (polled by site.js)."""
    return JsonResponse(upload_state(upload_of(request, pk)))


@require_POST
@permission_required("datasets.add_dataset", fn=city_of_upload)
def confirm_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a checked upload, all or nothing (in the worker)."""
    pending = upload_of(request, pk)
    try:
        confirm(pending, user=request.user)
    except UploadNotReady:
        messages.error(request, _("This upload is not waiting for a confirmation."))
        return redirect("datasets:check", pk=pending.pk)
    return redirect("datasets:check", pk=pending.pk)


@require_POST
@permission_required("datasets.add_dataset", fn=city_of_upload)
def discard_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a stored upload and its file; nothing is imported."""
    pending = upload_of(request, pk)
    city = pending.city
    try:
        discard(pending)
    except UploadNotReady:
        messages.error(request, _("This upload is being worked on; try again in a moment."))
        return redirect("datasets:check", pk=pending.pk)
    messages.success(request, _("The file was discarded; nothing was imported."))
    return redirect("datasets:upload", slug=city.slug)


def dataset_of(request: HttpRequest, pk: int, **kwargs: Any) -> Dataset:
    """Return the dataset of the URL (kept on the request), or a 404."""
    found: dict[int, Dataset] = request.__dict__.setdefault("_ecocite_datasets", {})
    if pk not in found:
        found[pk] = get_object_or_404(
            Dataset.objects.select_related("city", "uploaded_by", "replaced_by"), pk=pk
        )
    return found[pk]


def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a dataset: who uploaded it, when, its history and its values."""
    dataset = dataset_of(request, pk)
    return _detail(request, dataset)


def _detail(
    request: HttpRequest,
    dataset: Dataset,
    *,
    replace_form: ReplaceForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    errors: Any = None,
    error_count: int = 0,
    status: int = 200,
) -> HttpResponse:
    values = dataset.values.order_by("year", "indicator")[:500]
    names = indicator_names(dataset.framework_key)
    rows = [(names.get(v.indicator, v.indicator), v) for v in values]
    history = dataset.events.select_related("user", "other")
    may_change = request.user.has_perm("datasets.change_dataset", dataset)
    return render(
        request,
        "datasets/detail.html",
        {
            "dataset": dataset,
            "values": rows,
            "history": history,
            "may_change": may_change and dataset.in_force,
            "replace_form": replace_form or ReplaceForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "errors": errors,
            "error_count": error_count,
        },
        status=status,
    )


@require_POST
@permission_required("datasets.change_dataset", fn=dataset_of)
def replace_dataset(request: HttpRequest, pk: int) -> HttpResponse:
    """Store a corrected file for the dataset and queue its check (then preview and confirm)."""
    dataset = dataset_of(request, pk)
    form = ReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, dataset, replace_form=form, status=422)
    uploaded = form.cleaned_data["file"]
    try:
        pending = store_replacement(
            dataset, uploaded.name, read_capped(uploaded), user=request.user
        )
    except DatasetNotInForce:
        messages.error(request, _("This dataset was already withdrawn or replaced."))
        return redirect("datasets:detail", pk=dataset.pk)
    except DataImportError as exc:
        return _detail(
            request, dataset, errors=shown_errors(exc.errors), error_count=len(exc.errors),
            status=422,
        )  # fmt: skip
    return redirect("datasets:check", pk=pending.pk)


@require_POST
@permission_required("datasets.change_dataset", fn=dataset_of)
def withdraw_dataset(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the dataset with a reason: its values stop counting; nothing is deleted."""
    dataset = dataset_of(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _detail(request, dataset, withdraw_form=form, status=422)
    try:
        withdraw(dataset, reason=form.cleaned_data["reason"], user=request.user)
    except DatasetNotInForce:
        messages.error(request, _("This dataset was already withdrawn or replaced."))
    else:
        messages.success(request, _("The dataset is withdrawn; its values no longer count."))
    return redirect("datasets:detail", pk=dataset.pk)


@require_GET
@permission_required("datasets.add_dataset", fn=city_from_slug)
def template(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the template of a framework and year for this city (CSV or XLSX)."""
    city = city_from_slug(request, slug)
    form = TemplateForm(request.GET, prefix="template")
    if not form.is_valid():
        return render(
            request,
            "datasets/upload.html",
            {"city": city, "form": UploadForm(), "template_form": form},
            status=422,
        )
    framework = framework_by_key(form.cleaned_data["framework"])
    year = form.cleaned_data["year"]
    frame = neutralised(build_template(framework, city=city.slug, year=year, lang=engine_lang()))
    kind = form.cleaned_data["format"]
    name = f"ecocite-template-{city.slug}-{framework.id}-{year}.{kind}"
    if kind == "csv":
        body = frame.to_csv(index=False).encode("utf-8-sig")  # the BOM: Excel reads UTF-8
        content_type = "text/csv; charset=utf-8"
    else:
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, sheet_name="values")
        body = buffer.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("datasets.add_dataset", fn=city_from_slug)
def enter(request: HttpRequest, slug: str) -> HttpResponse:
    """Enter a few values by hand; the importer's own checks apply, all or nothing."""
    city = city_from_slug(request, slug)
    framework_key = request.POST.get("framework") or request.GET.get("framework") or ""
    try:
        framework = framework_by_key(framework_key or default_framework_key())
    except LookupError:
        framework = framework_by_key(default_framework_key())
    lang = engine_lang()
    indicators = [(ind.id, f"{ind.name(lang)} ({format_unit(ind.unit, lang) or '—'})")
                  for _c, ind in framework.indicators()]  # fmt: skip
    formset = EntryFormSet(
        request.POST or None, prefix="row", form_kwargs={"indicators": indicators}
    )
    errors = None
    error_count = 0
    status = 200
    if request.method == "POST" and formset.is_valid():
        rows = []
        lines = []  # the form line of each value (blank lines are left out)
        for line, form in enumerate(formset, start=1):
            if form.is_blank():
                continue
            lines.append(line)
            data = form.cleaned_data
            unit_text = data["unit"]
            if not unit_text and data["indicator"]:
                unit_text = framework.indicator(data["indicator"]).unit
            rows.append({
                "year": data["year"], "indicator": data["indicator"], "value": data["value"],
                "unit": unit_text, "source": data["source"], "quality": data["quality"],
                "verified": data["verified"],
            })  # fmt: skip
        if not rows:
            messages.error(request, _("Fill in at least one line."))
            status = 422
        else:
            try:
                dataset = enter_values(
                    rows, city=city, framework_key=framework.key, user=request.user,
                    name=_("entered-by-hand") + ".csv",
                )  # fmt: skip
            except DataImportError as exc:
                # The importer numbers the values 1, 2 …; the page shows its own line numbers.
                found = [replace(e, row=lines[e.row - 1]) if e.row else e for e in exc.errors]
                errors = shown_errors(found)
                error_count = len(found)
                status = 422
            else:
                messages.success(
                    request,
                    ngettext("%(n)s value saved.", "%(n)s values saved.", dataset.rows)
                    % {"n": dataset.rows},
                )
                return redirect("datasets:detail", pk=dataset.pk)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "datasets/enter.html",
        {
            "city": city,
            "framework": framework,
            "frameworks": framework_choices(),
            "formset": formset,
            "errors": errors,
            "error_count": error_count,
        },
        status=status,
    )
