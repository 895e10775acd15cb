"""Forms of the accounts app: throttled sign-in, sign-up, profile and role granting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ecocite.web.accounts import throttle
from ecocite.web.accounts.models import Role, User


class ThrottledAuthenticationForm(AuthenticationForm):
    """The sign-in form; the throttle itself is in the authentication backend (``backends``)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Try again in 15 minutes."),
    }

    def clean(self) -> dict[str, Any]:
        """Check the credentials unless locked; count a failure, clear the count on success."""
        username = self.cleaned_data.get("username") or ""
        if throttle.is_locked(username, throttle.client_address(self.request)):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        return super().clean()


class PreferredLanguagePasswordResetForm(PasswordResetForm):
    """The reset e-mail in the account's preferred language.

    Not in the language of the browser that asked for it, which may be anyone's.
    """

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        """Send the e-mail with the recipient's preferred language active."""
        context = kwargs.get("context", args[2] if len(args) > 2 else {})
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(*args, **kwargs)


class ThrottledPasswordResetForm(PreferredLanguagePasswordResetForm):
    """Password reset, with a limit on mails per address given and per client address."""

    error_messages = {
        "throttled": _("Too many password-reset requests. Try again in an hour."),
    }

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self) -> str:
        """Refuse the request once this address or this client has had its share of mails."""
        email = str(self.cleaned_data["email"])
        if not throttle.allow_reset_mail(email, throttle.client_address(self.request)):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        return email


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

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Find the person with the search above, or start typing a user name."),
        widget=forms.TextInput(attrs={"list": "known-usernames", "autocomplete": "off"}),
    )

    field_order = ["username", "kind", "city", "side"]

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


class DeleteAccountForm(forms.Form):
    """Delete one's account: what becomes of one's contributions, and one's password."""

    contributions = forms.ChoiceField(
        label=_("Your proposals, comments and files"),
        choices=[
            ("keep", _("Keep them, attributed to “former participant”")),
            ("delete", _("Delete them")),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        """Check the password of the signed-in person."""
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="password")
        return str(password)
