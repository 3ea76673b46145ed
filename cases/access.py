"""The gate: every read of a child's data passes through here.

Three things happen in one place, so that no view can do one and forget another:

1. **Visibility** (`visible_cases`, `case_for_user`): who may see a case on a day.
   - Before consent: the initiator only.
   - With a consent in force: the initiator; the key persons whose seat in the case's team
     is active on the day (`KeyPerson.objects.active_on`) and whose organisation's sector
     the consent covers; and people given the case individually (the SIP's responsible
     persons), within the consent's sectors.
   - Withdrawn or expired consent: nobody (`case_consent_ended_for_user` tells the people
     who had access that sharing stopped).
   - Never administrators (superusers), and never through an auth group: team groups are a
     cache of the seats and grant nothing here.
2. **The access log** (`reveal_case`, `reveal_cases`, `record_shown`): a page or document
   that hands out a child's data gets it from these functions, which write one log row per
   child in one INSERT.
3. **Display copies** (`CaseView`, `ChildView`, `GuardianView`): templates get frozen
   objects with a protected identity already masked for this reader. Model instances are
   never changed for display, so a form or service never sees masked text.

A view that imports `audit.services.access_log_record` or `cases.privacy` is skipping the
gate; `tests/gate/test_gate_is_the_only_road.py` fails on it.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import connection
from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from audit.models import AccessLogEntry
from audit.services import access_log_record
from consent.models import Consent
from hlt.prepared import Prepared
from teams import selectors as teams_selectors
from teams.models import KeyPerson, Organisation, Sector

from . import privacy
from .models import Case, CaseUserObjectPermission, Guardian
from .workflow import PRE_CONSENT

MASK = privacy.MASK
Kind = AccessLogEntry.Kind
Action = AccessLogEntry.Action


# --- 1. visibility ------------------------------------------------------------------------


def active_seats(user, day: datetime.date) -> list[tuple[int, str]]:
    """(team id, sector) of the user's seats active on `day`; read once per request.

    The same query reads the sector of the user's own organisation (`_own_sector`), which
    the gate needs beside the seats: one query instead of two. When the page has read the
    user's roles already (`teams.selectors.user_roles`: the seats with their organisations,
    and the own sector), no query at all."""
    cache = user.__dict__.setdefault("_gate_seats", {})
    if day not in cache:
        read = teams_selectors.seats_read(user, day)
        if read is not None and "_own_sector" in user.__dict__:
            rows = [(seat.team_id, seat.organisation.sector, seat.profession) for seat in read]
        else:
            if "_own_sector" not in user.__dict__ and user.organisation_id:
                rows = _seats_and_own_sector(user.pk, day, user.organisation_id)
                user.__dict__["_own_sector"] = next((s for t, s, p in rows if p == _OWN), None)
            else:
                rows = _seats(user.pk, day)
            rows = [row for row in rows if row[2] != _OWN]
        cache[day] = [(team, sector) for team, sector, _p in rows]
        if day == timezone.localdate():
            # The access log's "role" column: the seats held today (saves it a query).
            user._audit_role = ", ".join(sorted({f"{t}:{p}" for t, _s, p in rows})) or "staff"
    return cache[day]


_OWN = "-own-organisation-"


def _seats_query(user_id: int, day: datetime.date):
    return (
        KeyPerson.objects.active_on(day)
        .filter(user=user_id)
        .order_by()
        .values_list("team_id", "organisation__sector", "profession")
    )


def _seats_and_own_sector_query(user_id: int, day: datetime.date, organisation_id: int):
    own = (
        Organisation.objects.filter(pk=organisation_id)
        .order_by()
        .values_list(
            Value(None, output_field=IntegerField()),
            "sector",
            Value(_OWN, output_field=CharField()),
        )
    )
    return _seats_query(user_id, day).union(own, all=True).order_by()


# Compiled once per process (hlt.prepared): read on every page that shows a child.
_seats = Prepared(_seats_query, (int, datetime.date))
_seats_and_own_sector = Prepared(_seats_and_own_sector_query, (int, datetime.date, int))


def _own_sector(user, day: datetime.date) -> str | None:
    """The sector of the user's own organisation (read with the seats)."""
    if "_own_sector" not in user.__dict__:
        if not user.organisation_id or user._meta.get_field("organisation").is_cached(user):
            return teams_selectors.own_sector(user)  # no query
        active_seats(user, day)
    return teams_selectors.own_sector(user)


def _given(user):
    """Cases given to the user one by one (the SIP's responsible persons; the initiator)."""
    return CaseUserObjectPermission.objects.filter(
        user=user.pk,
        permission__codename="view_case",
        permission__content_type__app_label="cases",
    ).values("content_object_id")


def _candidates(user, seats, given):
    candidates = Case.objects.filter(initiated_by=user.pk).values("pk").union(given, all=True)
    if seats:
        candidates = candidates.union(
            Case.objects.filter(team_id__in={team for team, _s in seats}).values("pk"), all=True
        )
    return candidates


def cases_in_reach(user, day: datetime.date | None = None) -> QuerySet[Case]:
    """The cases the user would see with a consent in force (their own, those given to
    them, those of their active seats' teams), before any consent check: for telling them
    that a consent ran out. Never a child's data by itself."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return Case.objects.none()
    day = day or timezone.localdate()
    return Case.objects.filter(pk__in=_candidates(user, active_seats(user, day), _given(user)))


def child_label(case: Case, user, day: datetime.date | None = None) -> str:
    """The child's name, or the pseudonym of a protected identity, for this reader."""
    return privacy.child_label(case, user, day or timezone.localdate())


def _teams_by_sector(seats) -> dict[str, list[int]]:
    by_sector = {}
    for sector in Sector.values:
        teams = sorted({team for team, s in seats if s == sector})
        if teams:
            by_sector[sector] = teams
    return by_sector


def _rule_for(user_id: int, day, own_sector, teams_by_sector: dict[str, list[int]]) -> Q:
    """The confidentiality rule for one case row (see the module's docstring), for a user
    with these seats (team ids by their organisation's sector) and own organisation."""
    user = SimpleNamespace(pk=user_id)
    in_force = Consent.objects.in_force(day).filter(case=OuterRef("pk"))
    shared = Q(initiated_by=user_id) & Q(Exists(in_force))
    if own_sector:
        shared |= Q(pk__in=_given(user)) & Q(
            Exists(in_force.filter(**{f"covers_{own_sector}": True}))
        )
    for sector, teams in teams_by_sector.items():
        shared |= Q(team_id__in=teams) & Q(Exists(in_force.filter(**{f"covers_{sector}": True})))
    return Q(status__in=PRE_CONSENT, initiated_by=user_id) | (~Q(status__in=PRE_CONSENT) & shared)


def _rule(user, day: datetime.date) -> Q:
    seats = active_seats(user, day)
    return _rule_for(user.pk, day, _own_sector(user, day), _teams_by_sector(seats))


def _nobody(user) -> bool:
    return not user.is_authenticated or not user.is_active or user.is_superuser


def visible_cases(user, day: datetime.date | None = None) -> QuerySet[Case]:
    """The confidentiality rule as one query (plus one small read of the user's seats).

    The candidates are one UNION of the user's own cases, the cases given to them one by
    one, and the cases of their teams: an OR of these makes PostgreSQL test every case of
    the region, while the union starts from the user's few rows and looks cases up by key.
    (Every branch of the rule lies inside the candidates, so they change no answer.)
    """
    if _nobody(user):
        return Case.objects.none()
    day = day or timezone.localdate()
    candidates = _candidates(user, active_seats(user, day), _given(user))
    return Case.objects.filter(pk__in=candidates).filter(_rule(user, day))


def _visible_pks(user_id: int, day, own_sector, teams_by_sector, team=None) -> QuerySet:
    """`visible_cases` (optionally of one team) as a values("pk") query, from the rule's
    arguments: the candidates are those of the teams the rule names (every branch of the
    rule lies inside them, as in `visible_cases`)."""
    user = SimpleNamespace(pk=user_id)
    seats = [(t, sector) for sector, teams in teams_by_sector.items() for t in teams]
    cases = Case.objects.filter(pk__in=_candidates(user, seats, _given(user))).filter(
        _rule_for(user_id, day, own_sector, teams_by_sector)
    )
    if team is not None:
        cases = cases.filter(team=team)
    return cases.order_by().values("pk")


def _rule_shape(user, day: datetime.date):
    """What the rule for this user and day is made of: (own sector, team ids per sector, all
    those team ids, shape). The shape (sector, number of teams) per sector names one SQL
    text for every user alike; it is None for an unusual number of seats (over 12), whose
    queries are built as they are rather than prepared."""
    own_sector = _own_sector(user, day)
    by_sector = _teams_by_sector(active_seats(user, day))
    teams = [team for sector_teams in by_sector.values() for team in sector_teams]
    shape = tuple((sector, len(t)) for sector, t in by_sector.items()) if len(teams) <= 12 else None
    return own_sector, by_sector, teams, shape


def visible_cases_sql(
    user, day: datetime.date | None = None, *, team: int | None = None
) -> tuple[str, tuple] | None:
    """The SQL and parameters of `visible_cases(user, day)` (of one team if given), for a
    list to use as a subquery, compiled once per process and shape of the rule (as
    `_under_rule`). None where that cannot be done (nobody's cases, an unusual number of
    seats, a database whose parameters hide the markers such as SQLite): the caller then
    builds `visible_cases` itself."""
    if _nobody(user):
        return None
    day = day or timezone.localdate()
    own_sector, by_sector, teams, shape = _rule_shape(user, day)
    if shape is None:
        return None
    key = ("visible", own_sector, shape, team is None)
    query = _UNDER_RULE.get(key)
    if query is None:

        def prepare(user_id, day, *rest):
            rest = list(rest)
            one_team = None if team is None else rest.pop(0)
            teams_by_sector = {}
            for sector, count in shape:
                teams_by_sector[sector], rest = rest[:count], rest[count:]
            return _visible_pks(user_id, day, own_sector, teams_by_sector, one_team)

        kinds = (int, datetime.date) + ((int,) if team is not None else ()) + (int,) * len(teams)
        query = _UNDER_RULE[key] = Prepared(prepare, kinds)
    return query.sql_with_params(user.pk, day, *([] if team is None else [team]), *teams)


def _under_rule(kind: str, user, day, build, args: tuple, kinds: tuple) -> list:
    """The rows of `build(user_id, rule, *args)` (a queryset filtered by the rule for this
    user), its SQL compiled once per process and shape of the rule (the user's own sector
    and how many teams they sit in per sector): the same SQL for every user of a shape."""
    own_sector, by_sector, teams, shape = _rule_shape(user, day)
    if shape is None:  # an unusual number of seats: built and compiled as it is
        return list(build(user.pk, _rule_for(user.pk, day, own_sector, by_sector), *args))
    key = (kind, own_sector, shape)
    query = _UNDER_RULE.get(key)
    if query is None:

        def prepare(user_id, day, *rest):
            extra, rest = rest[: len(kinds)], list(rest[len(kinds) :])
            teams_by_sector = {}
            for sector, count in shape:
                teams_by_sector[sector], rest = rest[:count], rest[count:]
            return build(user_id, _rule_for(user_id, day, own_sector, teams_by_sector), *extra)

        query = Prepared(prepare, (int, datetime.date, *kinds) + (int,) * len(teams))
        _UNDER_RULE[key] = query
    return query(user.pk, day, *args, *teams)


_UNDER_RULE: dict[tuple, Prepared] = {}


def _among(user_id: int, rule: Q, pks: list[int]):
    if connection.vendor == "postgresql":
        # One array parameter whatever the number of cases: the SQL keeps its shape.
        among = Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (pks,)))
    else:
        among = Q(pk__in=pks)
    return Case.objects.filter(rule, among).values_list("pk", flat=True)


def visible_among(user, pks: Iterable[int], day: datetime.date | None = None) -> set[int]:
    """Which of these cases the user may see (the rule tested on these rows only, without
    the candidates' union: cheaper for a short list such as an agenda)."""
    pks = sorted(set(pks))
    if _nobody(user) or not pks:
        return set()
    day = day or timezone.localdate()
    if connection.vendor != "postgresql":
        return set(_among(user.pk, _rule(user, day), pks))
    return set(_under_rule("among", user, day, _among, (pks,), (list,)))


def _reach_of(user_id: int, teams: list[int]) -> QuerySet:
    """The candidates of `_candidates` with the seats' teams as one array parameter
    (PostgreSQL): the same rows, one SQL shape whatever the number of teams."""
    return (
        Case.objects.filter(initiated_by=user_id)
        .values("pk")
        .union(_given(SimpleNamespace(pk=user_id)), all=True)
        .union(
            Case.objects.filter(team_id__in=RawSQL("SELECT unnest(%s::bigint[])", (teams,))).values(
                "pk"
            ),
            all=True,
        )
    )


def own_sector(user, day: datetime.date) -> str | None:
    """The sector of the user's own organisation (read with the seats, no query of its own)."""
    return _own_sector(user, day)


def visible_rows(kind: str, user, day, build, args: tuple = (), kinds: tuple = ()) -> list:
    """The rows of `build(cases, *args)`, `cases` being `visible_cases(user, day)` (the same
    rule, the same candidates), compiled once per process and shape of the rule on
    PostgreSQL (`build` must give one SQL shape for every argument); built each time
    elsewhere."""
    if _nobody(user):
        return []
    if connection.vendor != "postgresql":
        return list(build(visible_cases(user, day), *args))
    teams = sorted({team for team, _s in active_seats(user, day)})

    def with_rule(user_id, rule, teams, *rest):
        return build(Case.objects.filter(pk__in=_reach_of(user_id, teams)).filter(rule), *rest)

    return _under_rule(f"rows:{kind}", user, day, with_rule, (teams, *args), (list, *kinds))


def in_reach_rows(kind: str, user, day, build, args: tuple = (), kinds: tuple = ()) -> list:
    """The rows of `build(cases, *args)`, `cases` being `cases_in_reach(user, day)`, compiled
    once per process on PostgreSQL (one array parameter for the seats' teams)."""
    if _nobody(user):
        return []
    if connection.vendor != "postgresql":
        return list(build(cases_in_reach(user, day), *args))
    teams = sorted({team for team, _s in active_seats(user, day)})
    query = _IN_REACH.get(kind)
    if query is None:

        def prepare(user_id, teams, *rest):
            return build(Case.objects.filter(pk__in=_reach_of(user_id, teams)), *rest)

        query = _IN_REACH[kind] = Prepared(prepare, (int, list, *kinds))
    return query(user.pk, teams, *args)


_IN_REACH: dict[str, Prepared] = {}


def _one_case(user_id: int, rule: Q, pk: int) -> QuerySet[Case]:
    return (
        Case.objects.filter(rule, pk=pk)
        .select_related("child__school", "team", "initiated_by", "initiating_organisation")
        .annotate(
            user_is_named=Exists(
                Case.objects.naming(SimpleNamespace(pk=user_id)).filter(pk=OuterRef("pk"))
            )
        )
    )


def case_for_user(user, pk: int, day: datetime.date | None = None) -> Case:
    """The case for a write or a form (no log row, nothing masked), or 404 when the user
    may not know it exists.

    One query: the rule tested on this one row, the case with what its pages show, and
    whether the user is named on it (for the display copies)."""
    if _nobody(user):
        raise Http404
    day = day or timezone.localdate()
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    rows = _under_rule("one", user, day, _one_case, (pk,), (int,))
    if not rows:
        raise Http404
    return rows[0]


def may_see(user, case: Case, day: datetime.date | None = None) -> bool:
    return case.pk in visible_among(user, [case.pk], day)


def case_consent_ended_for_user(user, pk: int) -> Consent | None:
    """For someone who had access: the consent that was withdrawn or ran out, so they can
    be told sharing has stopped. None (→ 404) for everyone else."""
    if not user.is_authenticated or user.is_superuser:
        return None
    today = timezone.localdate()
    case = Case.objects.exclude(status__in=PRE_CONSENT).filter(pk=pk).first()
    if case is None:
        return None
    consent = Consent.objects.filter(case=case).order_by("-signed_on", "-pk").first()
    if consent is None or consent.is_in_force_on(today):
        return None  # still in force: the user is simply outside its scope
    sector = _own_sector(user, today)
    if case.initiated_by_id == user.pk:
        return consent
    seated = case.team_id in {team for team, s in active_seats(user, today) if s == sector}
    given = CaseUserObjectPermission.objects.filter(
        user=user.pk, content_object=case, permission__codename="view_case"
    ).exists()
    if sector and consent.covers(sector) and (seated or given):
        return consent
    return None


# --- 3. display copies --------------------------------------------------------------------


@dataclass(frozen=True)
class ChildView:
    """The child as this reader may see it. For a protected child and a reader not named
    on the case: a pseudonym, and no identity number, birth date or school."""

    label: str
    shows_identity: bool
    protected: bool  # masked for readers not named on the case
    protected_here: bool  # the mark this case can set or remove
    identity_number: str
    birth_date: datetime.date | None
    school: str
    school_year: str
    home_languages: str
    interpreter_needed: bool
    age: int | None

    def __str__(self):
        return self.label


@dataclass(frozen=True)
class GuardianView:
    pk: int
    label: str
    identity_shown: bool
    relation: str
    custody: str
    joint_custody: bool
    phone: str
    language: str


_CASE_FACTS = frozenset(
    {
        "id",
        "status",
        "get_status_display",
        "team",
        "team_id",
        "created_at",
        "actualised_at",
        "closed_at",
        "initiated_by",
        "initiated_by_id",
        "initiating_organisation",
        "concern_health",
        "concern_learning",
        "concern_safety",
        "concern_areas",
        "get_concern_reasons_display",
        "closing_reason",
        "get_closing_reason_display",
        "ommej_reference",
    }
)


@dataclass(frozen=True)
class CaseView:
    """What a template gets: the case's own fields (status, team, dates) through `case`,
    and everything that identifies the child or family through `child`, `guardians` and
    `redact`."""

    case: Case
    child: ChildView
    is_named: bool
    redact: Callable[[str], str] = field(repr=False)
    guardians: list[GuardianView] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.case.pk

    @property
    def child_label(self) -> str:
        return self.child.label

    @property
    def family_description(self) -> str:
        return self.redact(self.case.family_description)

    @property
    def child_voice(self) -> str:
        return self.redact(self.case.child_voice)

    def __getattr__(self, name):
        # The case's own facts read through; nothing that names the child or family does.
        if name in _CASE_FACTS:
            return getattr(self.case, name)
        raise AttributeError(name)


def _child_view(case: Case, user, day: datetime.date, *, school: bool = True) -> ChildView:
    # What this case knows of the child (a linked case keeps what its own initiator typed).
    child = case.child_details
    shows = privacy.shows_child_identity(case, user)
    return ChildView(
        label=privacy.child_label(case, user, day),
        shows_identity=shows,
        protected=case.identity_is_protected,
        protected_here=child.protected_identity,
        identity_number=(child.personal_number or child.reserve_number or "") if shows else "",
        birth_date=child.birth_date if shows else None,
        # Lists show no school: looking it up for each row would cost a query per row.
        school=str(child.school or "") if shows and school else "",
        school_year=child.school_year if shows else "",
        home_languages=child.home_languages,
        interpreter_needed=child.interpreter_needed,
        age=child.age_on(day) if child.birth_date else None,
    )


def guardian_views(case: Case, user) -> list[GuardianView]:
    views = []
    for number, guardian in enumerate(case.guardians.all(), start=1):
        shown = privacy.shows_guardian_identity(case, guardian, user)
        views.append(
            GuardianView(
                pk=guardian.pk,
                label=privacy.guardian_label(case, guardian, user, number),
                identity_shown=shown,
                relation=guardian.get_relation_display(),
                custody=guardian.get_custody_display(),
                joint_custody=guardian.custody == "joint",
                phone=guardian.phone if shown else "",
                language=guardian.get_preferred_language_display(),
            )
        )
    return views


def display_case(
    case: Case, user, day: datetime.date | None = None, *, with_guardians: bool = False
) -> CaseView:
    """The display copy, without a log row: for documents whose delivery is logged
    (`record_shown`) and for a case already revealed on the same page."""
    day = day or timezone.localdate()
    return CaseView(
        case=case,
        child=_child_view(case, user, day),
        is_named=privacy.is_named(case, user),
        redact=privacy.redactor(case, user) if with_guardians else _lazy_redactor(case, user),
        guardians=guardian_views(case, user) if with_guardians else [],
    )


def sees_every_name(case: Case, user) -> bool:
    """Whether nothing of the family is masked for this reader: only then may they edit
    free text about the family (a form filled from masked text would save "***")."""
    return all(
        privacy.shows_guardian_identity(case, g, user) for g in case.guardians.all()
    ) and privacy.shows_child_identity(case, user)


class _Related:
    def __init__(self, items):
        self._items = items

    def all(self):
        return self._items

    def __iter__(self):
        return iter(self._items)


class DisplayCopy:
    """A read-only copy of a model instance for a template: the named text fields masked
    for the reader, related rows (`related`: name → fields, or (fields, their related))
    copied the same way, everything else read through. The instance is never changed."""

    def __init__(self, obj, redact, fields, related=None):
        self._obj, self._redact, self._fields = obj, redact, set(fields)
        self._spec = related or {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._obj, name)
        if name in self._spec:
            spec = self._spec[name]
            fields, sub = spec if isinstance(spec, tuple) else (spec, None)
            if value is None:
                return None
            if hasattr(value, "all"):  # a related manager
                return _Related([DisplayCopy(r, self._redact, fields, sub) for r in value.all()])
            return DisplayCopy(value, self._redact, fields, sub)
        return self._redact(value) if name in self._fields else value

    def __str__(self):
        return str(self._obj)


def display_copy(obj, view: "CaseView", fields, related=None) -> DisplayCopy:
    """`obj` (a plan, a follow-up…) of the case in `view`, masked as `view` is."""
    return DisplayCopy(obj, view.redact, fields, related)


def masked_labels(form, view: "CaseView"):
    """A form whose labels quote free text about the family (a follow-up's goals and
    interventions), with those labels masked for the reader. Only the labels change: what
    the form reads and saves is untouched."""
    for bound_field in form.fields.values():
        if bound_field.label:
            bound_field.label = view.redact(str(bound_field.label))
    return form


def _lazy_redactor(case: Case, user) -> Callable[[str], str]:
    built: list = []

    def redact(text: str) -> str:
        if not built:
            built.append(privacy.redactor(case, user))
        return built[0](text)

    return redact


def redactor(case: Case, user) -> Callable[[str], str]:
    """Masks, in free text, the family's names this user may not see (for display copies)."""
    return privacy.redactor(case, user)


def is_named(case: Case, user) -> bool:
    """*The* definition of "named on the case" for a reader (see `Case.objects.naming`)."""
    return privacy.is_named(case, user)


# --- 2. the access log -------------------------------------------------------------------


def with_identity_flags(cases: QuerySet[Case], user) -> QuerySet[Case]:
    """Annotate each case with whether `user` is named on it, so a list decides masking
    without a query per row (`reveal_cases` reads the flag)."""
    return privacy.with_identity_flags(cases, user)


def record_shown(
    request, cases: Iterable[Case], *, kind: str, action: str = Action.VIEW, context: str = ""
) -> None:
    """Log that these cases' children were shown (a page that labels them itself, such as
    an agenda, or a document delivered later)."""
    access_log_record(request=request, cases=list(cases), kind=kind, action=action, context=context)


def reveal_case(
    request,
    case: Case,
    *,
    kind: str,
    action: str = Action.VIEW,
    context: str = "",
    with_guardians: bool = False,
) -> CaseView:
    """The display copy of one case for this request's user, and its log row."""
    view = display_case(case, request.user, with_guardians=with_guardians)
    record_shown(request, [case], kind=kind, action=action, context=context)
    return view


def reveal_cases(
    request, cases: Iterable[Case], *, kind: str, action: str = Action.VIEW, context: str = ""
) -> list[CaseView]:
    """Display copies of a list (annotated with the reader's named flag in the same query)
    and one INSERT for their log rows."""
    user = request.user
    rows = (
        list(privacy.with_identity_flags(cases, user))
        if isinstance(cases, QuerySet)
        else list(cases)
    )
    day = timezone.localdate()
    views = [
        CaseView(
            case=case,
            child=_child_view(case, user, day, school=False),
            is_named=privacy.is_named(case, user),
            redact=_lazy_redactor(case, user),
        )
        for case in rows
    ]
    record_shown(request, rows, kind=kind, action=action, context=context)
    return views


def open_case(
    request,
    pk: int,
    *,
    kind: str = Kind.CASE,
    action: str = Action.VIEW,
    with_guardians: bool = False,
) -> tuple[Case, CaseView]:
    """`case_for_user` and `reveal_case` in one: the case (404 if not visible) for the
    view's forms and services, and its logged display copy for the template."""
    case = case_for_user(request.user, pk)
    return case, reveal_case(request, case, kind=kind, action=action, with_guardians=with_guardians)


__all__ = [
    "Action",
    "CaseView",
    "ChildView",
    "Guardian",
    "GuardianView",
    "Kind",
    "MASK",
    "active_seats",
    "case_consent_ended_for_user",
    "cases_in_reach",
    "child_label",
    "case_for_user",
    "DisplayCopy",
    "display_case",
    "display_copy",
    "masked_labels",
    "sees_every_name",
    "guardian_views",
    "is_named",
    "may_see",
    "open_case",
    "record_shown",
    "redactor",
    "reveal_case",
    "reveal_cases",
    "visible_among",
    "visible_cases",
    "visible_cases_sql",
    "with_identity_flags",
]
