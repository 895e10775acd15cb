"""Accounts pages: sign in, sign up, one's profile, and the administrators' roles page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ecocite.web.accounts.forms import (
    ProfileForm,
    RoleForm,
    SignUpForm,
    ThrottledAuthenticationForm,
)
from ecocite.web.accounts.models import Role
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


def sign_up(request: HttpRequest) -> HttpResponse:
    """Create an account and sign its owner in."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("accounts:profile")
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
    form = RoleForm(request.POST or None)
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
    return render(
        request,
        "accounts/roles.html",
        {"form": form, "roles": granted},
        status=422 if form.errors else 200,
    )
