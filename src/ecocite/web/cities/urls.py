"""Pages of the cities app: the list, the map data and one city's page."""

from django.urls import path

from ecocite.web.cities import views

app_name = "cities"
urlpatterns = [
    path("", views.city_list, name="list"),
    path("map.geojson", views.city_map_data, name="map_data"),
    path("new/", views.city_add, name="add"),
    path("<slug:slug>/", views.city_detail, name="detail"),
    path("<slug:slug>/edit/", views.city_edit, name="edit"),
]
