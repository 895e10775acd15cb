"""Pages of the community app."""

from django.urls import path

from ecocite.web.community import views

app_name = "community"
urlpatterns = [
    path("", views.index, name="index"),
    path("follow/", views.follow, name="follow"),
    path("people/", views.profiles, name="profiles"),
    path("people/me/", views.my_profile, name="my_profile"),
    path("people/<int:pk>/", views.profile_detail, name="profile"),
    path("people/<int:pk>/verify/", views.verify, name="verify"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/close/", views.call_close, name="call_close"),
    path("answers/<int:pk>/decide/", views.decide, name="decide"),
    path("processes/<slug:slug>/call/", views.call_new, name="call_new"),
    path("processes/<slug:slug>/publish/", views.case_new, name="case_new"),
    path("cases/", views.cases, name="cases"),
    path("cases/compare/", views.compare, name="compare"),
    path("cases.csv", views.cases_csv, name="cases_csv"),
    path("cases.json", views.cases_json, name="cases_json"),
    path("cases/<slug:slug>/", views.case_detail, name="case"),
    path("cases/<slug:slug>/edit/", views.case_edit, name="case_edit"),
    path("<str:kind>/<int:pk>/discuss/", views.discuss, name="discuss"),
]
