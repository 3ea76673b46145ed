from django.contrib import admin

from .models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody, administrators included, adds, changes or deletes log rows."""

    list_display = ["at", "user", "user_organisation", "action", "kind", "child_id", "case_id"]
    list_filter = ["action", "kind"]
    list_select_related = ["user", "user_organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
