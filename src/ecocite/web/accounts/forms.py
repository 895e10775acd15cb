"""Forms of the accounts app: throttled sign-in, sign-up, profile and role granting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from ecocite.web.accounts import throttle
from ecocite.web.accounts.models import Role, User


def client_address(request: Any) -> str:
    """Return the client address of a request (empty without a request)."""
    return str(request.META.get("REMOTE_ADDR", "")) if request is not None else ""


class ThrottledAuthenticationForm(AuthenticationForm):
    """The sign-in form, refusing an account and address locked after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Try again in 15 minutes."),
    }

    def clean(self) -> dict[str, Any]:
        """Check the credentials unless locked; count a failure, clear the count on success."""
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if throttle.is_locked(username, address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username, address)
        return cleaned


class SignUpForm(UserCreationForm):
    """The sign-up form: user name, e-mail, organisation, preferred language and password."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = (
            "username",
            "email",
            "first_name",
            "last_name",
            "organisation",
            "preferred_language",
        )


class ProfileForm(forms.ModelForm):
    """The profile form: what a person may change about themselves."""

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email", "organisation", "preferred_language")


class RoleForm(forms.ModelForm):
    """Grant a role; the model checks its shape and the assessor/jury independence rule."""

    username = forms.CharField(label=_("User name"), max_length=150)

    class Meta:
        model = Role
        fields = ("kind", "city", "side")

    def clean(self) -> dict[str, Any]:
        """Find the account named by the user name: the role is granted to it."""
        cleaned = super().clean()
        name = cleaned.get("username", "")
        user = User.objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No account with this user name."))
        self.instance.user = user
        return cleaned
