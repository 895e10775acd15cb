"""Workshops of a process, registrations with door codes, contributions typed in the room.

A workshop hangs on its process (``scope_parent``): the process's phases decide when people may
register (the ``join_workshop`` action) and the process's organisers run it, with the
facilitators of the process or of the workshop itself.
"""

from __future__ import annotations

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecocite.web.consultations.models import College, in_language

# Door codes avoid letters and digits that read alike (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    """Draw a registration code to show at the door."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Kind(models.TextChoices):
    """How people meet."""

    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid (in person and online)")


class Workshop(models.Model):
    """A meeting of a process: where and when, who may come, what was said."""

    process = models.ForeignKey(
        "consultations.Process", on_delete=models.CASCADE, related_name="workshops"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    agenda = models.JSONField(_("agenda items"), default=list, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    place = models.JSONField(_("place (GeoJSON point, WGS84)"), null=True, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    video_for_registered_only = models.BooleanField(
        _("show the video link to registered people only"), default=True
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_open = models.BooleanField(_("registration open"), default=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    minutes_fr = models.TextField(_("minutes (French)"), blank=True)
    minutes_zh = models.TextField(_("minutes (Chinese)"), blank=True)
    minutes_en = models.TextField(_("minutes (English)"), blank=True)
    attendance_by_college = models.JSONField(_("attendance by college"), default=dict, blank=True)
    outcomes = models.ManyToManyField(
        "consultations.Proposal",
        blank=True,
        related_name="workshops",
        verbose_name=_("proposals that came out of it"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Give the title in the active language, falling back to French."""
        return in_language(self, "title")

    @property
    def description(self) -> str:
        """Give the description in the active language, falling back to French."""
        return in_language(self, "description")

    @property
    def minutes(self) -> str:
        """Give the minutes in the active language, falling back to French."""
        return in_language(self, "minutes")

    @property
    def scope_parent(self) -> object:
        """Give the process (its phases and roles govern the workshop)."""
        return self.process

    @property
    def city(self) -> object:
        """Give the city of the workshop's process."""
        return self.process.city

    @property
    def meets_in_person(self) -> bool:
        """Tell whether people meet in a room."""
        return self.kind in (Kind.IN_PERSON, Kind.HYBRID)

    @property
    def meets_online(self) -> bool:
        """Tell whether people meet online."""
        return self.kind in (Kind.ONLINE, Kind.HYBRID)

    def clean(self) -> None:
        """Check the time zone, the dates and what each kind of meeting needs."""
        errors: dict[str, str] = {}
        if not self.time_zone:
            errors["time_zone"] = _("Give the time zone of the workshop (e.g. Asia/Shanghai).")
        else:
            try:
                zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                errors["time_zone"] = _("Unknown time zone: use a name such as Asia/Shanghai.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A workshop ends after it starts.")
        if self.meets_in_person and not (self.address or self.place):
            errors["address"] = _("Say where people meet: an address or a place on the map.")
        if self.meets_online and not self.video_url:
            errors["video_url"] = _("Give the link people use to join online.")
        if not (self.title_fr or self.title_zh or self.title_en):
            errors["title_fr"] = _("Give the workshop a title in at least one language.")
        if self.place is not None:
            from ecocite.web.consultations.geometry import check_geometry

            check_geometry(self.place, field="place", kinds=("Point",))
        unknown = set(self.attendance_by_college) - set(College.values)
        if unknown:
            errors["attendance_by_college"] = _("Unknown college: %(names)s") % {
                "names": ", ".join(sorted(unknown))
            }
        if errors:
            raise ValidationError(errors)


class RegistrationStatus(models.TextChoices):
    """Where a registration stands."""

    REGISTERED = "registered", _("registered")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Registration(models.Model):
    """One person registered for a workshop, with the code they show at the door."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    college = models.CharField(_("college"), max_length=20, choices=College.choices, blank=True)
    code = models.CharField(_("registration code"), max_length=CODE_LENGTH, default=new_code)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    attended_at = models.DateTimeField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="one_registration_each"),
            models.UniqueConstraint(fields=["workshop", "code"], name="one_code_each"),
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.user} · {self.workshop}"

    @property
    def scope_parent(self) -> Workshop:
        """Give the workshop."""
        return self.workshop


class InPersonContribution(models.Model):
    """A contribution made in the room and typed in by a facilitator on the person's behalf."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="contributions")
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField()
    typed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    college = models.CharField(_("college"), max_length=20, choices=College.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="inperson_target")]

    def __str__(self) -> str:
        return f"{self.workshop} · {self.target_type_id}:{self.target_id}"
