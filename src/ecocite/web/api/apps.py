from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ecocite.web.api"
    label = "api"
    verbose_name = "API"
