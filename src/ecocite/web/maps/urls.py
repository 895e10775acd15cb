"""Pages of the maps app: map files and the place search of a city."""

from django.urls import path, re_path

from ecocite.web.maps import views

app_name = "maps"
urlpatterns = [
    path("<slug:slug>/places.json", views.places, name="places"),
    path("<slug:slug>/manifest.json", views.manifest, name="manifest"),
    re_path(
        r"^(?P<slug>[-\w]+)/tiles/(?P<layer>[a-z]+)/(?P<cell>-?\d+_-?\d+)\.geojson$",
        views.tile,
        name="tile",
    ),
    re_path(r"^(?P<slug>[-\w]+)/(?P<layer>[a-z]+)\.geojson$", views.layer, name="layer"),
]
