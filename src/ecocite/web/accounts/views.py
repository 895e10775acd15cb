"""Accounts pages: sign in, sign up, one's profile, and the administrators' roles page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecocite.web.accounts.forms import (
    DeleteAccountForm,
    ProfileForm,
    RoleForm,
    SignUpForm,
    ThrottledAuthenticationForm,
    ThrottledPasswordResetForm,
)
from ecocite.web.accounts.models import Role, User
from ecocite.web.core.languages import LANGUAGE_SESSION_KEY
from ecocite.web.core.permissions import permission_required


class SignInView(auth_views.LoginView):
    """Sign in through the throttled form, then apply the preferred language."""

    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm

    def form_valid(self, form: ThrottledAuthenticationForm) -> HttpResponse:
        """Sign the person in and set the language cookie to their preference."""
        response = super().form_valid(form)
        # A language chosen before signing in wins; otherwise the profile's preference applies.
        if LANGUAGE_SESSION_KEY not in self.request.session:
            self.request.session[LANGUAGE_SESSION_KEY] = form.get_user().preferred_language
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view; mails are limited per address given and per client (``throttle``)."""

    form_class = ThrottledPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        """Pass the request to the form (the throttle needs the client's address)."""
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form: Any) -> HttpResponse:
        """Answer 429 when the form was refused by the throttle."""
        response = super().form_invalid(form)
        if form.has_error("email", code="throttled"):
            response.status_code = 429
        return response


def sign_up(request: HttpRequest) -> HttpResponse:
    """Create an account and sign its owner in."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="ecocite.web.accounts.backends.ThrottledModelBackend")
        # The language chosen in the form applies from the very next page, over any earlier
        # choice of this visit (session and cookie alike).
        request.session[LANGUAGE_SESSION_KEY] = user.preferred_language
        translation.activate(user.preferred_language)
        messages.success(request, _("Welcome! Your account is ready."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            samesite="Lax",
            httponly=True,
            max_age=365 * 86400,
        )
        return response
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Show and edit one's own profile."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        request.session[LANGUAGE_SESSION_KEY] = user.preferred_language
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile")
    roles = request.user.roles.select_related("city").order_by("kind")
    return render(request, "accounts/profile.html", {"form": form, "roles": roles})


@permission_required("accounts.change_role")
def roles(request: HttpRequest) -> HttpResponse:
    """Administrators grant and revoke roles (city officials, assessors, jury …)."""
    form = RoleForm(request.POST or None, initial={"username": request.GET.get("user", "")})
    if request.method == "POST":
        revoke = request.POST.get("revoke")
        if revoke:
            Role.objects.filter(pk=revoke).delete()
            messages.success(request, _("Role revoked."))
            return redirect("accounts:roles")
        if form.is_valid():
            form.save()
            messages.success(request, _("Role granted."))
            return redirect("accounts:roles")
    granted = Role.objects.select_related("user", "city").order_by("user__username", "kind")
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "accounts/roles.html",
        {
            "form": form,
            "roles": granted,
            "query": query,
            "people": find_people(query),
            "usernames": User.objects.order_by("username").values_list("username", flat=True)[
                :PEOPLE_LISTED
            ],
        },
        status=422 if form.errors else 200,
    )


PEOPLE_LISTED = 500


def find_people(query: str, limit: int = 50) -> list[User]:
    """Accounts whose user name, name, e-mail or organisation contains ``query`` (all when empty), with their roles, for the roles page's search."""
    people = User.objects.order_by("username").prefetch_related("roles__city")
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(organisation__icontains=query)
        )
    return list(people[:limit])


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """One's personal data: download it all, or delete one's account."""
    return render(request, "accounts/my_data.html", {"form": DeleteAccountForm(user=request.user)})


@login_required
def data_download(request: HttpRequest) -> HttpResponse:
    """Download everything stored about oneself: ``data.json`` and one's files, in a ZIP."""
    from ecocite.web.accounts.privacy import export_data

    response = HttpResponse(export_data(request.user), content_type="application/zip")
    name = f"ecocite-{request.user.get_username()}-data.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    """Delete one's account after the password, keeping or deleting one's contributions."""
    from ecocite.web.accounts.privacy import delete_account as delete

    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/my_data.html", {"form": form}, status=422)
    delete(request.user, keep_contributions=form.cleaned_data["contributions"] == "keep")
    logout(request)
    messages.success(request, _("Your account is deleted."))
    return redirect("core:home")
