"""People and the roles they hold: platform-wide, for one city, or for one scope object.

A scope object is anything a role can be held *for* besides a city — a consultation process
(moderator of this process), a workshop (its facilitator), a label programme (its secretariat)
— reached by a generic relation, so the apps that bring those objects need no change here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. ``preferred_language`` is applied at sign-in."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="fr"
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # The one account that holds the contributions of people who deleted their account and
    # chose to leave them (see ``accounts.privacy``); it cannot sign in.
    former = models.BooleanField(default=False, editable=False)

    def __str__(self) -> str:
        if self.former:
            from django.utils.translation import gettext

            return gettext("former participant")
        return str(self.get_username())


class RoleKind(models.TextChoices):
    """The kinds of role a person can hold."""

    RESIDENT = "resident", _("Resident")
    PROFESSIONAL = "professional", _("Professional (urbanist, architect, engineer …)")
    RESEARCHER = "researcher", _("University / researcher")
    CITY_OFFICIAL = "city_official", _("City official")
    ASSESSOR = "assessor", _("Assessor")
    JURY = "jury", _("Jury member")
    MODERATOR = "moderator", _("Moderator")
    ADMINISTRATOR = "administrator", _("Administrator")
    FACILITATOR = "facilitator", _("Workshop facilitator")
    SECRETARIAT = "secretariat", _("Label programme secretariat")


# Roles that only make sense for one city; roles held for one scope object (a process, a
# workshop, a programme), where a moderator without a scope moderates the whole platform.
CITY_ROLES = {RoleKind.CITY_OFFICIAL, RoleKind.ASSESSOR, RoleKind.JURY}
SCOPE_ROLES = {RoleKind.MODERATOR, RoleKind.FACILITATOR, RoleKind.SECRETARIAT}
SCOPE_REQUIRED = {RoleKind.FACILITATOR, RoleKind.SECRETARIAT}


class Side(models.TextChoices):
    """The side of an assessor or jury member in the Sino-French programme."""

    FRENCH = "fr", _("French side")
    CHINESE = "zh", _("Chinese side")


class Role(models.Model):
    """One role of one person: for one city (city roles), for one scope object, or everywhere."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    city = models.ForeignKey(
        "cities.City", null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    scope_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    side = models.CharField(_("side"), max_length=2, choices=Side.choices, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "city"], name="unique_role_per_city"),
            models.UniqueConstraint(
                fields=["user", "kind", "scope_type", "scope_id"], name="unique_role_per_scope"
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(city__isnull=True, scope_id__isnull=True),
                name="unique_global_role",
            ),
        ]
        indexes = [models.Index(fields=["scope_type", "scope_id"], name="role_scope")]

    def __str__(self) -> str:
        where = f" · {self.city}" if self.city_id else ""
        if self.scope_id is not None:
            where = f" · {self.scope}"
        return f"{self.user} · {self.get_kind_display()}{where}"

    def clean(self) -> None:
        """Check the role's scope, city and side, and the assessor/jury independence rule."""
        if (self.scope_type_id is None) != (self.scope_id is None):
            raise ValidationError(_("A scope needs both its type and its id."))
        scoped = self.scope_id is not None
        if self.kind in CITY_ROLES and self.city_id is None:
            raise ValidationError({"city": _("This role is held for one city: choose the city.")})
        if self.kind not in CITY_ROLES and self.city_id is not None:
            raise ValidationError({"city": _("This role is not tied to a city.")})
        if self.kind in SCOPE_REQUIRED and not scoped:
            raise ValidationError(
                {"kind": _("This role is held for one process, workshop or programme.")}
            )
        if self.kind not in SCOPE_ROLES and scoped:
            raise ValidationError({"kind": _("This role is not held for a process.")})
        if self.kind == RoleKind.ASSESSOR and not self.side:
            raise ValidationError(
                {"side": _("An assessor works for the French or the Chinese side.")}
            )
        if self.kind != RoleKind.ASSESSOR and self.side:
            raise ValidationError({"side": _("Only assessors have a side.")})
        # Independence: nobody judges a city they assessed, nor assesses one they judge.
        conflicting = {RoleKind.JURY: RoleKind.ASSESSOR, RoleKind.ASSESSOR: RoleKind.JURY}
        other = conflicting.get(RoleKind(self.kind))
        if (
            other
            and Role.objects.filter(user_id=self.user_id, kind=other, city_id=self.city_id).exists()
        ):
            raise ValidationError(
                _("An assessor of a city cannot sit on its jury, and a juror cannot assess it.")
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Validate the role, then save it."""
        self.full_clean(exclude=["user"] if self.user_id is None else None)
        super().save(*args, **kwargs)
