"""Pages of the assessments app: run one for a city, follow it, read and download its report."""

from django.urls import path

from ecocite.web.assessments import compare_views, views

app_name = "assessments"
urlpatterns = [
    path("compare/", compare_views.compare, name="compare"),
    path("compare/comparison.<str:fmt>", compare_views.compare_download, name="compare_download"),
    path("cities/<slug:slug>/assess/", views.new_assessment, name="new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/status.json", views.assessment_status, name="status"),
    path("assessments/<int:pk>/report.<str:fmt>", views.assessment_report, name="report"),
    path("assessments/<int:pk>/rerun/", views.rerun, name="rerun"),
]
