"""Forms of the slider pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.scenario.site import MAX_SITE_CHARS, load_catalogue
from ecocite.web.consultations.models import College
from ecocite.web.core.languages import pick


class VisionForm(forms.Form):
    """What a participant adds to the slider positions when submitting a vision."""

    title = forms.CharField(label=_("Title of your vision"), max_length=200)
    text = forms.CharField(
        label=_("In a few words"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    college = forms.ChoiceField(
        label=_("I take part as"), choices=[("", "—"), *College.choices], required=False
    )
    image = forms.ImageField(label=_("An image (optional)"), required=False)


class SiteForm(forms.Form):
    """Offer a site: its definition (the engine's YAML), the sliders and facilities offered."""

    title_fr = forms.CharField(label=_("title (French)"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("title (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=200, required=False)
    definition = forms.FileField(
        label=_("site file (YAML: area, today's values with their sources, constants, facilities)")
    )
    sliders = forms.MultipleChoiceField(
        label=_("sliders offered"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    facilities = forms.CharField(
        label=_("facilities that may be added (ids from the site file, separated by commas)"),
        required=False, max_length=300,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sliders"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(s.id, pick(dict(s.name))) for s in load_catalogue()]

    def clean(self) -> dict[str, Any]:
        """Read the uploaded YAML as text and split the facilities."""
        data = super().clean()
        upload = data.get("definition")
        if upload is not None:
            raw = upload.read(MAX_SITE_CHARS * 4 + 1)
            try:
                data["definition_text"] = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("definition", _("The site file must be UTF-8 text."))
        if not any(data.get(f"title_{lang}") for lang in ("fr", "zh", "en")):
            self.add_error("title_fr", _("Give the site a title in at least one language."))
        data["facilities_list"] = [
            f.strip() for f in data.get("facilities", "").split(",") if f.strip()
        ]
        return data
