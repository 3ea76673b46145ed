"""Finding a child: the case lists, with a search, filters, sorting and pages.

django-filter turns the query string into a validated filter form (a bad value is a message
beside its field, never a 500) and django-tables2 turns one column declaration into sortable
headers and pages over the queryset (LIMIT/OFFSET and one COUNT): both are well kept, widely
used Django libraries, so the lists need no hand-written paging, ordering or query-string code.

Everything starts from the cases the reader may see; a search never finds a child with a
protected identity by name or identity number unless the reader is named on the case (a hit
would tell who the protected child is). A search is written to the access log as a search.
"""

import re

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hlt.text import ascii_digits, identity_clean, name_clean
from hlt.widgets import PlainSelect
from teams.models import Team

from .models import Case
from .workflow import Status

PER_PAGE = 25
AREAS = [("health", _("Health")), ("learning", _("Learning")), ("safety", _("Safety"))]
_CASE_NUMBER = re.compile(r"^(?:#|case|ärende|nr\.?)?\s*(\d{1,9})$", re.IGNORECASE)
_PERSONAL_NUMBER = re.compile(r"^(\d{6}|\d{8})[-+]?(\d{4})$")


def search_terms(query: str) -> tuple[str, str]:
    """(kind, value): what a search box entry is. Kinds: "case" (a case number), "number"
    (a personal identity or coordination number, 12 digits), "text" (a name or a reserve
    number)."""
    # The project's one rule for typed text: invisible and bidi characters gone, digits of
    # any script as ASCII, dash look-alikes as "-".
    query = name_clean(ascii_digits(query))
    if match := _CASE_NUMBER.match(query):
        return "case", match.group(1)
    compact = identity_clean(query)
    if match := _PERSONAL_NUMBER.match(compact):
        digits = match.group(1) + match.group(2)
        if len(digits) == 10:
            from personnummer import personnummer

            try:
                digits = personnummer.parse(compact).format(True)
            except personnummer.PersonnummerException:
                return "text", query
        return "number", digits
    return "text", query


def search_cases(cases: QuerySet[Case], user, query: str) -> QuerySet[Case]:
    kind, value = search_terms(query)
    if kind == "case":
        return cases.filter(pk=int(value))
    # A hit by name or number would say who a protected child is: only for those named.
    named = Case.named_people.through.objects.filter(case=OuterRef("pk"), user=user.pk)
    may_identify = Q(child__protected_identity=False) | Q(Exists(named))
    if kind == "number":
        return cases.filter(Q(child__personal_number=value) & may_identify)
    words = value.split()
    if not words:
        return cases.none()
    by_name = Q()
    for word in words:
        by_name &= Q(child__given_name__icontains=word) | Q(child__family_name__icontains=word)
    by_reserve = Q(child__reserve_number__iexact=value)
    return cases.filter((by_name | by_reserve) & may_identify)


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name, identity or reserve number, or case number"),
        method="filter_search",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All"), widget=PlainSelect
    )
    team = django_filters.ModelChoiceFilter(
        label=_("HLT team"),
        queryset=Team.objects.none(),
        empty_label=_("All"),
        widget=PlainSelect,
    )
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible person"),
        queryset=get_user_model().objects.none(),
        method="filter_responsible",
        empty_label=_("Anyone"),
        widget=PlainSelect,
        help_text=_("Started the case, or has the overall responsibility for its plan."),
    )
    area = django_filters.ChoiceFilter(
        label=_("Concern area"),
        choices=AREAS,
        method="filter_area",
        empty_label=_("All"),
        widget=PlainSelect,
    )

    class Meta:
        model = Case
        fields = ["q", "status", "team", "responsible", "area"]

    def __init__(self, data=None, queryset=None, *, request=None, team=None):
        super().__init__(data, queryset, request=request)
        visible = queryset.order_by()
        if team is not None:
            del self.filters["team"]
        else:
            self.filters["team"].queryset = Team.objects.filter(
                pk__in=visible.values("team")
            ).order_by("name")
        # The SIP app names the overall responsible person; reached through the relation's
        # name, so cases imports nothing from sip.
        self.filters["responsible"].queryset = (
            get_user_model()
            .objects.filter(
                Q(pk__in=visible.values("initiated_by"))
                | Q(pk__in=visible.values("sip_plans__overall_person"))
            )
            .order_by("full_name")
        )

    def filter_search(self, queryset, name, value):
        return search_cases(queryset, self.request.user, value) if value.strip() else queryset

    def filter_responsible(self, queryset, name, value):
        responsible = Case.objects.filter(sip_plans__overall_person=value).values("pk")
        return queryset.filter(Q(initiated_by=value) | Q(pk__in=responsible))

    def filter_area(self, queryset, name, value):
        return queryset.filter(**{f"concern_{value}": True})

    @property
    def search_kind(self) -> str:
        value = (self.form.cleaned_data.get("q") or "") if self.form.is_valid() else ""
        return search_terms(value)[0] if value.strip() else ""


class CaseTable(tables.Table):
    """The columns of every case list. The child's column is not sortable: sorting by a
    protected child's real name would tell where it stands."""

    number = tables.Column(
        verbose_name=_("Case"), accessor="pk", order_by=("pk",), attrs={"td": {"class": "num"}}
    )
    child = tables.Column(verbose_name=_("Child"), accessor="pk", orderable=False, empty_values=())
    status = tables.Column(verbose_name=_("Status"))
    team = tables.Column(verbose_name=_("HLT team"), order_by=("team__name", "pk"))
    areas = tables.Column(
        verbose_name=_("Concern"), accessor="pk", orderable=False, empty_values=()
    )
    # Plain columns with a render method: a DateColumn renders a template per cell (50 on a
    # page of 25 cases, a fifth of the list's CPU).
    created_at = tables.Column(verbose_name=_("Started"))
    actualised_at = tables.Column(verbose_name=_("Actualised"))

    class Meta:
        model = Case
        fields = ("number", "child", "status", "team", "areas", "created_at", "actualised_at")
        template_name = "cases/_case_table.html"
        order_by = ("-created_at",)
        empty_text = _("No cases to show.")
        attrs = {"class": "case-table"}

    def __init__(self, *args, labels: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = labels if labels is not None else {}

    def render_number(self, value):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("cases:detail", args=[value]),
            _("Case %(number)s") % {"number": value},
        )

    def render_child(self, record):
        return format_html("<bdi>{}</bdi>", self.labels.get(record.pk, ""))

    def render_created_at(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d}"

    def render_actualised_at(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d}"

    def render_areas(self, record):
        return ", ".join(record.concern_areas) or "–"
