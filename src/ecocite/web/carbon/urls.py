"""URLs of the carbon app."""

from django.urls import path

from ecocite.web.carbon import scenario_views, views

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
    path("inventories/<int:pk>/scenarios/new/", scenario_views.scenario_add, name="scenario_add"),
    path("cities/<slug:slug>/scenarios/", scenario_views.scenario_list, name="scenarios"),
    path(
        "cities/<slug:slug>/scenarios/compare/",
        scenario_views.scenario_compare,
        name="scenario_compare",
    ),
    path(
        "cities/<slug:slug>/scenarios/compare.<str:fmt>",
        scenario_views.scenario_export,
        name="scenario_export",
    ),
    path("scenarios/<int:pk>/", scenario_views.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/status/", scenario_views.scenario_status, name="scenario_status"),
    path("scenarios/<int:pk>/edit/", scenario_views.scenario_edit, name="scenario_edit"),
    path(
        "scenarios/<int:pk>/recompute/",
        scenario_views.scenario_recompute,
        name="scenario_recompute",
    ),
    path("scenarios/<int:pk>/delete/", scenario_views.scenario_delete, name="scenario_delete"),
]
