"""Pages of the datasets app: upload for a city, read one dataset."""

from django.urls import path

from ecocite.web.datasets import views

app_name = "datasets"
urlpatterns = [
    path("cities/<slug:slug>/upload/", views.upload, name="upload"),
    path("datasets/<int:pk>/", views.dataset_detail, name="detail"),
]
