from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.term_statistics, name="term"),
    path("export.<str:fmt>", views.export, name="export"),
]
