"""The API index: every capability's routes under ``/api/v1/``, the schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter
from rest_framework.viewsets import ViewSetMixin

from ecocite.web.api.documents import EcoCiteAPIRoot, SchemaView
from ecocite.web.core.capabilities import capabilities

router = DefaultRouter()
router.APIRootView = EcoCiteAPIRoot
routes = []
for capability in capabilities():
    for route in capability.api:
        if issubclass(route.view, ViewSetMixin):
            router.register(route.prefix, route.view, basename=route.name)
        else:
            routes.append(path(f"v1/{route.prefix}", route.view.as_view(), name=route.name))

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    *routes,
    path("v1/schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script (CSP).
    path(
        "v1/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]
