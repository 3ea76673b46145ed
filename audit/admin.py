from django.contrib import admin

from .models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes log rows, and administrators do not read them either:
    log review is for the named log reviewer and managers (audit views), never for
    superusers (issue 13 finding 5). Kept registered so the admin says so plainly."""

    list_display = ["at", "user", "user_organisation", "action", "kind", "child_id", "case_id"]
    list_filter = ["action", "kind"]
    list_select_related = ["user", "user_organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return False
