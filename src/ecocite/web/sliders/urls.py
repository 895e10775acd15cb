"""Pages of the sliders app."""

from django.urls import path

from ecocite.web.sliders import views

app_name = "sliders"
urlpatterns = [
    path("process/<slug:slug>/", views.process_sites, name="process"),
    path("process/<slug:slug>/new/", views.site_new, name="new"),
    path("<int:pk>/", views.site_detail, name="site"),
    path("<int:pk>/evaluate.json", views.evaluate_json, name="evaluate"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/visions/", views.visions, name="visions"),
]
