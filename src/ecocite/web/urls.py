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

# JSON errors under /api/, Django's pages elsewhere (api/errors.py).
handler400 = "ecocite.web.api.errors.bad_request"
handler403 = "ecocite.web.api.errors.permission_denied"
handler404 = "ecocite.web.api.errors.page_not_found"
handler500 = "ecocite.web.api.errors.server_error"
