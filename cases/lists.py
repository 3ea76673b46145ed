"""Finding a child: the case lists, with a search, filters, sorting and pages.

django-filter turns the query string into a validated filter form (a bad value is a message
beside its field, never a 500). The table is a plain loop over display rows built here from
the gate's copies (`case_rows`), with sort links and pages from `CaseList`: Django's
Paginator (LIMIT/OFFSET and one COUNT) and a fixed list of sortable columns. django-tables2
did this before; its per-cell machinery (a bound row, an accessor and a render call per cell,
a template tag per link) cost most of the page's CPU for 25 rows of 7 plain values.

Everything starts from the cases the reader may see; a search never finds a child with a
protected identity by name or identity number unless the reader is named on the case (a hit
would tell who the protected child is). A search is written to the access log as a search.
"""

import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from hlt.row_urls import row_pattern, with_id
from hlt.text import ascii_digits, identity_clean, name_clean
from hlt.widgets import PlainInput, PlainSelect, escape
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


def compiled_once(
    cases: QuerySet[Case] | tuple[str, tuple],
) -> tuple[QuerySet[Case], tuple | None]:
    """The same cases, with their query turned into SQL once, and that SQL with its
    parameters (None if there are none). A list reads the visible cases in five queries
    (two filter choices, the count, the page): the gate's rule (a union and a consent test
    per sector) cost more to compile each time than to run. On PostgreSQL the rule runs
    once, and the SQL given back is of the ids it found. `cases` may be that SQL and
    its parameters already (`access.visible_cases_sql`)."""
    if isinstance(cases, tuple):
        sql, params = cases
    else:
        try:
            # Django's own SQL for the gate's query, its parameters still bound separately.
            sql, params = cases.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return Case.objects.none(), None  # nobody's cases
    if connection.vendor == "postgresql":
        # The rule run once, for its ids: the two choices, the count and the page then read
        # those ids instead of each running the rule again (the rule's union and consent
        # tests over a team's few hundred cases were most of the list's database time).
        # The ids as the array's text ('{1,2,…}'), passed back as it came: read as a list,
        # each of the four queries turned the hundreds of numbers into SQL again in Python.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT array_agg(v)::text FROM ({sql}) AS visible(v)",  # noqa: S608
                params,
            )
            ids = cursor.fetchone()[0] or "{}"
        sql, params = "SELECT unnest(%s::bigint[])", (ids,)
    return Case.objects.filter(pk__in=RawSQL(sql, params)), (sql, tuple(params))  # noqa: S611


class OverCases:
    """A values query over a set of cases given as SQL (`compiled_once`), compiled once
    per process: `build` gets a queryset of those cases and returns a values_list query;
    its SQL is kept with a marker where the cases' SQL goes, and each run puts the cases'
    SQL and parameters there. Building and compiling the filter choices' queries (two
    subqueries each) cost more CPU than the rest of the filter form."""

    MARKER = "SELECT /*over-cases*/ NULL"

    def __init__(self, build):
        self.build = build
        self.sql: str | None = None

    def rows(self, cases: tuple | None) -> list[tuple]:
        if cases is None:
            return []
        if self.sql is None:
            marked = Case.objects.filter(pk__in=RawSQL(self.MARKER, ()))  # noqa: S611
            sql, params = self.build(marked).query.sql_with_params()
            if params:  # only a query whose one input is the cases' SQL
                raise ValueError("OverCases: the query has parameters of its own")
            self.sql = sql
        sql, params = cases
        with connection.cursor() as cursor:
            cursor.execute(self.sql.replace(self.MARKER, sql), params * self.sql.count(self.MARKER))
            return cursor.fetchall()


# The filters' choices: the teams of the cases, and the people who started them or hold the
# overall responsibility for their plans (the SIP app's relation, reached by its name, so
# cases imports nothing from sip).
TEAM_CHOICES = OverCases(
    lambda cases: (
        Team.objects.filter(pk__in=cases.values("team")).order_by("name").values_list("pk", "name")
    )
)
RESPONSIBLE_CHOICES = OverCases(
    lambda cases: (
        get_user_model()
        .objects.filter(
            Q(pk__in=cases.values("initiated_by"))
            | Q(pk__in=cases.values("sip_plans__overall_person"))
        )
        .order_by("full_name")
        .values_list("pk", "full_name", "email")
    )
)


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


# A model choice field's message: it does not repeat what was typed.
NOT_A_CHOICE = _("Select a valid choice. That choice is not one of the available choices.")


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name, identity or reserve number, or case number"),
        method="filter_search",
        max_length=100,
        widget=PlainInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All"), widget=PlainSelect
    )
    # Teams and people as (pk, name) pairs read with one query each: a model choice field
    # would build a model object per option (and read them again for the widget).
    team = django_filters.ChoiceFilter(
        label=_("HLT team"),
        choices=(),
        empty_label=_("All"),
        widget=PlainSelect,
        error_messages={"invalid_choice": NOT_A_CHOICE},
    )
    responsible = django_filters.ChoiceFilter(
        label=_("Responsible person"),
        choices=(),
        method="filter_responsible",
        empty_label=_("Anyone"),
        widget=PlainSelect,
        error_messages={"invalid_choice": NOT_A_CHOICE},
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

    def __init__(self, data=None, queryset=None, *, request=None, team=None, cases_sql=None):
        """`cases_sql`: the SQL of the cases in `queryset` (`compiled_once`), for the
        choices."""
        super().__init__(data, queryset, request=request)
        if team is not None:
            del self.filters["team"]
        else:
            self.filters["team"].extra["choices"] = TEAM_CHOICES.rows(cases_sql)
        self.filters["responsible"].extra["choices"] = [
            (pk, name or email) for pk, name, email in RESPONSIBLE_CHOICES.rows(cases_sql)
        ]

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


def field_group(field: forms.BoundField) -> SafeString:
    """Django's field.html (label, help text, errors, widget) written in Python: the filter
    form's five fields rendered five templates each on every list."""
    parts = []
    if field.label:
        suffix = field.form.label_suffix
        label = field.label
        if suffix and str(label)[-1:] not in gettext_now(":?.!"):
            label = format_html("{}{}", label, suffix)
        parts.append(format_html('<label for="{}">{}</label>', field.id_for_label, label))
    if field.help_text:
        parts.append(
            format_html(
                '<div class="helptext" id="{}_helptext">{}</div>',
                field.auto_id,
                mark_safe(field.help_text),  # noqa: S308 (the form's own text, as field.html)
            )
        )
    if field.errors:
        parts.append(str(field.errors))
    parts.append(str(field))
    return mark_safe("\n".join(parts))  # noqa: S308 (every part escaped above)


# The list's columns: (query-string name, header, the ordering it sorts by or None). The
# child's column is not sortable: sorting by a protected child's real name would tell where
# it stands. A tie is broken by the case number, so pages never overlap.
COLUMNS = (
    ("number", _("Case"), "pk"),
    ("child", _("Child"), None),
    ("status", _("Status"), "status"),
    ("team", _("HLT team"), "team__name"),
    ("areas", _("Concern"), None),
    ("created_at", _("Started"), "created_at"),
    ("actualised_at", _("Actualised"), "actualised_at"),
)
SORTABLE = {name: order for name, _header, order in COLUMNS if order}
DEFAULT_SORT = ("-created_at",)
SORT_FIELD, PAGE_FIELD = "sort", "page"


def sort_keys(query: QueryDict) -> list[str]:
    """The sortable columns asked for ("-" for descending), as `?sort=a,-b` or repeated;
    unknown names are ignored, and nothing asked for is the default order."""
    keys = []
    for value in query.getlist(SORT_FIELD):
        for key in value.split(","):
            key = key.strip()
            if key.lstrip("-") in SORTABLE and key.lstrip("-") not in {k.lstrip("-") for k in keys}:
                keys.append(key)
    return keys or list(DEFAULT_SORT)


def order_fields(keys: list[str]) -> list[str]:
    """The ORDER BY of the sort keys, ties broken by the case number (in the direction of
    the first key)."""
    fields = [f"-{SORTABLE[key[1:]]}" if key[0] == "-" else SORTABLE[key] for key in keys]
    if not {"pk", "-pk"} & set(fields):
        fields.append("-pk" if keys[0][0] == "-" else "pk")
    return fields


def page_range(number: int, num_pages: int, size: int = 10) -> list:
    """At most `size` page numbers around the current page, always with the first and the
    last, "..." where numbers are left out (as django-tables2's pager did)."""
    if num_pages <= size:
        return list(range(1, num_pages + 1))
    start = max(1, number - size // 2)
    end = start + size
    if end > num_pages:
        start, end = num_pages - size + 1, num_pages + 1
    pages: list = list(range(start, end))
    if 1 not in pages:
        pages = [1, "...", *pages[2:]]
    if num_pages not in pages:
        pages = [*pages[:-2], "...", num_pages]
    return pages


@dataclass
class Header:
    label: str
    href: str = ""  # the link that sorts by this column ("" if it cannot be sorted)
    sort: str = ""  # "ascending" or "descending" when the list is sorted by it


@dataclass
class CaseList:
    """One page of a case list: its headers, rows and page links (query strings that keep
    the search and filters)."""

    headers: list[Header]
    paginator: Paginator
    page: Page
    rows: list[dict]
    page_links: list[tuple[object, str]]
    previous_href: str = ""
    next_href: str = ""

    @property
    def body(self) -> SafeString:
        """The rows' markup (`case_rows`)."""
        return rows_html(self.rows)


def _href(query: QueryDict, **changes) -> str:
    query = query.copy()
    for key, value in changes.items():
        query[key] = value
    return f"?{query.urlencode()}"


def paginate(cases: QuerySet[Case], query: QueryDict, per_page: int = PER_PAGE) -> CaseList:
    """Sort the cases as the query string asks and read its page (a bad page number is the
    first page, one past the end the last, as before). `rows` is filled by `case_rows`."""
    keys = sort_keys(query)
    paginator = Paginator(cases.order_by(*order_fields(keys)), per_page)
    page = paginator.get_page(query.get(PAGE_FIELD))
    ordered = {key.lstrip("-"): key.startswith("-") for key in keys}
    headers = []
    for name, label, order in COLUMNS:
        if not order:
            headers.append(Header(str(label)))
            continue
        descending = ordered.get(name)
        next_key = name if descending in (None, True) else f"-{name}"
        headers.append(
            Header(
                str(label),
                href=_href(query, **{SORT_FIELD: next_key}),
                sort="" if descending is None else ("descending" if descending else "ascending"),
            )
        )
    table = CaseList(headers=headers, paginator=paginator, page=page, rows=[], page_links=[])
    if paginator.num_pages > 1:
        table.page_links = [
            (p, "" if p == "..." else _href(query, **{PAGE_FIELD: p}))
            for p in page_range(page.number, paginator.num_pages)
        ]
        if page.has_previous():
            table.previous_href = _href(query, **{PAGE_FIELD: page.previous_page_number()})
        if page.has_next():
            table.next_href = _href(query, **{PAGE_FIELD: page.next_page_number()})
    return table


def _day(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d}" if value else "—"


def case_rows(shown) -> list[dict]:
    """The table's cells from the gate's display copies (`access.reveal_cases`): the child
    only as the copy labels it. Each row also carries its `<tr>` as `html`, written here
    with every cell escaped: the template's eight variables per row cost more CPU than the
    rest of the list's markup (`rows_html` joins them)."""
    case_label = gettext_now("Case %(number)s")
    statuses = {value: str(label) for value, label in Status.choices}
    link = row_pattern("cases:detail")
    rows = []
    for view in shown:
        row = {
            "href": with_id(link, view.pk),
            "number": case_label % {"number": view.pk},
            "child": view.child_label,
            "status": statuses.get(view.status, view.status),
            "team": str(view.team),
            "areas": ", ".join(view.case.concern_areas) or "–",
            "created_at": _day(view.created_at),
            "actualised_at": _day(view.actualised_at),
        }
        cell = {key: escape(value) for key, value in row.items()}
        # _case_table.html's row, as the template wrote it.
        row["html"] = mark_safe(  # noqa: S308 (every cell escaped above)
            f'<tr><td><a href="{cell["href"]}">{cell["number"]}</a></td>'
            f"<td><bdi>{cell['child']}</bdi></td><td>{cell['status']}</td>"
            f"<td>{cell['team']}</td><td>{cell['areas']}</td><td>{cell['created_at']}</td>"
            f"<td>{cell['actualised_at']}</td></tr>"
        )
        rows.append(row)
    return rows


def rows_html(rows: list[dict]) -> SafeString:
    """The table body's rows (`case_rows`), one per line as the template's loop wrote them."""
    return mark_safe("\n    ".join(row["html"] for row in rows))  # noqa: S308 (escaped rows)
