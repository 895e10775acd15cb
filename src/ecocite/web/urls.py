from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ecocite.web.core.urls")),
    path("accounts/", include("ecocite.web.accounts.urls")),
    path("cities/", include("ecocite.web.cities.urls")),
    path("datasets/", include("ecocite.web.datasets.urls")),
    path("assessments/", include("ecocite.web.assessments.urls")),
    path("frameworks/", include("ecocite.web.frameworks.urls")),
    path("carbon/", include("ecocite.web.carbon.urls")),
    path("api/", include("ecocite.web.api.urls")),
    path("admin/", admin.site.urls),
]
