"""The app's own URLs and two more: the pages the benchmark compares the app's pages with."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench_baseline"),
    path("bench/lean-floor/", views.lean_floor, name="bench_lean_floor"),
    path("", include("hlt.urls")),
]
