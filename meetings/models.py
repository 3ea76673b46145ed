"""HLT meetings: the team's schedule, each meeting's agenda, minutes and attendance.

Meetings, agendas and minutes are edited with optimistic locking: every form carries the
`version` it was built from, and the service refuses to save over a newer version.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.workflow import ClosingReason, Status
from hlt.text import LONG_TEXT, long_text
from teams.models import Team, Term

DEFAULT_SLOT_MINUTES = 20


class Meeting(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("team")
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("term")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    # The date the team's rule gave, kept when the meeting is moved, so generating the
    # term again neither duplicates it nor brings back a cancelled one.
    rule_date = models.DateField(_("date by the rule"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per case"), default=DEFAULT_SLOT_MINUTES
    )
    cancel_note = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    published_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("HLT meeting")
        verbose_name_plural = _("HLT meetings")
        ordering = ["date", "starts_at"]
        indexes = [models.Index(fields=["team", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "rule_date"],
                condition=Q(rule_date__isnull=False),
                name="meeting_unique_rule_date",
            ),
            # One meeting a day per team, whatever the route (add, move, generate, admin);
            # a cancelled meeting frees its day.
            models.UniqueConstraint(
                fields=["team", "date"],
                condition=~Q(state="cancelled"),
                name="meeting_one_per_team_day",
                violation_error_message=_("The team already has a meeting on this day."),
            ),
            models.CheckConstraint(
                name="meeting_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(name="meeting_slot_positive", condition=Q(slot_minutes__gte=5)),
        ]

    def __str__(self):
        return f"{self.team} {self.date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PLANNED

    @property
    def duration_minutes(self) -> int:
        start = datetime.datetime.combine(self.date, self.starts_at)
        end = datetime.datetime.combine(self.date, self.ends_at)
        return int((end - start).total_seconds() // 60)

    @property
    def changed_since_published(self) -> bool:
        return self.published_version is not None and self.version != self.published_version


class AgendaItem(models.Model):
    """One case on one meeting's agenda, with its time slot and, later, its minutes."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="agenda_items", verbose_name=_("case")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    # True while the item waits to be discussed on an open meeting: a case has one at most.
    is_open = models.BooleanField(default=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    # Minutes (protokoll) for the case.
    notes = models.TextField(_("notes"), blank=True, max_length=LONG_TEXT, validators=[long_text])
    meeting_sectors = models.JSONField(
        _("agencies that will meet the family"), default=list, blank=True
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contacts the family"),
    )
    contact_by = models.DateField(_("contacts the family by"), null=True, blank=True)
    planning_meeting_on = models.DateField(_("planning meeting"), null=True, blank=True)
    sip_meeting_on = models.DateField(_("planned SIP meeting"), null=True, blank=True)
    next_status = models.CharField(
        _("next status of the case"), max_length=20, choices=Status.choices, blank=True
    )
    closing_reason = models.CharField(
        _("closing reason"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    minutes_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(is_open=True),
                name="agenda_one_open_item_per_case",
                violation_error_message=_("The case is already on an open meeting."),
            ),
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once"),
            # Positions stay 1..n because every change to them holds the meeting's row lock
            # (no unique index: moving swaps two positions, and SQLite cannot defer one).
        ]

    def __str__(self):
        return f"{self.meeting} #{self.position}"

    @property
    def has_minutes(self) -> bool:
        return self.minutes_recorded_at is not None


class Attendance(models.Model):
    """Who of the team's key persons attended a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]

    def __str__(self):
        return f"{self.meeting}: {self.user_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's private iCalendar address. Resetting the token makes the old address 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"calendar feed of {self.user_id}"
