from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.term_statistics, name="term"),
    path("export.<str:fmt>", views.export, name="export"),
    path("term-report/", views.term_report, name="term_report"),
    path("term-reports/", views.term_reports, name="term_reports"),
    path("term-reports/<int:pk>/", views.term_report_detail, name="term_report_detail"),
]
