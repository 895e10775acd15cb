"""The engine's message ids (``label.missing.*``, ``label.refused.*``) in the site's languages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecocite.label import Missing

TEXTS: dict[str, Any] = {
    "label.missing.charter": gettext_lazy("The signed charter is not uploaded."),
    "label.missing.pilot_site": gettext_lazy("The pilot site is not set."),
    "label.missing.frozen_assessment": gettext_lazy(
        "No frozen assessment of the city for the programme's framework and stage."
    ),
    "label.missing.consultation": gettext_lazy(
        "No consultation process linked at %(scale)s scale."
    ),
    "label.missing.action_plan": gettext_lazy("The action plan has no action."),
    "label.missing.review": gettext_lazy("The review of the %(side)s is not submitted."),
    "label.missing.independent_reviews": gettext_lazy(
        "The two reviews must be written by two different assessors."
    ),
    "label.missing.reviewer_conflict": gettext_lazy(
        "An assigned assessor has a conflict of interest: assign another."
    ),
    "label.missing.quorum": gettext_lazy("%(votes)s vote(s) cast; the quorum is %(quorum)s."),
    "label.missing.conflict_declaration": gettext_lazy(
        "A jury member must declare having no conflict of interest before voting."
    ),
    "label.missing.reviewer_voted": gettext_lazy("Nobody who reviewed the application may vote."),
    "label.missing.majority": gettext_lazy(
        "No majority to %(decision)s (%(for)s of %(votes)s votes)."
    ),
    "label.missing.monitoring_assessment": gettext_lazy(
        "This year's frozen assessment is not attached."
    ),
    "label.refused.not_allowed": gettext_lazy("An application cannot go from %(from)s to %(to)s."),
    "label.refused.role": gettext_lazy("Your role does not allow this step (%(allowed)s)."),
}


def _words() -> dict[str, Any]:
    from ecocite.web.label.models import Side, Stage

    return {
        "city": _("city"),
        "pilot_site": _("pilot-site"),
        **dict(Side.choices),
        "award": _("award"),
        "refuse": _("refuse"),
        "secretariat": _("secretariat"),
        "administrator": _("administrator"),
        "jury_chair": _("jury chair"),
        **{value: label for value, label in Stage.choices},
    }


def explain(missing: Missing) -> str:
    """Return the text of one engine message in the active language, parameters filled in."""
    text = TEXTS.get(missing.message_id)
    if text is None:
        return missing.message_id
    words = _words()
    params: dict[str, Any] = {}
    for key, value in missing.params.items():
        if isinstance(value, list):
            params[key] = ", ".join(str(words.get(v, v)) for v in value)
        else:
            params[key] = words.get(value, value) if isinstance(value, str) else value
    try:
        return str(text) % params
    except (KeyError, TypeError, ValueError):
        return str(text)
