"""URLs of the carbon app."""

from django.urls import path

from ecocite.web.carbon import views

app_name = "carbon"
urlpatterns = [
    path("", views.index, name="index"),
    path("cities/<slug:slug>/", views.city_carbon, name="city"),
    path("inventories/<int:pk>/", views.inventory_detail, name="inventory"),
    path("inventories/<int:pk>/replace/", views.inventory_replace, name="replace"),
    path("inventories/<int:pk>/ecrf.xlsx", views.inventory_download, name="download"),
    path("inventories/<int:pk>/dataset/", views.inventory_dataset, name="dataset"),
    path("inventories/<int:pk>/pathway/", views.pathway, name="pathway"),
    path("inventories/<int:pk>/pathway/status/", views.pathway_status, name="pathway_status"),
]
