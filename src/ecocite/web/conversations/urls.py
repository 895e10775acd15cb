"""Pages of the conversations app."""

from django.urls import path

from ecocite.web.conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<slug:slug>/", views.conversation_new, name="new"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/statements/", views.statement_new, name="statement"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/map/", views.opinion_map, name="map"),
    path("<int:pk>/<str:name>", views.export_file, name="export"),
    path("statements/<int:pk>/propose/", views.propose, name="propose"),
]
