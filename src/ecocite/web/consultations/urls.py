"""Pages of the consultations app."""

from django.urls import path

from ecocite.web.consultations import indicator_views, views

app_name = "consultations"
urlpatterns = [
    path("", views.index, name="index"),
    path("open-data/", views.schema, name="schema"),
    path("indicators/<slug:city>/", indicator_views.participation, name="indicators"),
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/propose/", views.proposal_new, name="propose"),
    path("<slug:slug>/accountability/", views.accountability, name="accountability"),
    path("<slug:slug>/map.geojson", views.proposals_map, name="map"),
    path("<slug:slug>/proposals.csv", views.export_proposals_csv, name="proposals_csv"),
    path("<slug:slug>/proposals.geojson", views.export_proposals_geojson, name="proposals_geojson"),
    path("<slug:slug>/comments.csv", views.export_comments_csv, name="comments_csv"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/support/", views.proposal_support, name="support"),
    path("proposals/<int:pk>/comment/", views.proposal_comment, name="comment"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="answer"),
]
