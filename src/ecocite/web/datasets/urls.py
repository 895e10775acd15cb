from django.urls import path

from ecocite.web.datasets import views

app_name = "datasets"
urlpatterns = [path("<int:pk>/", views.dataset_detail, name="detail")]
