"""Django application of the REST API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The API app: the index and OpenAPI schema of the apps' routes."""

    name = "ecocite.web.api"
    label = "api"
    verbose_name = "API"
