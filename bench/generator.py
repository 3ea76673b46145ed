"""A synthetic HLT region at any scale, written with PostgreSQL COPY.

Scale 1 is a region like Västerbotten with five years of history: 15 municipalities, 200
teams, about 3,000 staff, 60,000 children, 50,000 cases that reached a team with consent
(plus 12,000 started cases that never got one), their meetings and agendas, SIP plans with
interventions and follow-ups, the history rows django-simple-history would have written and
the read-access log. Other scales are proportional (with at least one team).

Each case is simulated along the path the services allow (cases.workflow): started, consent
printed and signed, actualised to its team, discussed at the team's held meetings (minutes,
contact person, family feedback), SIP meeting, finalised plan, follow-ups that continue,
revise or close it. Every row is what a service would have written, including guardian's
direct-FK object permissions, the team sector groups and the history rows, so the pages
read the data exactly as they read real input. Ids are assigned here and the rows are
streamed with COPY: scale 1 (about 6.6 million rows, 1.6 GB) builds in under three minutes
on 2 cores.
"""

import bisect
import datetime
import math
import random
import time
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from psycopg.types.json import Jsonb

from audit.models import AccessLogEntry, AccessReview
from cases.models import (
    Case,
    CaseGroupObjectPermission,
    CaseStatusChange,
    CaseUserObjectPermission,
    Child,
    ConcernReason,
    Guardian,
)
from consent.models import Consent, ConsentSignature
from meetings.models import AgendaItem, Attendance, Meeting
from meetings.schedule import rule_dates
from sip.models import (
    FamilyFeedback,
    FollowUp,
    Goal,
    GoalEvaluation,
    Intervention,
    InterventionEvaluation,
    Plan,
    PlanSignature,
    SipMeeting,
)
from sip.questionnaire import QUESTION_CODES
from teams.models import (
    PROFESSIONS_BY_SECTOR,
    CoordinatorAppointment,
    KeyPerson,
    Manager,
    Municipality,
    Organisation,
    ProcessLeader,
    Region,
    Sector,
    Team,
    TeamSectorGroup,
    Term,
    User,
)

from . import texts

# The marker that tells generated data from anything else: the region's name starts with it.
REGION_MARKER = "Region Västerbotten (syntetisk lastdata"
# Part of the region's name: a new version makes `make bench` build its data again.
GENERATOR_VERSION = 2
# Everyone generated logs in with this password (after the TOTP code of their device).
PASSWORD = "bench-hlt-lastdata-2026"  # noqa: S105  (fictional people in a benchmark database)
SEED = 20261123
HISTORY_YEARS = 5

# At scale 1. Cases "with consent" reached a team; the others stopped before consent.
SCALE_1 = {
    "municipalities": 15,
    "teams": 200,
    "staff": 3000,
    "children": 60000,
    "cases_with_consent": 50000,
    "cases_without_consent": 12000,
}
SEATS_PER_SECTOR = 2
# Age of the child when the case starts (0-17): most are of school age.
AGE_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10, 9, 8, 7, 5, 3, 2]
ACCESS_ROWS_PER_CASE = 50  # about 3 million read-log rows at scale 1
CASE_PERMS = ("view_case", "view_case_notice")
SIP_RESPONSIBLE = (Sector.HEALTH, Sector.SCHOOL, Sector.SOCIAL)


@dataclass(frozen=True)
class Spec:
    """How much of everything a scale means."""

    scale: float
    municipalities: int
    teams: int
    staff: int
    children: int
    cases_with_consent: int
    cases_without_consent: int

    @classmethod
    def for_scale(cls, scale: float) -> "Spec":
        if scale <= 0:
            raise ValueError("The scale must be positive.")
        counts = {key: round(value * scale) for key, value in SCALE_1.items()}
        teams = max(1, counts["teams"])
        with_consent = max(1, counts["cases_with_consent"])
        without = counts["cases_without_consent"]
        return cls(
            scale=scale,
            municipalities=max(1, min(teams, counts["municipalities"])),
            teams=teams,
            staff=counts["staff"],
            # A child has at least one case; the others' second cases are re-referrals.
            children=max(1, min(counts["children"], with_consent + without)),
            cases_with_consent=with_consent,
            cases_without_consent=without,
        )

    @property
    def cases(self) -> int:
        return self.cases_with_consent + self.cases_without_consent

    @property
    def region_name(self) -> str:
        return f"{REGION_MARKER} v{GENERATOR_VERSION}, skala {self.scale:g})"


def existing_scale() -> float | None:
    """The scale of the load data already in the database, or None when there is none."""
    name = (
        Region.objects.filter(name__startswith=REGION_MARKER).values_list("name", flat=True).first()
    )
    if name is None:
        return None
    return float(name.rsplit("skala ", 1)[1].rstrip(")"))


# --- writing ---------------------------------------------------------------------------------


class Table:
    """Rows of one table, kept as tuples in column order and written with one COPY."""

    def __init__(self, model, columns: list[str] | None = None):
        opts = model._meta
        by_attname = {f.attname: f for f in opts.concrete_fields}
        self.model = model
        self._fields = {f.attname: f.name for f in opts.concrete_fields}
        self.columns = columns or list(by_attname)
        self.db_columns = [by_attname[name].column for name in self.columns]
        self.pk = opts.pk.attname
        self.pk_column = opts.pk.column
        self.table = opts.db_table
        self.rows: list[tuple] = []
        self.written = 0
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX("{self.pk_column}"), 0) FROM "{self.table}"')  # noqa: S608
            self._last_id = cursor.fetchone()[0]

    def next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def add(self, row: tuple) -> None:
        # Columns a later migration added come last: they take their defaults.
        if len(row) < len(self.columns):
            row = (*row, *(self.default(c) for c in self.columns[len(row) :]))
        self.rows.append(row)

    def add_dict(self, values: dict) -> None:
        self.rows.append(
            tuple(values[name] if name in values else self.default(name) for name in self.columns)
        )

    def default(self, name: str):
        """A column the generator gives no value: its model default, so that a new column
        with a default needs no change here (one without fails with its name)."""
        field = self.model._meta.get_field(self._fields[name]) if name in self._fields else None
        if field is None or not (field.has_default() or field.null or field.blank):
            raise KeyError(f"{self.table}.{name}: no value from the generator and no default")
        value = field.get_default()
        return Jsonb(value) if isinstance(value, dict | list) else value

    @property
    def count(self) -> int:
        return self.written + len(self.rows)

    def flush(self, rows=None) -> int:
        """Write the kept rows (or the given iterable of tuples) with COPY."""
        source = self.rows if rows is None else rows
        columns = ", ".join(f'"{c}"' for c in self.db_columns)
        written = 0
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                for row in source:
                    copy.write_row(row)
                    written += 1
        self.written += written
        if rows is None:
            self.rows = []
        return written

    def reset_sequence(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608 (model names only)
                f'(SELECT COALESCE(MAX("{self.pk_column}"), 1) FROM "{self.table}"))',
                [f'"{self.table}"', self.pk_column],
            )


class HistoryTable(Table):
    """A django-simple-history table: the tracked model's fields plus who, when and why."""

    SPECIAL = {"history_id", "history_date", "history_change_reason", "history_type"}

    def __init__(self, model):
        super().__init__(model.history.model)

    def record(self, values: dict, at, kind: str, user_id, reason=None) -> int:
        history_id = self.next_id()
        special = {
            "history_id": history_id,
            "history_date": at,
            "history_change_reason": reason,
            "history_type": kind,
            "history_user_id": user_id,
        }
        self.rows.append(
            tuple(
                special[c] if c in special else values[c] if c in values else self.default(c)
                for c in self.columns
            )
        )
        return history_id


# --- the world -------------------------------------------------------------------------------


@dataclass
class Seat:
    id: int
    user_id: int
    team_id: int
    organisation_id: int
    sector: str
    profession: str
    active_from: datetime.date
    active_to: datetime.date | None

    def active_on(self, day: datetime.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


@dataclass
class TeamInfo:
    id: int
    name: str
    municipality_id: int
    schools: list[int]
    seats: list[Seat] = field(default_factory=list)
    # (date, meeting id, state, term id) sorted by date
    meetings: list[tuple] = field(default_factory=list)
    meeting_dates: list[datetime.date] = field(default_factory=list)
    groups: dict[str, int] = field(default_factory=dict)
    coordinators: dict[int, Seat] = field(default_factory=dict)  # term id -> seat
    staff: list[int] = field(default_factory=list)  # non-seat staff who start cases
    rule: dict = field(default_factory=dict)
    upcoming: list[tuple] = field(default_factory=list)  # the next two planned meetings

    def members_on(self, day: datetime.date) -> list[Seat]:
        return [s for s in self.seats if s.active_on(day)] or self.seats[:1]


@dataclass
class CaseTrace:
    """What the access log needs to know about a simulated case."""

    case_id: int
    child_id: int
    team_id: int | None
    initiator: int
    start: datetime.datetime
    end: datetime.datetime
    discussions: list[datetime.date]
    has_plan: bool


class Builder:
    def __init__(self, spec: Spec, *, log=print, seed: int = SEED):
        self.spec = spec
        self.log = log
        self.rng = random.Random(seed)
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start_day = self.today - datetime.timedelta(days=round(365.25 * HISTORY_YEARS))
        self._timer = time.monotonic()
        self.t = {
            model: Table(model)
            for model in (
                Region,
                Municipality,
                Organisation,
                User,
                Team,
                Group,
                TeamSectorGroup,
                KeyPerson,
                Manager,
                ProcessLeader,
                CoordinatorAppointment,
                Meeting,
                Attendance,
                Child,
                Case,
                Guardian,
                Consent,
                ConsentSignature,
                CaseStatusChange,
                CaseUserObjectPermission,
                CaseGroupObjectPermission,
                AgendaItem,
                FamilyFeedback,
                SipMeeting,
                Plan,
                Goal,
                Intervention,
                PlanSignature,
                FollowUp,
                GoalEvaluation,
                InterventionEvaluation,
                TOTPDevice,
                AccessLogEntry,
                AccessReview,
            )
        }
        self.m2m = {
            name: Table(through)
            for name, through in (
                ("user_groups", User.groups.through),
                ("named_people", Case.named_people.through),
                ("pl_municipalities", ProcessLeader.municipalities.through),
                ("sip_professionals", SipMeeting.professionals.through),
                ("signature_guardians", PlanSignature.guardians.through),
                ("signature_professionals", PlanSignature.professionals.through),
            )
        }
        self.h = {
            model: HistoryTable(model)
            for model in (
                Organisation,
                User,
                Team,
                KeyPerson,
                Manager,
                ProcessLeader,
                CoordinatorAppointment,
                Child,
                Case,
                Guardian,
                Consent,
                ConsentSignature,
            )
        }
        self.named_history = Table(apps.get_model("cases", "HistoricalCase_named_people"))
        self.pl_municipalities_history = Table(
            apps.get_model("teams", "HistoricalProcessLeader_municipalities")
        )
        self.perm_ids = {
            codename: Permission.objects.get(content_type__app_label="cases", codename=codename).pk
            for codename in CASE_PERMS
        }
        self.password = make_password(PASSWORD)
        self.traces: list[CaseTrace] = []
        self.personal_numbers: set[str] = set()
        self.meeting_items: dict[int, int] = defaultdict(int)  # meeting id -> last position
        self.open_item_cases: set[int] = set()
        self.org_sector: dict[int, str] = {}
        self.child_language: dict[int, str] = {}

    # --- helpers -----------------------------------------------------------------------------

    def step(self, message: str) -> None:
        elapsed = time.monotonic() - self._timer
        self.log(f"[{elapsed:6.1f}s] {message}")

    def at(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        """A moment on `day` in working hours, in the app's time zone."""
        hour = self.rng.randint(8, 16) if hour is None else hour
        moment = datetime.datetime.combine(
            day, datetime.time(hour, self.rng.randint(0, 59)), tzinfo=self.tz
        )
        return min(moment, self.now)

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        if last <= first:
            return first
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def person_name(self) -> tuple[str, str]:
        return self.rng.choice(texts.ADULT_FIRST_NAMES), self.rng.choice(texts.FAMILY_NAMES)

    # --- structure ---------------------------------------------------------------------------

    def build_structure(self) -> None:
        rng, spec = self.rng, self.spec
        region_id = self.t[Region].next_id()
        self.region_id = region_id
        self.t[Region].add((region_id, spec.region_name))
        self.terms = self._terms()
        municipalities = self._municipalities(region_id)
        weights = [population for _name, _code, population, _id in municipalities]
        allocation = _allocate(spec.teams, weights)
        self.teams: list[TeamInfo] = []
        self.staff_by_municipality: dict[int, list[int]] = defaultdict(list)
        self.user_org: dict[int, int] = {}
        self.user_names: dict[int, str] = {}
        managers: dict[int, int] = {}  # organisation -> manager user
        joined = datetime.datetime.combine(
            self.start_day - datetime.timedelta(days=400), datetime.time(9), tzinfo=self.tz
        )
        for (muni_name, _code, _population, muni_id), n_teams in zip(
            municipalities, allocation, strict=True
        ):
            areas = _area_names(rng, n_teams * 2)
            domain = f"{_slug(muni_name)}.se"
            social = []
            for k in range(max(1, math.ceil(n_teams / 8))):
                suffix = f" {areas[k]}" if k else ""
                social.append(
                    self._organisation(
                        f"Individ- och familjeomsorgen {muni_name}{suffix}",
                        Sector.SOCIAL,
                        muni_id,
                        municipality_principal=True,
                    )
                )
            for j in range(n_teams):
                area, area2 = areas[2 * j], areas[2 * j + 1]
                school = self._organisation(f"{area}skolan", Sector.SCHOOL, muni_id, True)
                preschool = self._organisation(f"Förskolan {area2}", Sector.SCHOOL, muni_id, True)
                health_name = (
                    f"{area} hälsocentral" if j % 2 == 0 else f"Barnavårdscentralen {area}"
                )
                health = self._organisation(health_name, Sector.HEALTH, muni_id, False)
                team = self._team(muni_name, muni_id, area, school, preschool)
                orgs = {
                    Sector.SCHOOL: [school, preschool],
                    Sector.HEALTH: [health],
                    Sector.SOCIAL: [social[j % len(social)]],
                }
                for sector_orgs in orgs.values():
                    for org in sector_orgs:
                        if org not in managers:
                            managers[org] = self._user(org, domain, joined)
                            self._manager(managers[org], org)
                self._seats(team, orgs, domain, joined, managers)
                self.teams.append(team)
                self.staff_by_municipality[muni_id].extend(
                    s.user_id for s in team.seats if s.active_to is None
                )
        self._process_leaders(region_id, municipalities, joined)
        # Plain staff (no seat): they start most cases after talking with a family.
        structural = self.t[User].count
        plain = max(len(self.teams), spec.staff - structural)
        for i in range(plain):
            team = self.teams[i % len(self.teams)]
            sector = rng.choices(list(Sector.values), weights=[3, 6, 2])[0]
            seat_orgs = {s.organisation_id for s in team.seats if s.sector == sector}
            org = rng.choice(sorted(seat_orgs))
            domain = "regionvasterbotten.se" if sector == Sector.HEALTH else "kommun.se"
            user_id = self._user(org, domain, joined)
            team.staff.append(user_id)
        self._coordinators()
        self._meetings()
        self._memberships()
        self.step(
            f"structure: {len(municipalities)} municipalities, {len(self.teams)} teams, "
            f"{self.t[Organisation].count} organisations, {self.t[User].count} staff, "
            f"{self.t[Meeting].count} meetings"
        )

    def _terms(self) -> dict[tuple[str, int], Term]:
        terms = {}
        for year in range(self.start_day.year, self.today.year + 2):
            for kind in (Term.Kind.SPRING, Term.Kind.AUTUMN):
                if year == self.today.year + 1 and kind == Term.Kind.AUTUMN:
                    continue
                starts_on, ends_on = Term.default_dates(kind, year)
                term, _created = Term.objects.get_or_create(
                    kind=kind, year=year, defaults={"starts_on": starts_on, "ends_on": ends_on}
                )
                terms[(kind, year)] = term
        return terms

    def _municipalities(self, region_id: int) -> list[tuple]:
        result = []
        known = texts.MUNICIPALITIES
        for i in range(self.spec.municipalities):
            name, code, population = known[i % len(known)]
            if i >= len(known):
                name, code = f"{name} {i // len(known) + 1}", f"{7000 + i}"
            muni_id = self.t[Municipality].next_id()
            self.t[Municipality].add((muni_id, name, code, region_id))
            result.append((name, code, population, muni_id))
        return result

    def _organisation(
        self, name: str, sector: str, municipality_id: int, municipality_principal: bool
    ) -> int:
        org_id = self.t[Organisation].next_id()
        values = {
            "id": org_id,
            "name": name,
            "sector": sector,
            "municipality_id": municipality_id,
            "principal_region_id": None if municipality_principal else self.region_id,
            "principal_municipality_id": municipality_id if municipality_principal else None,
        }
        self.t[Organisation].add_dict(values)
        self.h[Organisation].record(values, self.at(self.start_day, 8), "+", None)
        self.org_sector[org_id] = sector
        return org_id

    def _user(self, organisation_id: int | None, domain: str, joined) -> int:
        first, last = self.person_name()
        user_id = self.t[User].next_id()
        sector = self.org_sector.get(organisation_id) if organisation_id else None
        values = {
            "id": user_id,
            "password": self.password,
            "last_login": None,
            "is_superuser": False,
            "email": f"{_slug(first)}.{_slug(last)}.{user_id}@{domain}",
            "full_name": f"{first} {last}",
            "phone": f"090-{self.rng.randint(10, 99)} {self.rng.randint(10, 99)} "
            f"{self.rng.randint(10, 99)}",
            "organisation_id": organisation_id,
            "hsa_id": f"SE2321000222-{user_id:07d}" if sector == Sector.HEALTH else None,
            "is_staff": False,
            "is_active": True,
            "date_joined": joined,
        }
        self.t[User].add_dict(values)
        self.h[User].record(values, joined, "+", None)
        device = self.t[TOTPDevice]
        device.add_dict(
            {
                "id": device.next_id(),
                "user_id": user_id,
                "name": "authenticator",
                "confirmed": True,
                "throttling_failure_timestamp": None,
                "throttling_failure_count": 0,
                "created_at": joined,
                "last_used_at": None,
                "key": f"{self.rng.getrandbits(160):040x}",
                "step": 30,
                "t0": 0,
                "digits": 6,
                "tolerance": 1,
                "drift": 0,
                "last_t": -1,
            }
        )
        self.user_org[user_id] = organisation_id
        self.user_names[user_id] = values["full_name"]
        return user_id

    def _manager(self, user_id: int, organisation_id: int) -> None:
        manager_id = self.t[Manager].next_id()
        values = {
            "id": manager_id,
            "user_id": user_id,
            "organisation_id": organisation_id,
            "active_from": self.start_day - datetime.timedelta(days=365),
            "active_to": None,
        }
        self.t[Manager].add_dict(values)
        self.h[Manager].record(values, self.at(self.start_day, 9), "+", None)

    def _team(self, muni_name, muni_id, area, school, preschool) -> TeamInfo:
        rng = self.rng
        team_id = self.t[Team].next_id()
        starts = rng.choice([8, 9, 13, 13, 14])
        values = {
            "id": team_id,
            "name": f"HLT {muni_name} {area}",
            "municipality_id": muni_id,
            "catchment": f"{area}skolan, förskolorna i {area} och omgivande byar",
            "meeting_place": f"{area}skolan, konferensrummet",
            "meeting_week_of_month": rng.randint(1, 4),
            "meeting_weekday": rng.randint(0, 4),
            "meeting_starts_at": datetime.time(starts, 0),
            "meeting_ends_at": datetime.time(starts + rng.choice([2, 2, 3]), 0),
            "is_active": True,
        }
        self.t[Team].add_dict(values)
        self.h[Team].record(values, self.at(self.start_day, 9), "+", None)
        team = TeamInfo(team_id, values["name"], muni_id, [school, preschool], rule=values)
        for sector in Sector.values:
            group_id = self.t[Group].next_id()
            self.t[Group].add((group_id, f"team-{team_id}-{sector}"))
            self.t[TeamSectorGroup].add(
                (self.t[TeamSectorGroup].next_id(), team_id, sector, group_id)
            )
            team.groups[sector] = group_id
        return team

    def _seats(self, team: TeamInfo, orgs: dict, domain: str, joined, managers: dict) -> None:
        """Two current seats per sector, the first school seat from before the history (it
        can always coordinate), and one or two seats that ended during the history."""
        rng = self.rng
        long_ago = self.start_day - datetime.timedelta(days=400)
        specs = []
        for sector in (Sector.SCHOOL, Sector.HEALTH, Sector.SOCIAL):
            for k in range(SEATS_PER_SECTOR):
                org = orgs[sector][k % len(orgs[sector])]
                if sector == Sector.SCHOOL and k == 0:
                    active_from = long_ago
                elif rng.random() < 0.4:
                    active_from = long_ago + datetime.timedelta(days=rng.randint(0, 300))
                else:
                    active_from = self.day_between(self.start_day, self.today)
                specs.append((sector, org, active_from, None))
        for _k in range(1 if rng.random() < 0.5 else 2):
            sector = rng.choice(list(Sector.values))
            org = orgs[sector][0]
            active_to = self.day_between(self.start_day, self.today - datetime.timedelta(days=30))
            specs.append((sector, org, long_ago, active_to))
        for sector, org, active_from, active_to in specs:
            user_id = self._user(org, domain, joined)
            seat_id = self.t[KeyPerson].next_id()
            profession = rng.choice(PROFESSIONS_BY_SECTOR[sector])
            values = {
                "id": seat_id,
                "user_id": user_id,
                "team_id": team.id,
                "organisation_id": org,
                "profession": profession,
                "appointed_by_id": managers[org],
                "active_from": active_from,
                "active_to": active_to,
            }
            self.t[KeyPerson].add_dict(values)
            appointed = self.at(max(active_from, self.start_day - datetime.timedelta(days=400)))
            self.h[KeyPerson].record(
                {**values, "active_to": None}, appointed, "+", managers[org], "appointed"
            )
            if active_to:
                self.h[KeyPerson].record(
                    values, self.at(active_to - datetime.timedelta(days=20)), "~", managers[org]
                )
            team.seats.append(
                Seat(seat_id, user_id, team.id, org, sector, profession, active_from, active_to)
            )

    def _process_leaders(self, region_id: int, municipalities: list, joined) -> None:
        regional = max(1, round(2 * self.spec.scale))
        local = max(0, round(3 * self.spec.scale)) if len(municipalities) > 1 else 0
        self.process_leaders = []
        for i in range(regional + local):
            user_id = self._user(None, "regionvasterbotten.se", joined)
            pl_id = self.t[ProcessLeader].next_id()
            values = {
                "id": pl_id,
                "user_id": user_id,
                "region_id": region_id if i < regional else None,
                "is_active": True,
            }
            self.t[ProcessLeader].add_dict(values)
            history_id = self.h[ProcessLeader].record(values, joined, "+", None)
            if i >= regional:
                scope = self.rng.sample(municipalities, k=min(len(municipalities), 3))
                for _name, _code, _population, muni_id in scope:
                    through_id = self.m2m["pl_municipalities"].next_id()
                    self.m2m["pl_municipalities"].add((through_id, pl_id, muni_id))
                    self.pl_municipalities_history.add_dict(
                        {
                            "m2m_history_id": self.pl_municipalities_history.next_id(),
                            "id": through_id,
                            "processleader_id": pl_id,
                            "municipality_id": muni_id,
                            "history_id": history_id,
                        }
                    )
            self.process_leaders.append(user_id)

    def _coordinators(self) -> None:
        """One coordinator per team and term, usually for a whole school year."""
        table, history = self.t[CoordinatorAppointment], self.h[CoordinatorAppointment]
        for team in self.teams:
            previous = None
            for (_kind, _year), term in sorted(
                self.terms.items(), key=lambda item: item[1].starts_on
            ):
                if term.starts_on > self.today + datetime.timedelta(days=60):
                    continue  # next spring's coordinator is appointed in December
                eligible = [
                    s
                    for s in team.seats
                    if s.active_on(term.starts_on) or s.active_on(term.ends_on)
                ]
                keep = (
                    previous in eligible
                    and term.kind == Term.Kind.SPRING
                    and self.rng.random() < 0.8
                )
                seat = previous if keep else self.rng.choice(eligible)
                previous = seat
                appointment_id = table.next_id()
                created = self.at(term.starts_on - datetime.timedelta(days=20))
                values = {
                    "id": appointment_id,
                    "team_id": team.id,
                    "term_id": term.pk,
                    "key_person_id": seat.id,
                    "appointed_by_id": None,
                    "created_at": created,
                }
                table.add_dict(values)
                history.record(values, created, "+", None)
                team.coordinators[term.pk] = seat

    def _meetings(self) -> None:
        rng = self.rng
        table = self.t[Meeting]
        for team in self.teams:
            rule = team.rule
            slot = rng.choice([15, 15, 20])
            for (_kind, _year), term in sorted(
                self.terms.items(), key=lambda item: item[1].starts_on
            ):
                if term.ends_on < self.start_day:
                    continue
                days, _skipped = rule_dates(
                    week_of_month=rule["meeting_week_of_month"],
                    weekday=rule["meeting_weekday"],
                    first=term.starts_on,
                    last=term.ends_on,
                )
                coordinator = team.coordinators.get(term.pk, team.seats[0]).user_id
                for day in days:
                    held = day < self.today
                    state = Meeting.State.PLANNED
                    if held:
                        state = (
                            Meeting.State.CANCELLED if rng.random() < 0.03 else Meeting.State.HELD
                        )
                    created = self.at(term.starts_on - datetime.timedelta(days=14))
                    published = held and state == Meeting.State.HELD
                    meeting_id = table.next_id()
                    table.add(
                        (
                            meeting_id,
                            team.id,
                            term.pk,
                            day,
                            rule["meeting_starts_at"],
                            rule["meeting_ends_at"],
                            rule["meeting_place"],
                            day,
                            state,
                            slot,
                            "Sjukdom i teamet" if state == Meeting.State.CANCELLED else "",
                            3 if published else 1,
                            self.at(day, 17) if held else created,
                            coordinator,
                            self.at(day - datetime.timedelta(days=7)) if published else None,
                            3 if published else None,
                            created,
                        )
                    )
                    team.meetings.append((day, meeting_id, state, term.pk, coordinator))
            team.meetings.sort()
            team.meeting_dates = [m[0] for m in team.meetings]
            team.upcoming = [m for m in team.meetings if m[0] >= self.today][:2]

    def _memberships(self) -> None:
        """The team groups hold the seats active today (teams.services.team_groups_sync)."""
        table = self.m2m["user_groups"]
        for team in self.teams:
            for seat in team.seats:
                if seat.active_on(self.today):
                    table.add((table.next_id(), seat.user_id, team.groups[seat.sector]))

    def _attendance(self) -> None:
        table = self.t[Attendance]
        for team in self.teams:
            for day, meeting_id, state, _term, _coordinator in team.meetings:
                if state != Meeting.State.HELD:
                    continue
                for seat in team.members_on(day):
                    table.add((table.next_id(), meeting_id, seat.user_id, self.rng.random() < 0.85))

    # --- cases -------------------------------------------------------------------------------

    def build_cases(self) -> None:
        """Cases in the order they were started, so that a child's second case (a new
        referral years later) comes after the first."""
        spec, rng = self.spec, self.rng
        first_day = self.start_day + datetime.timedelta(days=30)
        starts = []
        for with_consent in [True] * spec.cases_with_consent + [False] * spec.cases_without_consent:
            if with_consent:
                actualised = self.at(self.day_between(first_day, self.today))
                created = actualised - datetime.timedelta(days=rng.randint(6, 40))
            else:
                created = self.at(self.day_between(self.start_day, self.today))
                actualised = None
            starts.append((created, actualised))
        starts.sort(key=lambda s: s[0])
        new_child = [True] * spec.children + [False] * (spec.cases - spec.children)
        rng.shuffle(new_child)
        first = new_child.index(True)
        new_child[0], new_child[first] = True, new_child[0]
        children: list[tuple[int, datetime.date, TeamInfo]] = []
        for (created, actualised), is_new in zip(starts, new_child, strict=True):
            if is_new:
                team = self.teams[rng.randrange(len(self.teams))]
                child_id, birth = self._child(team, created)
                children.append((child_id, birth, team))
            else:
                child_id, birth, team = children[rng.randrange(len(children))]
            self._case(team, child_id, birth, created, actualised)
        self._attendance()
        self.step(
            f"cases: {self.t[Case].count} cases of {self.t[Child].count} children, "
            f"{self.t[AgendaItem].count} agenda items, {self.t[Plan].count} SIP plans"
        )

    def _child(self, team: TeamInfo, created: datetime.datetime) -> tuple[int, datetime.date]:
        rng = self.rng
        age = rng.choices(range(0, 18), weights=AGE_WEIGHTS)[0]
        birth = created.date() - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        sex = rng.choices(["girl", "boy", "other"], weights=[47, 51, 2])[0]
        given = rng.choice(texts.GIRL_NAMES if sex == "girl" else texts.BOY_NAMES)
        child_id = self.t[Child].next_id()
        personal_number, reserve = None, None
        if rng.random() < 0.01:
            reserve = f"RES-{child_id:08d}"
        else:
            personal_number = self._personal_number(birth, coordination=rng.random() < 0.02)
        if age < 6:
            school_year = "förskola"
        elif age == 6:
            school_year = "förskoleklass"
        elif age <= 15:
            school_year = f"åk {age - 6}"
        else:
            school_year = "gymnasiet"
        language, home = rng.choice(texts.LANGUAGES)
        values = {
            "id": child_id,
            "given_name": given,
            "family_name": rng.choice(texts.FAMILY_NAMES),
            "personal_number": personal_number,
            "reserve_number": reserve,
            "birth_date": birth,
            "sex": sex,
            "school_id": (team.schools[1] if age < 6 else team.schools[0])
            if 1 <= age < 16
            else None,
            "school_year": school_year,
            "home_languages": home,
            "interpreter_needed": language != "sv" and rng.random() < 0.5,
            "protected_identity": rng.random() < 0.005,
            "created_at": created,
        }
        self.t[Child].add_dict(values)
        self.child_language[child_id] = language
        self.h[Child].record(values, created, "+", None, "registered")
        return child_id, birth

    def _personal_number(self, birth: datetime.date, coordination: bool) -> str:
        day = birth.day + (60 if coordination else 0)
        for _attempt in range(1000):
            serial = f"{self.rng.randint(1, 999):03d}"
            base = f"{birth:%y%m}{day:02d}{serial}"
            number = f"{birth.year // 100}{base}{_luhn(base)}"
            if number not in self.personal_numbers:
                self.personal_numbers.add(number)
                return number
        raise RuntimeError(f"No free personal number on {birth}")

    def _case(self, team, child_id, birth, created, actualised) -> None:
        sim = CaseSim(self, team, child_id, birth, created, actualised)
        sim.run()
        self.traces.append(sim.trace())

    # --- the read log ------------------------------------------------------------------------

    def access_rows(self):
        """Rows of the read log (kept as tuples, streamed to COPY): members reading the case,
        its agendas and their case lists, the initiator before the consent."""
        rng = self.rng
        table = self.t[AccessLogEntry]
        team_by_id = {t.id: t for t in self.teams}
        Kind, Action = AccessLogEntry.Kind, AccessLogEntry.Action
        kinds = (
            [Kind.CASE_LIST] * 45
            + [Kind.AGENDA] * 25
            + [Kind.CASE] * 20
            + [Kind.SIP_PLAN] * 5
            + [Kind.MINUTES] * 3
            + [Kind.GUARDIAN] * 2
        )
        roles: dict[int, str] = {}
        for team in self.teams:
            for seat in team.seats:
                roles[seat.user_id] = f"{team.id}:{seat.profession}"
        for trace in self.traces:
            team = team_by_id.get(trace.team_id)
            if team is None:
                rows = rng.randint(2, 6)
                readers = [trace.initiator]
            else:
                months = max(1.0, (trace.end - trace.start).days / 30)
                rows = int(rng.uniform(0.3, 1.7) * min(ACCESS_ROWS_PER_CASE * 2, 12 + 4 * months))
                readers = [s.user_id for s in team.seats] + [trace.initiator]
            span = max(60, int((trace.end - trace.start).total_seconds()))
            for _i in range(rows):
                user_id = rng.choice(readers)
                kind = rng.choice(kinds) if team is not None else Kind.CASE
                if kind == Kind.SIP_PLAN and not trace.has_plan:
                    kind = Kind.CASE
                yield (
                    table.next_id(),
                    trace.start + datetime.timedelta(seconds=rng.randint(0, span)),
                    user_id,
                    self.user_org.get(user_id),
                    roles.get(user_id, "staff"),
                    trace.child_id,
                    trace.case_id,
                    kind,
                    Action.PRINT if kind == Kind.MINUTES and rng.random() < 0.3 else Action.VIEW,
                    f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    team.name if team else "",
                )

    def access_reviews(self, entries: int) -> None:
        """A manager's sampled review of some log rows (loggkontroll)."""
        table = self.t[AccessLogEntry]
        first = table._last_id - entries + 1
        reviewer = self.teams[0].seats[0].user_id
        for _i in range(max(1, entries // 2000)):
            entry = self.rng.randint(first, table._last_id)
            self.t[AccessReview].add(
                (
                    self.t[AccessReview].next_id(),
                    entry,
                    reviewer,
                    "justified",
                    "",
                    self.now - datetime.timedelta(days=self.rng.randint(1, 700)),
                )
            )

    # --- all of it ---------------------------------------------------------------------------

    def write(self) -> dict[str, int]:
        """Build everything and write it; returns the row count per table."""
        self.build_structure()
        self.build_cases()
        order = [
            *[self.t[m] for m in (Region, Municipality, Organisation, User, TOTPDevice, Team)],
            self.t[Group],
            self.t[TeamSectorGroup],
            self.m2m["user_groups"],
            *[self.t[m] for m in (KeyPerson, Manager, ProcessLeader)],
            self.m2m["pl_municipalities"],
            *[self.t[m] for m in (CoordinatorAppointment, Meeting, Attendance, Child, Case)],
            self.m2m["named_people"],
            *[self.t[m] for m in (Guardian, Consent, ConsentSignature, CaseStatusChange)],
            self.t[CaseUserObjectPermission],
            self.t[CaseGroupObjectPermission],
            *[self.t[m] for m in (AgendaItem, FamilyFeedback, SipMeeting)],
            self.m2m["sip_professionals"],
            *[self.t[m] for m in (Plan, Goal, Intervention, PlanSignature)],
            self.m2m["signature_guardians"],
            self.m2m["signature_professionals"],
            *[self.t[m] for m in (FollowUp, GoalEvaluation, InterventionEvaluation)],
            *self.h.values(),
            self.named_history,
            self.pl_municipalities_history,
        ]
        counts = {}
        for table in order:
            table.flush()
            counts[table.table] = table.written
        self.step(f"written: {sum(counts.values())} rows in {len(order)} tables")
        log = self.t[AccessLogEntry]
        counts[log.table] = log.flush(self.access_rows())
        self.access_reviews(counts[log.table])
        counts[self.t[AccessReview].table] = self.t[AccessReview].flush()
        self.step(f"read log: {counts[log.table]} rows")
        for table in [*order, log, self.t[AccessReview]]:
            table.reset_sequence()
        return counts


class CaseSim:
    """One case along the HLT path, from the dialogue with the family to today."""

    def __init__(self, builder: Builder, team, child_id, birth, created, actualised):
        self.b = builder
        self.rng = builder.rng
        self.team = team
        self.child_id = child_id
        self.birth = birth
        self.created = created
        self.actualised = actualised
        self.case_id = builder.t[Case].next_id()
        self.discussions: list[datetime.date] = []
        self.has_plan = False
        self.end = builder.now
        self.language = builder.child_language[child_id]
        members = team.members_on(created.date())
        if self.rng.random() < 0.4 and members:
            self.initiator = self.rng.choice(members).user_id
        else:
            self.initiator = self.rng.choice(team.staff or [s.user_id for s in team.seats])
        self.initiating_org = builder.user_org[self.initiator]
        areas = self.rng.sample(["health", "learning", "safety"], k=self.rng.choice([1, 1, 2, 3]))
        reasons = [r for r in ConcernReason.values if r.split("_")[0] in areas]
        self.case = {
            "id": self.case_id,
            "child_id": child_id,
            "status": "draft",
            "initiated_by_id": self.initiator,
            "initiating_organisation_id": self.initiating_org,
            "team_id": None,
            "concern_health": False,
            "concern_learning": False,
            "concern_safety": False,
            "concern_reasons": Jsonb([]),
            "family_description": "",
            "child_voice": "",
            "ommej_reference": "",
            "closing_reason": "",
            "created_at": created,
            "actualised_at": None,
            "closed_at": None,
            "age_at_actualisation": None,
            "purged_at": None,
            # The case that registered the child: it shows the child's own record.
            "registered_child": Jsonb({}),
            "identity_protected": False,
            # What the consent form was printed with (set when the form is printed, below).
            "consent_form_language": "",
            "consent_form_sectors": Jsonb([]),
        }
        self.areas = areas
        self.reasons = self.rng.sample(reasons, k=min(len(reasons), self.rng.randint(1, 3)))
        self.named_through = builder.m2m["named_people"].next_id()
        self.consents: list[dict] = []
        self.guardians: list[dict] = []
        self.last_event = created.date()

    # --- recording ---------------------------------------------------------------------------

    def touch(self, day: datetime.date) -> None:
        self.last_event = max(self.last_event, day)

    def save(self, at, by, reason=None, kind="~") -> None:
        self.touch(at.date())
        history_id = self.b.h[Case].record(self.case, at, kind, by, reason)
        table = self.b.named_history
        table.add_dict(
            {
                "m2m_history_id": table.next_id(),
                "id": self.named_through,
                "case_id": self.case_id,
                "user_id": self.initiator,
                "history_id": history_id,
            }
        )

    def transition(self, to_status: str, at, by, note: str = "", closing_reason: str = ""):
        table = self.b.t[CaseStatusChange]
        table.add((table.next_id(), self.case_id, self.case["status"], to_status, by, at, note))
        self.case["status"] = to_status
        if to_status == "closed":
            self.case["closed_at"] = at
            self.case["closing_reason"] = closing_reason
            self.end = at
        self.save(at, by, f"status: {to_status}")

    def grant_user(self, user_id: int) -> None:
        granted = getattr(self, "_granted", set())
        if user_id in granted:
            return
        granted.add(user_id)
        self._granted = granted
        table = self.b.t[CaseUserObjectPermission]
        for perm in CASE_PERMS:
            table.add((table.next_id(), self.b.perm_ids[perm], user_id, self.case_id))

    def grant_team(self) -> None:
        table = self.b.t[CaseGroupObjectPermission]
        for sector in Sector.values:
            for perm in CASE_PERMS:
                table.add(
                    (table.next_id(), self.b.perm_ids[perm], self.team.groups[sector], self.case_id)
                )

    # --- the path ----------------------------------------------------------------------------

    def run(self) -> None:
        b = self.b
        self.save(self.created, self.initiator, kind="+")
        self.grant_user(self.initiator)
        b.m2m["named_people"].add((self.named_through, self.case_id, self.initiator))
        self._guardians()
        if self.actualised is None:
            self._without_consent()
        else:
            self._with_consent()
        b.t[Case].add_dict(self.case)

    def _guardians(self) -> None:
        b, rng = self.b, self.rng
        family = rng.choice(texts.FAMILY_NAMES)
        joint = rng.random() < 0.75
        relations = ["mother", "father"] if joint else [rng.choice(["mother", "father", "parent"])]
        if rng.random() < 0.01:
            relations, joint = ["appointed"], False
        for relation in relations:
            guardian_id = b.t[Guardian].next_id()
            given = rng.choice(texts.ADULT_FIRST_NAMES)
            values = {
                "id": guardian_id,
                "case_id": self.case_id,
                "given_name": given,
                "family_name": family,
                "relation": relation,
                "custody": "joint" if joint else "sole",
                "phone": f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "email": f"{_slug(given)}.{_slug(family)}{guardian_id}@example.com",
                "address": f"{rng.choice(texts.STREETS)} {rng.randint(1, 60)}",
                "preferred_language": self.language,
                "protected_identity": rng.random() < 0.003,
            }
            b.t[Guardian].add_dict(values)
            b.h[Guardian].record(values, self.created, "+", self.initiator)
            self.guardians.append(values)

    def _without_consent(self) -> None:
        """Started after a dialogue; the family never signed (or has not yet)."""
        rng = self.rng
        printed = self.created + datetime.timedelta(days=rng.randint(0, 6))
        declined = printed + datetime.timedelta(days=rng.randint(14, 60))
        if printed < self.b.now and rng.random() < 0.8:
            self.transition("awaiting_consent", printed, self.initiator)
        if declined < self.b.now:
            self.transition("closed", declined, self.initiator, closing_reason="family_declined")
        self.end = min(self.b.now, self.created + datetime.timedelta(days=60))

    def _with_consent(self) -> None:
        b, rng = self.b, self.rng
        printed = self.created + datetime.timedelta(days=rng.randint(0, 3))
        self.transition("awaiting_consent", printed, self.initiator)
        signed_on = (self.actualised - datetime.timedelta(days=rng.randint(0, 2))).date()
        signed_on = max(signed_on, printed.date())
        self._consent(signed_on, min(self.actualised, b.now))
        self.case.update(
            team_id=self.team.id,
            concern_health="health" in self.areas,
            concern_learning="learning" in self.areas,
            concern_safety="safety" in self.areas,
            concern_reasons=Jsonb(self.reasons),
            family_description=" ".join(rng.sample(texts.CONCERNS, k=2)),
            child_voice=rng.choice(texts.VOICES),
            ommej_reference=f"OMJ-{self.case_id:07d}" if rng.random() < 0.2 else "",
            actualised_at=self.actualised,
            age_at_actualisation=_age(self.birth, self.actualised.date()),
        )
        self.transition("actualised", self.actualised, self.initiator, note=self.team.name)
        self.grant_team()
        self._discuss()
        self._cover_with_consents()

    def _consent(self, signed_on: datetime.date, registered) -> dict:
        b, rng = self.b, self.rng
        sectors = list(Sector.values)
        if rng.random() < 0.15:
            sectors.remove(rng.choice(sectors))
        consent_id = b.t[Consent].next_id()
        years = 2 if rng.random() < 0.3 else 1
        values = {
            "id": consent_id,
            "case_id": self.case_id,
            "covers_health": "health" in sectors,
            "covers_school": "school" in sectors,
            "covers_social": "social" in sectors,
            "family_language": self.language,
            "signed_on": signed_on,
            "valid_until": signed_on + datetime.timedelta(days=365 * years),
            "child_signed": _age(self.birth, signed_on) >= 12,
            "scan": "",
            "scan_content_type": "",
            "registered_by_id": self.initiator,
            "registered_at": registered,
            "withdrawn_on": None,
            "withdrawal_told_by": "",
            "withdrawal_received_by_id": None,
            "withdrawal_note": "",
        }
        self.consents.append(values)
        b.h[Consent].record(values, registered, "+", self.initiator, "registered")
        for guardian in self.guardians:
            signature_id = b.t[ConsentSignature].next_id()
            row = {"id": signature_id, "consent_id": consent_id, "guardian_id": guardian["id"]}
            b.t[ConsentSignature].add_dict(row)
            b.h[ConsentSignature].record(row, registered, "+", self.initiator, "registered")
        return values

    def _cover_with_consents(self) -> None:
        """Renew the consent while the case goes on; a few open cases let it lapse today."""
        b, rng = self.b, self.rng
        last = self.consents[-1]
        until = self.end.date()
        lapse = self.case["status"] != "closed" and rng.random() < 0.04
        while last["valid_until"] < until and last["withdrawn_on"] is None:
            signed_on = last["valid_until"] - datetime.timedelta(days=rng.randint(5, 30))
            if lapse and last["valid_until"] >= self.last_event:
                break
            last = self._consent(signed_on, self.b.at(signed_on))
        for consent in self.consents:
            b.t[Consent].add_dict(consent)

    def _meeting_after(self, day: datetime.date):
        """The team's first meeting, not cancelled, on or after `day`."""
        team = self.team
        index = bisect.bisect_left(team.meeting_dates, day)
        while index < len(team.meetings):
            meeting = team.meetings[index]
            if meeting[2] != Meeting.State.CANCELLED:
                return meeting
            index += 1
        return None

    def _discuss(self) -> None:
        """The case at the team's meetings: discussed again and again, then a decision."""
        b, rng = self.b, self.rng
        loops = rng.choices([0, 1, 2, 3, 4, 6], weights=[35, 30, 17, 10, 5, 3])[0]
        day = self.actualised.date() + datetime.timedelta(days=rng.randint(3, 10))
        for index in range(loops + 1):
            meeting = self._meeting_after(day)
            if meeting is None:
                return
            date, meeting_id, state, _term, coordinator = meeting
            added = b.at(max(self.actualised.date(), date - datetime.timedelta(days=20)))
            if state == Meeting.State.PLANNED:
                # On a coming meeting's agenda only if it is the next one or the one after.
                if meeting in self.team.upcoming:
                    self._item(meeting, coordinator, added, open_item=True)
                return
            final = index == loops
            decision = "actualised" if not final else self._decision()
            item_id = self._item(meeting, coordinator, added, decision=decision)
            self._feedback(item_id, date)
            self.discussions.append(date)
            at = b.at(date, 16)
            note = f"HLT-möte {date}"
            self.transition("in_meeting", at, coordinator, note=note)
            if decision == "in_meeting":
                self._in_meeting(date)
                return
            if decision == "sip_planned":
                self.transition("sip_planned", at, coordinator, note=note)
                scheduled = min(b.now, at + datetime.timedelta(hours=rng.randint(1, 96)))
                self._sip(self._last_item[2], coordinator, scheduled)
                return
            if decision.startswith("closed:"):
                reason = decision.split(":")[1]
                self.transition("closed", at, coordinator, note=note, closing_reason=reason)
                return
            if decision == "withdraw":
                self._withdraw(date + datetime.timedelta(days=rng.randint(10, 60)), coordinator)
                return
            self.transition("actualised", at, coordinator, note=note)
            day = date + datetime.timedelta(days=rng.randint(10, 40))

    def _decision(self) -> str:
        return self.rng.choices(
            [
                "sip_planned",
                "in_meeting",
                "closed:goals_met",
                "closed:referred",
                "closed:moved",
                "closed:family_declined",
                "withdraw",
            ],
            weights=[50, 20, 10, 8, 4, 4, 4],
        )[0]

    def _item(self, meeting, coordinator, added, *, decision="", open_item=False) -> int:
        b, rng = self.b, self.rng
        date, meeting_id, _state, _term, _coordinator = meeting
        if open_item:
            if self.case_id in b.open_item_cases:
                return 0
            b.open_item_cases.add(self.case_id)
        b.meeting_items[meeting_id] += 1
        table = b.t[AgendaItem]
        item_id = table.next_id()
        members = self.team.members_on(date)
        contact = rng.choice(members).user_id
        sip_on = date + datetime.timedelta(days=rng.randint(14, 35))
        recorded = not open_item
        next_status = "closed" if decision.startswith("closed") else decision
        if decision == "withdraw":
            next_status = "in_meeting"
        contact_needed = next_status in ("in_meeting", "sip_planned")
        table.add(
            (
                item_id,
                meeting_id,
                self.case_id,
                b.meeting_items[meeting_id],
                rng.choice([10, 15, 20]),
                open_item,
                coordinator,
                added,
                rng.choice(texts.MINUTES_NOTES) if recorded else "",
                Jsonb(sorted(rng.sample(list(Sector.values), k=rng.randint(1, 3))))
                if recorded
                else Jsonb([]),
                contact if recorded and contact_needed else None,
                date + datetime.timedelta(days=rng.randint(3, 7))
                if recorded and contact_needed
                else None,
                date + datetime.timedelta(days=7)
                if recorded and next_status == "sip_planned"
                else None,
                sip_on if recorded and next_status == "sip_planned" else None,
                next_status if recorded else "",
                decision.split(":")[1] if decision.startswith("closed:") else "",
                b.at(date, 16) if recorded else None,
                coordinator if recorded else None,
                2 if recorded else 1,
            )
        )
        self._last_item = (item_id, contact, sip_on)
        return item_id

    def _feedback(self, item_id: int, meeting_day: datetime.date) -> None:
        """The family hears back after each discussion, mostly within the week; a few of the
        last weeks' are still missing (the coordinator's start page lists them)."""
        b, rng = self.b, self.rng
        contacted = meeting_day + datetime.timedelta(days=rng.choice([1, 2, 3, 5, 6, 8, 12]))
        recent = meeting_day > b.today - datetime.timedelta(days=45)
        if contacted > b.today or (recent and rng.random() < 0.15):
            return
        contact = self._last_item[1]
        table = b.t[FamilyFeedback]
        table.add(
            (
                table.next_id(),
                item_id,
                self.case_id,
                contacted,
                rng.choice(["phone", "phone", "meeting", "video", "letter"]),
                "",
                contact,
                b.at(contacted),
            )
        )

    def _in_meeting(self, meeting_day: datetime.date) -> None:
        """The agencies meet the family first; a SIP usually follows, or the case closes."""
        b, rng = self.b, self.rng
        later = meeting_day + datetime.timedelta(days=rng.randint(21, 70))
        if later >= b.today:
            return
        by = self._last_item[1]
        if rng.random() < 0.6:
            scheduled = b.at(later)
            self._sip(later + datetime.timedelta(days=rng.randint(14, 30)), by, scheduled)
        else:
            reason = rng.choice(["goals_met", "referred"])
            self.transition("closed", b.at(later), by, closing_reason=reason)

    def _withdraw(self, day: datetime.date, by: int) -> None:
        if day >= self.b.today:
            return
        consent = self.consents[-1]
        if consent["valid_until"] < day:
            return
        consent.update(
            withdrawn_on=day,
            withdrawal_told_by=self.guardians[0]["given_name"],
            withdrawal_received_by_id=by,
            withdrawal_note="Familjen vill inte längre ha samordnat stöd.",
        )
        at = self.b.at(day)
        self.b.h[Consent].record(consent, at, "~", by, "withdrawn")
        self.transition("closed", at, by, closing_reason="consent_withdrawn")

    def _people(self, day: datetime.date) -> list[Seat]:
        """The team's members in the sectors the consent covers: who may take part."""
        consent = self.consents[-1]
        covered = [s for s in Sector.values if consent[f"covers_{s}"]]
        people = [s for s in self.team.members_on(day) if s.sector in covered]
        return people or self.team.members_on(day)

    def _sip(self, sip_day: datetime.date, by: int, scheduled) -> None:
        """The SIP meeting, the first plan, its signature and the follow-ups."""
        b, rng = self.b, self.rng
        if self.case["status"] == "in_meeting":
            self.transition("sip_planned", scheduled, by, note="SIP")
        people = self._people(sip_day)
        meeting_id = b.t[SipMeeting].next_id()
        b.t[SipMeeting].add(
            (
                meeting_id,
                self.case_id,
                sip_day,
                datetime.time(rng.choice([8, 9, 10, 13, 14]), rng.choice([0, 30])),
                rng.choice(["Skolan, grupprum 1", "Hälsocentralen, plan 2", "Familjens hem"]),
                _age(self.birth, sip_day) >= 6,
                True,
                self.language if self.language != "sv" else "",
                by,
                scheduled,
            )
        )
        professionals = rng.sample(people, k=min(len(people), rng.randint(2, 4)))
        for seat in professionals:
            table = b.m2m["sip_professionals"]
            table.add((table.next_id(), meeting_id, seat.user_id))
        if sip_day >= b.today:
            return
        big = rng.random() < 0.02
        plan = self._plan(1, sip_day, by, meeting_id, people, big=big)
        self._follow_ups(plan, people)

    def _plan(self, version, day, by, sip_meeting_id, people, *, previous=None, big=False):
        b, rng = self.b, self.rng
        plan_id = b.t[Plan].next_id()
        overall = rng.choice(people)
        finalised_on = day + datetime.timedelta(days=rng.choice([0, 0, 1, 3, 7]))
        final = finalised_on < b.today
        follow_up_on = finalised_on + datetime.timedelta(days=rng.randint(90, 180))
        if previous is not None:
            goals = [text for _id, text in previous["goals"]]
            interventions = [dict(i) for i in previous["interventions"]]
            for intervention in interventions:
                intervention["ends_on"] = max(
                    intervention["ends_on"], day + datetime.timedelta(days=120)
                )
        else:
            n_goals = rng.randint(6, 8) if big else rng.choices([1, 2, 3, 4], [25, 35, 25, 15])[0]
            n_int = (
                rng.randint(8, 10) if big else rng.choices([1, 2, 3, 4, 5], [20, 35, 25, 12, 8])[0]
            )
            goals = [rng.choice(texts.GOALS) for _i in range(n_goals)]
            interventions = []
            for i in range(n_int):
                # The person with the overall responsibility often runs an intervention too.
                seat = overall if i == 0 and rng.random() < 0.4 else rng.choice(people)
                kind = rng.choice(list(texts.INTERVENTIONS))
                interventions.append(
                    {
                        "kind": kind,
                        "what": rng.choice(texts.INTERVENTIONS[kind]),
                        "organisation_id": seat.organisation_id,
                        "person_id": seat.user_id,
                        "starts_on": day,
                        # Until the first follow-up, or one or two terms beyond it.
                        "ends_on": follow_up_on + datetime.timedelta(days=rng.randint(0, 200)),
                    }
                )
        needs = rng.choice(texts.NEEDS)
        if big:
            needs = "\n".join(rng.sample(texts.NEEDS, k=4) + rng.sample(texts.CONCERNS, k=4))
        b.t[Plan].add(
            (
                plan_id,
                self.case_id,
                version,
                "final" if final else "draft",
                sip_meeting_id,
                needs,
                rng.choice(texts.CHILD_VIEWS),
                rng.choice(texts.MEASURES_BY_OTHERS),
                overall.organisation_id,
                overall.user_id,
                follow_up_on,
                rng.choice(texts.FOLLOW_UP_HOW),
                previous["id"] if previous else None,
                by,
                b.at(day),
                b.at(finalised_on) if final else None,
                by if final else None,
                0,  # edit_version: the plan editor's saves
                None,  # edited_at
                None,  # edited_by
            )
        )
        self.has_plan = True
        self.touch(finalised_on if final else day)
        goal_rows = []
        for text in goals:
            goal_id = b.t[Goal].next_id()
            b.t[Goal].add((goal_id, plan_id, text))
            goal_rows.append((goal_id, text))
        intervention_rows = []
        for intervention in interventions:
            intervention_id = b.t[Intervention].next_id()
            b.t[Intervention].add(
                (
                    intervention_id,
                    plan_id,
                    intervention["kind"],
                    intervention["what"],
                    intervention["organisation_id"],
                    intervention["person_id"],
                    intervention["starts_on"],
                    intervention["ends_on"],
                )
            )
            intervention_rows.append({**intervention, "id": intervention_id})
        plan = {
            "id": plan_id,
            "sip_meeting_id": sip_meeting_id,
            "final": final,
            "finalised_on": finalised_on,
            "follow_up_on": follow_up_on,
            "goals": goal_rows,
            "interventions": intervention_rows,
            "by": by,
        }
        if final:
            self.grant_user(overall.user_id)
            for intervention in interventions:
                self.grant_user(intervention["person_id"])
            if self.case["status"] == "sip_planned":
                self.transition("plan_active", b.at(finalised_on), by, note=f"SIP v{version}")
            self._signature(plan, people)
        return plan

    def _signature(self, plan: dict, people: list[Seat]) -> None:
        b, rng = self.b, self.rng
        signed_on = plan["finalised_on"] + datetime.timedelta(days=rng.randint(0, 14))
        if signed_on >= b.today or rng.random() > 0.85:
            return
        signature_id = b.t[PlanSignature].next_id()
        b.t[PlanSignature].add(
            (
                signature_id,
                plan["id"],
                signed_on,
                _age(self.birth, signed_on) >= 12,
                "",
                "",
                plan["by"],
                b.at(signed_on),
            )
        )
        for guardian in self.guardians:
            table = b.m2m["signature_guardians"]
            table.add((table.next_id(), signature_id, guardian["id"]))
        for seat in rng.sample(people, k=min(2, len(people))):
            table = b.m2m["signature_professionals"]
            table.add((table.next_id(), signature_id, seat.user_id))

    def _follow_ups(self, plan: dict, people: list[Seat]) -> None:
        b, rng = self.b, self.rng
        due = plan["follow_up_on"]
        for n in range(6):
            if not plan["final"]:
                return
            # Mostly held on time; a few late, and a few of the last weeks' not yet (overdue:
            # the start page lists them).
            late = rng.random() < 0.3
            held = due + datetime.timedelta(
                days=rng.randint(1, 21) if late else -rng.randint(0, 14)
            )
            recent = due > b.today - datetime.timedelta(days=45)
            if held >= b.today or (recent and rng.random() < 0.1):
                return
            decision = rng.choices(["continue", "revise", "close"], weights=[55, 20, 25])[0]
            if n == 5:
                decision = "close"  # six follow-ups, two to three years: the plan has done its work
            next_on = held + datetime.timedelta(days=rng.randint(90, 180))
            reason = rng.choice(["goals_met", "goals_met", "referred", "moved"])
            by = rng.choice(people).user_id
            self.touch(held)
            follow_up_id = b.t[FollowUp].next_id()
            b.t[FollowUp].add(
                (
                    follow_up_id,
                    plan["id"],
                    held,
                    Jsonb({code: rng.randint(2, 5) for code in QUESTION_CODES}),
                    rng.choice(texts.FAMILY_COMMENTS),
                    decision,
                    reason if decision == "close" else "",
                    next_on if decision == "continue" else None,
                    "",
                    by,
                    b.at(held),
                )
            )
            for goal_id, _text in plan["goals"]:
                b.t[GoalEvaluation].add(
                    (
                        b.t[GoalEvaluation].next_id(),
                        follow_up_id,
                        goal_id,
                        rng.choice(["reached", "partly", "not_reached"]),
                        "",
                    )
                )
            for intervention in plan["interventions"]:
                b.t[InterventionEvaluation].add(
                    (
                        b.t[InterventionEvaluation].next_id(),
                        follow_up_id,
                        intervention["id"],
                        (rng.choice(["done", "done", "ended"]))
                        if intervention["ends_on"] <= held
                        else rng.choice(["going_on"] * 9 + ["not_started"]),
                        "",
                    )
                )
            if decision == "close":
                self.transition("closed", b.at(held), by, note="SIP", closing_reason=reason)
                return
            if decision == "revise":
                version = plan.get("version", 1) + 1
                revised = self._plan(
                    version, held, by, plan["sip_meeting_id"], people, previous=plan
                )
                plan = {**revised, "version": version}
                due = plan["follow_up_on"]
            else:
                due = next_on

    def trace(self) -> CaseTrace:
        start = self.case["actualised_at"] or self.created
        return CaseTrace(
            self.case_id,
            self.child_id,
            self.case["team_id"],
            self.initiator,
            start,
            max(start, self.end),
            self.discussions,
            self.has_plan,
        )


# --- small pure helpers ----------------------------------------------------------------------


def _luhn(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def _age(birth: datetime.date, day: datetime.date) -> int:
    years = day.year - birth.year
    return years - ((day.month, day.day) < (birth.month, birth.day))


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", " ": "-"})
    return text.lower().translate(table)


def _allocate(total: int, weights: list[int]) -> list[int]:
    """`total` split by weight, at least one each (largest remainder)."""
    n = len(weights)
    if total <= n:
        return [1] * n
    rest = total - n
    shares = [rest * w / sum(weights) for w in weights]
    result = [1 + int(s) for s in shares]
    for index in sorted(range(n), key=lambda i: shares[i] - int(shares[i]), reverse=True):
        if sum(result) >= total:
            break
        result[index] += 1
    return result


def _area_names(rng: random.Random, count: int) -> list[str]:
    names = [p + s for p in texts.AREA_PREFIXES for s in texts.AREA_SUFFIXES]
    rng.shuffle(names)
    if count > len(names):
        names += [f"{name} {n}" for n in range(2, 2 + count // len(names) + 1) for name in names]
    return names[:count]


def generate(scale: float, *, log=print, unchecked: bool = False) -> dict[str, int]:
    """Write the synthetic region at `scale` in one transaction; returns rows per table."""
    spec = Spec.for_scale(scale)
    with transaction.atomic():
        if unchecked:
            _skip_constraint_triggers()
        builder = Builder(spec, log=log)
        counts = builder.write()
    builder.step("committed")
    with connection.cursor() as cursor:
        # As a region's database is after its nightly maintenance: statistics, hint bits and
        # the visibility map (VACUUM cannot run inside a transaction, e.g. in a test).
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    builder.step("vacuumed and analyzed")
    return counts


def _skip_constraint_triggers() -> None:
    """Leave out the foreign-key checks of this transaction (replica mode): at scale 1 they
    are some ten million index look-ups at commit. The ids come from this generator only and
    tests/bench writes the same rows with every check on. Needs a superuser; without one the
    checks simply run."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass
