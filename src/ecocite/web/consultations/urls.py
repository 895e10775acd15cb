"""Pages of the consultations app."""

from django.urls import path

from ecocite.web.consultations import indicator_views, views, views_manage, views_moderation

app_name = "consultations"
urlpatterns = [
    path("", views.index, name="index"),
    path("open-data/", views.schema, name="schema"),
    path("indicators/<slug:city>/", indicator_views.participation, name="indicators"),
    path("bodies/new/", views_manage.body_new, name="body_new"),
    path("bodies/<slug:slug>/", views_manage.body_detail, name="body"),
    path("bodies/<slug:slug>/edit/", views_manage.body_edit, name="body_edit"),
    path("new/<slug:city>/", views_manage.process_new, name="process_new"),
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/propose/", views.proposal_new, name="propose"),
    path("<slug:slug>/edit/", views_manage.process_edit, name="process_edit"),
    path("<slug:slug>/phases/", views_manage.phases_edit, name="phases"),
    path("<slug:slug>/moderation/", views_moderation.moderation_queue, name="moderation"),
    path("<slug:slug>/moderation/block/", views_moderation.block, name="block"),
    path(
        "<slug:slug>/moderation/unblock/<int:block_id>/",
        views_moderation.unblock,
        name="unblock",
    ),
    path("<slug:slug>/accountability/", views.accountability, name="accountability"),
    path("<slug:slug>/map.geojson", views.proposals_map, name="map"),
    path("<slug:slug>/proposals.csv", views.export_proposals_csv, name="proposals_csv"),
    path("<slug:slug>/proposals.geojson", views.export_proposals_geojson, name="proposals_geojson"),
    path("<slug:slug>/comments.csv", views.export_comments_csv, name="comments_csv"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/support/", views.proposal_support, name="support"),
    path("proposals/<int:pk>/comment/", views.proposal_comment, name="comment"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="answer"),
    path("proposals/<int:pk>/report/", views_moderation.proposal_report, name="report_proposal"),
    path(
        "proposals/<int:pk>/moderate/",
        views_moderation.proposal_moderate,
        name="moderate_proposal",
    ),
    path("comments/<int:pk>/edit/", views_moderation.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views_moderation.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/report/", views_moderation.comment_report, name="report_comment"),
    path("comments/<int:pk>/moderate/", views_moderation.comment_moderate, name="moderate_comment"),
]
