"""Django application of the assessments app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """The assessments app: runs, results and reports."""

    name = "ecocite.web.assessments"
    label = "assessments"
    verbose_name = _("Assessments")
