from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.start, name="start"),
    path("teams/mine/", views.my_teams, name="my_teams"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path(
        "organisation/key-persons/", views.organisation_key_persons, name="organisation_key_persons"
    ),
    path("key-persons/<int:pk>/end/", views.key_person_end, name="key_person_end"),
    path("sessions/", views.my_sessions, name="my_sessions"),
    path("second-factor/", views.second_factor, name="second_factor"),
]
