"""Pages of the workshops app."""

from django.urls import path

from ecocite.web.workshops import views

app_name = "workshops"
urlpatterns = [
    path("process/<slug:slug>/", views.process_workshops, name="process"),
    path("process/<slug:slug>/new/", views.workshop_new, name="new"),
    path("process/<slug:slug>/workshops.ics", views.process_ics, name="process_ics"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/edit/", views.workshop_edit, name="edit"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/workshop.ics", views.workshop_ics, name="ics"),
    path("<int:pk>/door/", views.door, name="door"),
    path("<int:pk>/room/", views.room, name="room"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/sheet.pdf", views.sheet, name="sheet"),
]
