from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("start/", views.case_start, name="start"),
    path("register-extract/", views.register_extract, name="register_extract"),
    path("team/<int:team_pk>/", views.team_cases, name="team"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/history/", views.case_history, name="history"),
    path("<int:pk>/guardians/", views.case_guardians, name="guardians"),
    path("<int:pk>/consent/print/", views.consent_print, name="consent_print"),
    path("<int:pk>/consent/register/", views.consent_register, name="consent_register"),
    path("<int:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/consent/<int:consent_pk>/scan/", views.consent_scan, name="consent_scan"),
    path("<int:pk>/actualise/", views.case_actualise, name="actualise"),
    path("<int:pk>/protected-identity/", views.protected_identity_set, name="protected_identity"),
]
