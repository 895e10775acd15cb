"""URLs of the kernel: the home page and the language switch."""

from django.urls import path

from ecocite.web.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.switch_language, name="language"),
]
