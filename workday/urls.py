from django.urls import path

from . import views

app_name = "workday"

urlpatterns = [
    path("email/", views.email_setting, name="email_setting"),
]
