from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("team/<int:team_pk>/", views.team_meetings, name="team"),
    path("team/<int:team_pk>/generate/", views.generate, name="generate"),
    path("team/<int:team_pk>/add/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/slot/", views.slot, name="slot"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/items/<int:item_pk>/minutes/", views.item_minutes, name="item_minutes"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/invitation.ics", views.invitation, name="invitation"),
]
