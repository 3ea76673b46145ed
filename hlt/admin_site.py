"""The admin site: every registered model admin, ours or a library's, gets `QueryStringGuard`.

Admin pages read query strings that a stale link or a person can make up: an add page takes
initial values (`/admin/teams/keyperson/add/?team=3`), a list takes filters. Django passes
initial values on unchecked, and a foreign key rendered by an autocomplete widget then crashes
on `?team=NaN` (a 500); a NUL byte in a filter reaches PostgreSQL, which refuses it (a 500).
The guard drops initial values that are not valid for their field and sends a list with a NUL
in its query string to Django's own "the filter was wrong" page (`?e=1`). It also gives the
admin's forms the project's normalisation of typed text (hlt/text.py).
"""

import datetime

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.utils import timezone

from .text import NormalisedForm

# PostgreSQL's bigint; larger ids cannot exist and would fail in the query.
_MAX_ID = 2**63 - 1


def _clean_value(field: models.Field, value: str):
    """The Python value of `value` for `field`, or ValidationError."""
    if "\x00" in value:
        raise ValidationError("NUL")
    if isinstance(field, models.IntegerField | models.AutoField):
        number = field.to_python(value)
        if number is not None and abs(number) > _MAX_ID:
            raise ValidationError("out of range")
        return number
    python = field.to_python(value)
    if python not in (None, ""):
        field.run_validators(python)  # e.g. an IP address field checks the address here
    if isinstance(field, models.DateTimeField) and isinstance(python, datetime.datetime):
        if timezone.is_naive(python):
            python = timezone.make_aware(python)
    return python


# What the admin's forms treat as names (hlt.text.name_clean); every other text field is
# free text (text_clean). Identity numbers are never typed in the admin.
ADMIN_NAME_FIELDS = ("full_name", "given_name", "family_name", "name", "phone")


class QueryStringGuard:
    def get_form(self, request, obj=None, change=False, **kwargs):
        """The admin's forms pass through the same normalisation as every other form."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, NormalisedForm):
            return form
        return type(form.__name__, (NormalisedForm, form), {"name_fields": ADMIN_NAME_FIELDS})

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            try:
                if field.many_to_many:
                    target = field.target_field
                    initial[name] = [_clean_value(target, str(v)) for v in value]
                elif field.is_relation:
                    _clean_value(field.target_field, str(value))
                elif isinstance(value, str):
                    python = _clean_value(field, value)
                    if isinstance(python, datetime.date | datetime.time):
                        initial[name] = python
            except (ValidationError, ValueError, TypeError, OverflowError):
                del initial[name]  # a bad link pre-fills nothing rather than failing
        return initial

    def changelist_view(self, request, extra_context=None):
        if ERROR_FLAG not in request.GET and not all(
            self._filter_is_valid(key, value)
            for key, values in request.GET.lists()
            for value in values
        ):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)

    def _filter_is_valid(self, key: str, value: str) -> bool:
        """False for a NUL byte anywhere, or a value its field cannot hold (`?ip_address=x`
        would reach PostgreSQL's inet type and fail there)."""
        if "\x00" in key or "\x00" in value:
            return False
        model, parts = self.model, key.split("__")
        field = None
        while parts:
            try:
                field = model._meta.get_field(parts[0])
            except FieldDoesNotExist:
                break
            parts.pop(0)
            if field.is_relation and field.related_model is not None and parts:
                model = field.related_model
                continue
            break
        if field is None:
            return True  # not a field filter (search, ordering, paging): Django checks it
        lookup = parts[0] if parts else "exact"
        if field.is_relation and not parts:
            field = field.target_field
        if lookup not in _VALUE_LOOKUPS:
            return True
        values = value.split(",") if lookup == "in" else [value]
        try:
            for one in values:
                _clean_value(field, one)
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False
        return True


_VALUE_LOOKUPS = {"exact", "gt", "gte", "lt", "lte", "in"}


class HltAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, QueryStringGuard):
            base = type(base.__name__, (QueryStringGuard, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)
