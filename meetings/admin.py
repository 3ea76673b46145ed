"""Meetings in the admin: the schedule only. Agendas and minutes hold children's data,
which administrators never see, so they are not registered."""

from django.contrib import admin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "team", "starts_at", "ends_at", "place", "state"]
    list_filter = ["state", "team", "term"]
    date_hierarchy = "date"
    readonly_fields = ["version", "published_at", "updated_by"]
    fields = [
        "team",
        "term",
        "date",
        "starts_at",
        "ends_at",
        "place",
        "state",
        "slot_minutes",
        "cancel_note",
        "version",
        "published_at",
        "updated_by",
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the history of meetings stays
