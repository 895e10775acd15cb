"""A site of a process offered to the scenario sliders, and the visions people submit for it.

The site's definition is the engine's YAML (area, today's values with sources, constants, the
facilities that may be added); the engine (:mod:`ecocite.scenario`) computes everything.
"""

from __future__ import annotations

from functools import cached_property, lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecocite.scenario.site import Site, parse_site
from ecocite.web.consultations.models import College, in_language


@lru_cache(maxsize=64)
def _parsed(definition: str, name: str) -> Site:
    # Sites are immutable values: every slider move of every visitor reuses the parse.
    return parse_site(definition, file=name)


class SliderSite(models.Model):
    """A site of a process whose vision participants explore with sliders."""

    process = models.ForeignKey(
        "consultations.Process", on_delete=models.CASCADE, related_name="slider_sites"
    )
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    definition = models.TextField(_("site definition (YAML)"))
    sliders = models.JSONField(_("sliders offered"), default=list)
    facilities = models.JSONField(_("facilities that may be added"), default=list, blank=True)
    framework_key = models.CharField(_("framework"), max_length=100, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("scenario site")
        verbose_name_plural = _("scenario sites")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Give the title in the active language, falling back to French."""
        return in_language(self, "title")

    @property
    def scope_parent(self) -> object:
        """Give the process (its roles and phases govern the site)."""
        return self.process

    @cached_property
    def site(self) -> Site:
        """Give the engine's site, parsed from the stored definition (once per definition)."""
        return _parsed(self.definition, f"scenario site {self.pk}")


class Vision(models.Model):
    """A participant's slider positions for a site, with a title, a short text and an image."""

    site = models.ForeignKey(SliderSite, on_delete=models.CASCADE, related_name="visions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    college = models.CharField(_("college"), max_length=20, choices=College.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what this vision says"), max_length=2000, blank=True)
    image = models.ImageField(_("image"), upload_to="visions/", blank=True)
    settings = models.JSONField(_("slider positions"))
    facilities = models.JSONField(_("facilities added"), default=list, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "author"], condition=models.Q(author__isnull=False),
                name="one_vision_per_person",
            ),
            models.UniqueConstraint(
                fields=["site", "session_key"], condition=~models.Q(session_key=""),
                name="one_vision_per_session",
            ),
        ]  # fmt: skip
        verbose_name = _("vision")
        verbose_name_plural = _("visions")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_parent(self) -> SliderSite:
        """Give the site."""
        return self.site
