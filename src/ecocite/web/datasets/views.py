"""Upload a dataset for a city: the engine validates, errors are listed row by row, all or nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ecocite.data import DataImportError
from ecocite.web.cities.lookups import city_from_slug
from ecocite.web.core.permissions import permission_required
from ecocite.web.core.row_errors import shown_errors
from ecocite.web.datasets.forms import UploadForm
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import import_upload, read_capped
from ecocite.web.frameworks.registry import indicator_names


@permission_required("datasets.add_dataset", fn=city_from_slug)
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the upload form of a city and import the file sent, all or nothing."""
    city = city_from_slug(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = None
    error_count = 0
    status = 200
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        content = read_capped(uploaded)
        try:
            dataset = import_upload(
                uploaded.name,
                content,
                city=city,
                framework_key=form.cleaned_data["framework"],
                user=request.user,
            )
        except DataImportError as exc:
            errors = shown_errors(exc.errors)
            error_count = len(exc.errors)
            status = 422
        else:
            messages.success(
                request,
                _("%(name)s accepted: %(rows)d values imported.")
                % {"name": dataset.original_name, "rows": dataset.rows},
            )
            return redirect("datasets:detail", pk=dataset.pk)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "datasets/upload.html",
        {"city": city, "form": form, "errors": errors, "error_count": error_count},
        status=status,
    )


def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a dataset: who uploaded it, when, and its values."""
    dataset = get_object_or_404(Dataset.objects.select_related("city", "uploaded_by"), pk=pk)
    values = dataset.values.order_by("year", "indicator")[:500]
    names = indicator_names(dataset.framework_key)
    rows = [(names.get(v.indicator, v.indicator), v) for v in values]
    return render(request, "datasets/detail.html", {"dataset": dataset, "values": rows})
