"""The project's URLs: the home page, then every capability's pages as its manifest declares."""

from django.contrib import admin
from django.urls import include, path

from ecocite.web.core.capabilities import capabilities

urlpatterns = [
    path("", include("ecocite.web.core.urls")),
    *(
        path(capability.url_prefix, include(capability.urlconf))
        for capability in capabilities()
        if capability.urlconf is not None
    ),
    path("admin/", admin.site.urls),
]
