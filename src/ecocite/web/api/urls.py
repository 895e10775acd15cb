"""The API index: every capability's routes under ``/api/v1/``, the schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter
from rest_framework.viewsets import ViewSetMixin

from ecocite.web.core.capabilities import capabilities

router = DefaultRouter()
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
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
