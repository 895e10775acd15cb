from django.urls import path

from ecocite.web.assessments import views

app_name = "assessments"
urlpatterns = [
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/status.json", views.assessment_status, name="status"),
    path("<int:pk>/report.<str:fmt>", views.assessment_report, name="report"),
    path("<int:pk>/rerun/", views.rerun, name="rerun"),
]
