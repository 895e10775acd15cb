"""Read any bundled or uploaded framework in the chosen language; administrators upload new ones."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecocite.frameworks import FrameworkError, parse_framework
from ecocite.web.core.permissions import permission_required
from ecocite.web.frameworks.models import UploadedFramework
from ecocite.web.frameworks.registry import available_frameworks, framework_by_key

MAX_FRAMEWORK_BYTES = 2 * 1024 * 1024


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Framework file (YAML)"))


def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frameworks/list.html",
        {
            "frameworks": sorted(available_frameworks().items()),
            "can_upload": request.user.has_perm("frameworks.add_framework"),
        },
    )


def framework_detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        framework = framework_by_key(key)
    except KeyError:
        raise Http404(key) from None
    return render(request, "frameworks/detail.html", {"framework": framework})


@permission_required("frameworks.add_framework")
def framework_upload(request: HttpRequest) -> HttpResponse:
    form = FrameworkUploadForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        name = uploaded.name
        if not name.lower().endswith((".yaml", ".yml")) or uploaded.size > MAX_FRAMEWORK_BYTES:
            issues = [_("Expected a YAML file of at most 2 MB.")]
        else:
            try:
                text = uploaded.read().decode("utf-8")
                framework = parse_framework(text, filename=name)
            except UnicodeDecodeError:
                issues = [_("The file is not UTF-8 text.")]
            except FrameworkError as exc:
                issues = [str(issue) for issue in exc.issues]
            else:
                if framework.key in available_frameworks():
                    issues = [_("This framework version already exists.")]
                else:
                    UploadedFramework.objects.create(
                        framework_id=framework.id,
                        version=framework.version,
                        yaml_text=text,
                        original_name=name,
                        uploaded_by=request.user,
                    )
                    messages.success(request, _("Framework added."))
                    return redirect("frameworks:detail", key=framework.key)
    status = 422 if issues else 200
    return render(
        request, "frameworks/upload.html", {"form": form, "issues": issues}, status=status
    )
