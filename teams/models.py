"""Organisations, HLT teams and the people in them.

The user model lives here because a person's place in the HLT structure
(organisation, key-person seats, manager or process-leader role) is what the
rest of the system asks about them.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Sector(models.TextChoices):
    HEALTH = "health", _("Health care")
    SCHOOL = "school", _("School")
    SOCIAL = "social", _("Social services")


class Profession(models.TextChoices):
    """Professions suggested for key persons (DOMAIN.md), grouped by sector below."""

    BVC_NURSE = "bvc_nurse", _("Child health nurse (BVC)")
    COUNSELLOR = "counsellor", _("Counsellor")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Occupational therapist")
    DISTRICT_NURSE = "district_nurse", _("District nurse")
    SPECIAL_EDUCATOR = "special_educator", _("Special needs educator")
    PRESCHOOL_TEACHER = "preschool_teacher", _("Preschool teacher")
    HEAD_TEACHER = "head_teacher", _("Head teacher")
    SCHOOL_COUNSELLOR = "school_counsellor", _("School counsellor")
    SCHOOL_NURSE = "school_nurse", _("School nurse")
    SCHOOL_PSYCHOLOGIST = "school_psychologist", _("School psychologist")
    SPECIAL_TEACHER = "special_teacher", _("Special needs teacher")
    FAMILY_THERAPIST = "family_therapist", _("Family therapist")
    SOCIAL_WORKER = "social_worker", _("Social worker")


PROFESSIONS_BY_SECTOR: dict[str, tuple[str, ...]] = {
    Sector.HEALTH: (
        Profession.BVC_NURSE,
        Profession.COUNSELLOR,
        Profession.PSYCHOLOGIST,
        Profession.OCCUPATIONAL_THERAPIST,
        Profession.DISTRICT_NURSE,
    ),
    Sector.SCHOOL: (
        Profession.SPECIAL_EDUCATOR,
        Profession.PRESCHOOL_TEACHER,
        Profession.HEAD_TEACHER,
        Profession.SCHOOL_COUNSELLOR,
        Profession.SCHOOL_NURSE,
        Profession.SCHOOL_PSYCHOLOGIST,
        Profession.SPECIAL_TEACHER,
    ),
    Sector.SOCIAL: (Profession.FAMILY_THERAPIST, Profession.SOCIAL_WORKER),
}


class ActiveDatesQuerySet(models.QuerySet):
    """For rows that hold a role from `active_from` to an optional `active_to` (inclusive).

    `KeyPerson.objects.active_on(day)` is *the* definition of "sits in the team on that day"
    (team membership): every check of a seat goes through it, never through the team's
    auth groups, which are only a cache of it.
    """

    def active_on(self, day: datetime.date):
        return self.filter(Q(active_to__isnull=True) | Q(active_to__gte=day), active_from__lte=day)


class CoordinatorAppointmentQuerySet(models.QuerySet):
    def current(self, day: datetime.date | None = None):
        """*The* definition of "is the coordinator on that day": appointed for the term the
        day belongs to, with a seat in the team that is active on the day (a former key
        person is no longer the coordinator, even inside the appointed term)."""
        day = day or timezone.localdate()
        return self.filter(
            term__kind=Term.kind_for(day),  # the one rule for the term of a day (pure)
            term__year=day.year,
            key_person__in=KeyPerson.objects.active_on(day),
        )


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """One unit of one sector with one principal (huvudman): a municipality or the region."""

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("Where the unit works."),
    )
    principal_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("principal (region)"),
    )
    principal_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("principal (municipality)"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "municipality"], name="organisation_unique_name"
            ),
            models.CheckConstraint(
                name="organisation_has_one_principal",
                condition=(
                    Q(principal_region__isnull=False, principal_municipality__isnull=True)
                    | Q(principal_region__isnull=True, principal_municipality__isnull=False)
                ),
                violation_error_message=_(
                    "Choose exactly one principal: a region or a municipality."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def principal(self):
        return self.principal_region or self.principal_municipality


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("Users need a work e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff of a participating organisation, a process leader or an admin."""

    email = models.EmailField(_("work e-mail"), unique=True)
    full_name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("organisation"),
        help_text=_("The employer. Empty for process leaders and administrators outside one."),
    )
    hsa_id = models.CharField(
        _("HSA-id"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Identity in the national catalogue, used for single sign-on."),
    )
    is_staff = models.BooleanField(_("may use the admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Team(models.Model):
    """A geographic HLT team with its fixed meeting time and place."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, pgettext_lazy("weekday of the meeting rule", "Monday")
        TUESDAY = 1, pgettext_lazy("weekday of the meeting rule", "Tuesday")
        WEDNESDAY = 2, pgettext_lazy("weekday of the meeting rule", "Wednesday")
        THURSDAY = 3, pgettext_lazy("weekday of the meeting rule", "Thursday")
        FRIDAY = 4, pgettext_lazy("weekday of the meeting rule", "Friday")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("1st")
        SECOND = 2, _("2nd")
        THIRD = 3, _("3rd")
        FOURTH = 4, _("4th")
        LAST = 5, _("last")

    name = models.CharField(_("name"), max_length=150, unique=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="teams", verbose_name=_("municipality")
    )
    catchment = models.TextField(
        _("catchment"), help_text=_("The schools and preschools, or the area, the team serves.")
    )
    meeting_place = models.CharField(_("meeting place"), max_length=200)
    meeting_week_of_month = models.PositiveSmallIntegerField(
        _("week of the month"), choices=WeekOfMonth.choices
    )
    meeting_weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    meeting_starts_at = models.TimeField(_("meeting starts"))
    meeting_ends_at = models.TimeField(_("meeting ends"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("HLT team")
        verbose_name_plural = _("HLT teams")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="team_meeting_ends_after_start",
                condition=Q(meeting_ends_at__gt=models.F("meeting_starts_at")),
                violation_error_message=_("The meeting must end after it starts."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def meeting_rule(self) -> str:
        """E.g. "2nd Tuesday of the month, 13:00–15:00"."""
        return _("%(week)s %(weekday)s of the month, %(start)s–%(end)s") % {
            "week": self.get_meeting_week_of_month_display(),
            "weekday": self.get_meeting_weekday_display().lower(),
            "start": self.meeting_starts_at.strftime("%H:%M"),
            "end": self.meeting_ends_at.strftime("%H:%M"),
        }


class TeamSectorGroup(models.Model):
    """The auth group of one sector's key persons in one team.

    Object permissions on cases are granted to these groups, so a key person
    joining or leaving a team changes their access without touching any case.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="sector_groups")
    sector = models.CharField(max_length=10, choices=Sector.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="team_sector")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "sector"], name="team_sector_group_unique")
        ]

    def __str__(self):
        return f"{self.team} / {self.get_sector_display()}"


class KeyPerson(models.Model):
    """A user's seat in one HLT team for one organisation. Never deleted: a seat ends."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="key_person_seats",
        verbose_name=_("person"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="key_persons", verbose_name=_("team")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="key_persons",
        verbose_name=_("organisation"),
    )
    profession = models.CharField(_("profession"), max_length=30, choices=Profession.choices)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("appointed by"),
    )
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active to"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveDatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("key person")
        verbose_name_plural = _("key persons")
        ordering = ["team__name", "user__full_name"]
        indexes = [models.Index(fields=["team", "active_to"])]
        constraints = [
            models.CheckConstraint(
                name="key_person_dates_in_order",
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.team})"

    @property
    def sector(self) -> str:
        return self.organisation.sector

    def is_active_on(self, day: datetime.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class TermQuerySet(models.QuerySet):
    """The term of a day: `Term.kind_for(day)` is the rule (pure); these read it, and only
    the `ensure_…` methods, for writes (services on POST, commands), store a missing term."""

    def of_day(self, day: datetime.date):
        """The stored term of `day`, as a queryset (0 or 1 row): for filters, e.g.
        `CoordinatorAppointment.objects.filter(term__in=Term.objects.of_day(day))`."""
        return self.filter(kind=Term.kind_for(day), year=day.year)

    def for_day(self, day: datetime.date) -> "Term":
        """The term a day belongs to. A read: never writes. When no one has set the term
        up, an unsaved term with the default dates (pk None: not for filters or keys).

        January–June belong to VT and July–December to HT, so in the summer
        break the "current" term is the coming autumn term.
        """
        return self.of_day(day).first() or Term.default_for(day)

    def current(self) -> "Term":
        return self.for_day(timezone.localdate())

    def ensure_for_day(self, day: datetime.date) -> "Term":
        """The stored term of `day`, stored with the default dates if missing: for writes
        that need a term row (meetings, appointments, statistics figures)."""
        kind = Term.kind_for(day)
        starts_on, ends_on = Term.default_dates(kind, day.year)
        term, _created = self.get_or_create(
            kind=kind, year=day.year, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
        return term

    def ensure_current(self) -> "Term":
        return self.ensure_for_day(timezone.localdate())

    def back_from(self, term: "Term", count: int, *, ensure: bool = False) -> list["Term"]:
        """The `count` terms up to and including `term`, oldest first, in one query. Missing
        ones are unsaved terms with default dates, or stored (`ensure=True`, for writes)."""
        keys = Term.keys_back(term, count)
        wanted = Q()
        for kind, year in keys:
            wanted |= Q(kind=kind, year=year)
        found = {(t.kind, t.year): t for t in self.filter(wanted)}
        result = []
        for kind, year in keys:
            day = datetime.date(year, 1 if kind == Term.Kind.SPRING else 7, 1)
            result.append(
                found.get((kind, year))
                or (self.ensure_for_day(day) if ensure else Term.default_for(day))
            )
        return result


class Term(models.Model):
    """A school term: VT (spring) or HT (autumn) of a year, with its teaching dates."""

    class Kind(models.TextChoices):
        SPRING = "VT", _("Spring term (VT)")
        AUTUMN = "HT", _("Autumn term (HT)")

    kind = models.CharField(_("term"), max_length=2, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-year", "-kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="term_unique_kind_year"),
            models.CheckConstraint(
                name="term_ends_after_start",
                condition=Q(ends_on__gt=models.F("starts_on")),
                violation_error_message=_("The term must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.year}"

    @staticmethod
    def kind_for(day: datetime.date) -> str:
        """The rule: January–June is VT, July–December HT (the summer counts to the autumn
        term). Pure; the term of `day` is `(Term.kind_for(day), day.year)`."""
        return Term.Kind.SPRING if day.month <= 6 else Term.Kind.AUTUMN

    @staticmethod
    def keys_back(term: "Term", count: int) -> list[tuple[str, int]]:
        """(kind, year) of the `count` terms up to and including `term`, oldest first: the
        term before a spring term is the previous year's autumn term. Pure."""
        keys = [(term.kind, term.year)]
        while len(keys) < count:
            kind, year = keys[-1]
            keys.append(
                (Term.Kind.AUTUMN, year - 1)
                if kind == Term.Kind.SPRING
                else (Term.Kind.SPRING, year)
            )
        return keys[::-1]

    @staticmethod
    def default_for(day: datetime.date) -> "Term":
        """An unsaved term of `day` with the default dates."""
        kind = Term.kind_for(day)
        starts_on, ends_on = Term.default_dates(kind, day.year)
        return Term(kind=kind, year=day.year, starts_on=starts_on, ends_on=ends_on)

    @staticmethod
    def default_dates(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
        """Typical Swedish teaching dates; administrators adjust them per term."""
        if kind == Term.Kind.SPRING:
            return datetime.date(year, 1, 8), datetime.date(year, 6, 12)
        return datetime.date(year, 8, 18), datetime.date(year, 12, 19)

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def half_year(self) -> tuple[datetime.date, datetime.date]:
        """The whole half-year the term stands for in statistics (summer included in HT)."""
        if self.kind == Term.Kind.SPRING:
            return datetime.date(self.year, 1, 1), datetime.date(self.year, 6, 30)
        return datetime.date(self.year, 7, 1), datetime.date(self.year, 12, 31)


class CoordinatorAppointment(models.Model):
    """The one key person who coordinates a team in a term."""

    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="coordinator_appointments",
        verbose_name=_("team"),
    )
    term = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="coordinator_appointments",
        verbose_name=_("term"),
    )
    key_person = models.ForeignKey(
        KeyPerson,
        on_delete=models.PROTECT,
        related_name="coordinator_appointments",
        verbose_name=_("coordinator"),
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("appointed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CoordinatorAppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordinator appointment")
        verbose_name_plural = _("coordinator appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "term"],
                name="one_coordinator_per_team_and_term",
                violation_error_message=_("The team already has a coordinator for this term."),
            )
        ]

    def __str__(self):
        return f"{self.key_person.user} – {self.team} {self.term}"


class Manager(models.Model):
    """A manager (chef) of an organisation: appoints its key persons and reviews its access log."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="manager_roles",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="managers",
        verbose_name=_("organisation"),
    )
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active to"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveDatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("manager")
        verbose_name_plural = _("managers")

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class ProcessLeader(models.Model):
    """A regional or local process leader: sees statistics for a region or some municipalities."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="process_leader",
        verbose_name=_("person"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("For a regional process leader."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="+",
        verbose_name=_("municipalities"),
        help_text=_("For a local process leader."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        verbose_name = _("process leader")
        verbose_name_plural = _("process leaders")

    def __str__(self):
        return str(self.user)

    def teams_q(self) -> Q:
        """Teams in scope: the region's, or those of the named municipalities."""
        if self.region_id:
            return Q(municipality__region_id=self.region_id)
        return Q(municipality__in=self.municipalities.all())


class UserSession(models.Model):
    """One logged-in browser session: lets a person see and end their own sessions."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="browser_sessions"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"
