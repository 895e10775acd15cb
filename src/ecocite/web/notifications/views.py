"""Notification pages: one's list, settings, follow buttons and the one-click unsubscribe."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ecocite.web.core.permissions import deny
from ecocite.web.notifications import services
from ecocite.web.notifications.forms import PreferencesForm
from ecocite.web.notifications.models import Mail, Notification

PER_PAGE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """List one's notifications, newest first; mark all read."""
    if request.method == "POST":
        services.mark_read(request.user)
        messages.success(request, _("All notifications are marked read."))
        return redirect("notifications:list")
    rows = Notification.objects.filter(recipient=request.user)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "items": [(n, services.message(n)) for n in page.object_list],
            "unread": services.unread_count(request.user),
        },
    )


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of one's notifications read and open its page."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(request.user, note.pk)
    path = str(note.data.get("path", "/"))
    if not url_has_allowed_host_and_scheme(path, allowed_hosts=None) or not path.startswith("/"):
        path = "/"
    return redirect(path)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Choose e-mails (each, a daily digest, none) and what to be told about."""
    prefs = services.preferences(request.user)
    form = PreferencesForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    follows = request.user.follows.select_related("target_type").order_by("-created_at")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "follows": [(f, f.target) for f in follows]},
        status=422 if form.errors else 200,
    )


FOLLOW_TYPES = {"process": ("consultations", "process"), "proposal": ("consultations", "proposal")}


def _followed(request: HttpRequest) -> Any:
    kind = FOLLOW_TYPES.get(request.POST.get("type", ""))
    pk = request.POST.get("id", "")
    if kind is None or not pk.isdigit():
        raise Http404
    model = ContentType.objects.get_by_natural_key(*kind).model_class()
    assert model is not None
    return get_object_or_404(model, pk=int(pk))


@require_POST
def follow_view(request: HttpRequest) -> HttpResponse:
    """Follow or unfollow a process or a proposal, then go back to its page."""
    obj = _followed(request)
    if not request.user.has_perm("notifications.add_follow", obj):
        return deny(request)
    if request.POST.get("unfollow"):
        services.unfollow(request.user, obj)
        messages.success(request, _("You no longer follow this."))
    else:
        services.follow(request.user, obj)
        messages.success(request, _("You follow this now: you will be notified of news."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return redirect(back or "/")


@csrf_exempt  # the token is the credential; mail clients post here (RFC 8058 one-click)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop all e-mails in one click, without signing in; offer to undo."""
    person = services.user_from_token(token)
    if person is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST" and request.POST.get("resubscribe"):
        services.set_mail(person, str(Mail.IMMEDIATE))
        done = False
    else:
        services.set_mail(person, str(Mail.NONE))
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"done": done, "token": token, "email": person.email},
    )
