from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CoordinatorAppointment,
    KeyPerson,
    Manager,
    Municipality,
    Organisation,
    ProcessLeader,
    Region,
    Team,
    Term,
    User,
)
from .sessions import sessions_end


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "organisation__sector"]
    search_fields = ["full_name", "email", "hsa_id"]
    list_select_related = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone", "organisation", "hsa_id"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "organisation", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.is_active:
            sessions_end(user=obj)  # disabling a user logs them out everywhere


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sector", "municipality", "principal"]
    list_filter = ["sector", "municipality"]
    search_fields = ["name"]
    list_select_related = ["municipality", "principal_region", "principal_municipality"]


class KeyPersonInline(admin.TabularInline):
    model = KeyPerson
    fk_name = "team"
    extra = 0
    fields = ["user", "organisation", "profession", "active_from", "active_to"]
    autocomplete_fields = ["user", "organisation"]
    can_delete = False  # seats end, they are never deleted


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality", "meeting_place", "is_active"]
    list_filter = ["municipality", "is_active"]
    search_fields = ["name", "catchment"]
    inlines = [KeyPersonInline]


@admin.register(KeyPerson)
class KeyPersonAdmin(SimpleHistoryAdmin):
    list_display = ["user", "team", "organisation", "profession", "active_from", "active_to"]
    list_filter = ["team", "organisation__sector"]
    search_fields = ["user__full_name", "team__name"]
    autocomplete_fields = ["user", "team", "organisation", "appointed_by"]
    list_select_related = ["user", "team", "organisation"]

    def has_delete_permission(self, request, obj=None):
        return False  # history must survive; end the seat instead


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on"]


@admin.register(CoordinatorAppointment)
class CoordinatorAppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["team", "term", "key_person"]
    list_filter = ["term"]
    autocomplete_fields = ["key_person", "team", "appointed_by"]


@admin.register(Manager)
class ManagerAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "active_from", "active_to"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(ProcessLeader)
class ProcessLeaderAdmin(SimpleHistoryAdmin):
    list_display = ["user", "region", "is_active"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["municipalities"]
