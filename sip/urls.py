from django.urls import path

from . import views

app_name = "sip"

urlpatterns = [
    path("case/<int:pk>/", views.case_sip, name="case"),
    path("case/<int:pk>/feedback/", views.feedback_record, name="feedback"),
    path("case/<int:pk>/meeting/", views.meeting_new, name="meeting_new"),
    path("case/<int:pk>/plan/", views.plan_new, name="plan_new"),
    path("plan/<int:pk>/", views.plan_detail, name="plan"),
    path("plan/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plan/<int:pk>/finalise/", views.plan_finalise, name="finalise"),
    path("plan/<int:pk>/revise/", views.plan_revise, name="revise"),
    path("plan/<int:pk>/print/", views.plan_print, name="print"),
    path("plan/<int:pk>/document/<int:job_pk>/", views.document_status, name="document"),
    path(
        "plan/<int:pk>/document/<int:job_pk>/download/",
        views.document_download,
        name="document_download",
    ),
    path("plan/<int:pk>/signatures/", views.signature_register, name="signatures"),
    path(
        "plan/<int:pk>/signatures/<int:signature_pk>/scan/",
        views.signature_scan,
        name="signature_scan",
    ),
    path("plan/<int:pk>/follow-up/", views.follow_up_new, name="follow_up"),
]
