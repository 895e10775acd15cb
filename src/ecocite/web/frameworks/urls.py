"""URLs of the frameworks app."""

from django.urls import path

from ecocite.web.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("upload/", views.framework_upload, name="upload"),
    path("<str:key>/", views.framework_detail, name="detail"),
]
