from django.urls import path

from ecocite.web.assessments import views as assessment_views
from ecocite.web.cities import views
from ecocite.web.datasets import views as dataset_views

app_name = "cities"
urlpatterns = [
    path("", views.city_list, name="list"),
    path("map.geojson", views.city_map_data, name="map_data"),
    path("<slug:slug>/", views.city_detail, name="detail"),
    path("<slug:slug>/upload/", dataset_views.upload, name="upload"),
    path("<slug:slug>/assess/", assessment_views.new_assessment, name="assess"),
]
