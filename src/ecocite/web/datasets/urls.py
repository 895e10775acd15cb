"""Pages of the datasets app: upload for a city, check and confirm an upload, read one dataset."""

from django.urls import path

from ecocite.web.datasets import views

app_name = "datasets"
urlpatterns = [
    path("cities/<slug:slug>/upload/", views.upload, name="upload"),
    path("cities/<slug:slug>/template/", views.template, name="template"),
    path("cities/<slug:slug>/enter/", views.enter, name="enter"),
    path("datasets/uploads/<int:pk>/", views.check, name="check"),
    path("datasets/uploads/<int:pk>/status/", views.check_status, name="check_status"),
    path("datasets/uploads/<int:pk>/confirm/", views.confirm_upload, name="confirm"),
    path("datasets/uploads/<int:pk>/discard/", views.discard_upload, name="discard"),
    path("datasets/<int:pk>/", views.dataset_detail, name="detail"),
    path("datasets/<int:pk>/replace/", views.replace_dataset, name="replace"),
    path("datasets/<int:pk>/withdraw/", views.withdraw_dataset, name="withdraw"),
]
