from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.log_list, name="list"),
    path("export.csv", views.log_export, name="export"),
    path("<int:pk>/", views.log_entry, name="entry"),
]
