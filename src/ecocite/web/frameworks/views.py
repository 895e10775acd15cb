"""Read any bundled or uploaded framework in the chosen language; administrators upload new ones."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecocite.frameworks import UnknownFrameworkError
from ecocite.web.core.permissions import permission_required
from ecocite.web.frameworks.registry import available_frameworks, framework_by_key
from ecocite.web.frameworks.services import (
    FrameworkUploadError,
    add_uploaded_framework,
    read_capped,
)


class FrameworkUploadForm(forms.Form):
    """Upload a framework's YAML file."""

    file = forms.FileField(label=gettext_lazy("Framework file (YAML)"))


def framework_list(request: HttpRequest) -> HttpResponse:
    """List the frameworks, with the upload link for those allowed."""
    return render(
        request,
        "frameworks/list.html",
        {
            "frameworks": sorted(available_frameworks().items()),
            "can_upload": request.user.has_perm("frameworks.add_framework"),
        },
    )


def framework_detail(request: HttpRequest, key: str) -> HttpResponse:
    """Show a framework in the active language."""
    try:
        framework = framework_by_key(key)
    except UnknownFrameworkError:
        raise Http404(key) from None
    return render(request, "frameworks/detail.html", {"framework": framework})


@permission_required("frameworks.add_framework")
def framework_upload(request: HttpRequest) -> HttpResponse:
    """Show the upload form and add the framework sent, or list its issues."""
    form = FrameworkUploadForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            framework = add_uploaded_framework(
                uploaded.name, read_capped(uploaded), user=request.user
            )
        except FrameworkUploadError as exc:
            issues = exc.issues
        else:
            messages.success(request, _("Framework added."))
            return redirect("frameworks:detail", key=framework.key)
    status = 422 if issues else 200
    return render(
        request, "frameworks/upload.html", {"form": form, "issues": issues}, status=status
    )
