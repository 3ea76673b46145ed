"""The app's own URLs and one more: the baseline page the benchmark compares pages with."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench_baseline"),
    path("", include("hlt.urls")),
]
