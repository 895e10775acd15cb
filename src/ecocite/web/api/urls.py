from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from ecocite.web.api import views
from ecocite.web.api.documents import EcoCiteAPIRoot, SchemaView

router = DefaultRouter()
router.APIRootView = EcoCiteAPIRoot
router.register("cities", views.CityViewSet, basename="city")
router.register("datasets", views.DatasetViewSet, basename="dataset")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("frameworks", views.FrameworkViewSet, basename="framework")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/token/", views.TokenView.as_view(), name="token"),
    path("v1/schema/", SchemaView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
