"""Pages of the notifications app."""

from django.urls import path

from ecocite.web.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("settings/", views.settings_page, name="settings"),
    path("follow/", views.follow_view, name="follow"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
