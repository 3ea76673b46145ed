from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group, Permission
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

# Team groups are derived from the seats (teams.services) and grant nothing by themselves;
# nobody edits them by hand.
admin.site.unregister(Group)


def _reviewer_permission() -> Permission:
    return Permission.objects.get(codename="review_all_access", content_type__app_label="audit")


class UserAdminForm(UserChangeForm):
    is_log_reviewer = forms.BooleanField(
        label=_("named log reviewer"),
        required=False,
        help_text=_(
            "May review the whole access log and make register extracts. Never an "
            "administrator: an administrator sees no child's data."
        ),
    )

    class Meta(UserChangeForm.Meta):
        model = User
        fields = ["email", "full_name", "phone", "organisation", "hsa_id", "is_active", "is_staff"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["is_log_reviewer"].initial = self.instance.user_permissions.filter(
                pk=_reviewer_permission().pk
            ).exists()

    def clean(self):
        data = super().clean()
        if data.get("is_log_reviewer") and self.instance.is_superuser:
            raise forms.ValidationError(_("An administrator cannot be the log reviewer."))
        return data


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
        (_("Access"), {"fields": ["is_active", "is_staff", "is_log_reviewer"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "organisation", "password1", "password2"]}),
    ]
    form = UserAdminForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "is_log_reviewer" in form.cleaned_data:
            if form.cleaned_data["is_log_reviewer"]:
                obj.user_permissions.add(_reviewer_permission())
            else:
                obj.user_permissions.remove(_reviewer_permission())
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
