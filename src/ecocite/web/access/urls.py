"""Pages of the access app."""

from django.urls import path

from ecocite.web.access import views

app_name = "access"
urlpatterns = [
    path("", views.index, name="index"),
    path("cities/<slug:slug>/", views.city_access, name="city"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="status"),
    path("runs/<int:pk>/map.json", views.run_map, name="map"),
    path("runs/<int:pk>/dataset/", views.run_dataset, name="dataset"),
]
