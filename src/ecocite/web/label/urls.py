"""Pages of the label app."""

from django.urls import path

from ecocite.web.label import views

app_name = "label"
urlpatterns = [
    path("", views.index, name="index"),
    path("registry/", views.registry, name="registry"),
    path("registry.geojson", views.registry_geojson, name="registry_geojson"),
    path("certificates/check/", views.certificate_check, name="check"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("certificates/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("programmes/<slug:slug>/", views.dashboard, name="dashboard"),
    path("programmes/<slug:slug>/applications.csv", views.dashboard_csv, name="dashboard_csv"),
    path("calls/<slug:slug>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/file/", views.application_file, name="file"),
    path("applications/<int:pk>/assessment/", views.application_assessment, name="assessment"),
    path("applications/<int:pk>/link/", views.application_link, name="link"),
    path("applications/<int:pk>/action/", views.application_action, name="action"),
    path("applications/<int:pk>/assign/", views.application_assign, name="assign"),
    path("applications/<int:pk>/move/", views.application_move, name="move"),
    path("applications/<int:pk>/declare/", views.application_declare, name="declare"),
    path("applications/<int:pk>/vote/", views.application_vote, name="vote"),
    path("reviews/<int:pk>/", views.review_page, name="review"),
]
