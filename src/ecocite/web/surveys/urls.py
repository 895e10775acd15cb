"""Pages of the surveys app."""

from django.urls import path

from ecocite.web.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<slug:slug>/", views.survey_new, name="new"),
    path("<int:pk>/", views.survey_detail, name="survey"),
    path("<int:pk>/build/", views.survey_build, name="build"),
    path(
        "<int:pk>/questions/<int:question>/delete/", views.question_delete, name="delete_question"
    ),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/answers.csv", views.export_csv, name="answers_csv"),
    path("<int:pk>/answers.xlsx", views.export_xlsx, name="answers_xlsx"),
    path("<int:pk>/places.geojson", views.export_geojson, name="places_geojson"),
]
