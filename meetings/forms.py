import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.workflow import ClosingReason, Status
from hlt.idempotency import SubmitTokenMixin
from hlt.text import LONG_TEXT, NormalisedForm
from teams.models import Sector, Term

from .services import MAX_SLOT, MIN_SLOT

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VersionForm(NormalisedForm, forms.Form):
    """Every change carries the version of the page it was made on (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def term_choices(day: datetime.date) -> list[tuple[str, str]]:
    """The current term and the two after it, e.g. HT 2026, VT 2027, HT 2027."""
    kind, year = Term.kind_for(day), day.year
    choices = []
    for _i in range(3):
        label = Term.Kind(kind).label
        choices.append((f"{kind}-{year}", f"{label} {year}"))
        kind, year = (
            (Term.Kind.AUTUMN, year) if kind == Term.Kind.SPRING else (Term.Kind.SPRING, year + 1)
        )
    return choices


class GenerateForm(NormalisedForm, forms.Form):
    term = forms.ChoiceField(label=_("Term"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = term_choices(timezone.localdate())

    def clean_term(self) -> Term:
        kind, year = self.cleaned_data["term"].split("-")
        # A day inside the term's half-year finds (or creates) the term with its dates: only
        # ever bound on POST, as generating the meetings writes them with their term.
        return Term.objects.ensure_for_day(datetime.date(int(year), 3 if kind == "VT" else 9, 1))


class MeetingForm(NormalisedForm, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    starts_at = forms.TimeField(label=_("Starts"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends"), widget=TIME)
    place = forms.CharField(label=_("Place"), max_length=200)


class MeetingAddForm(SubmitTokenMixin, MeetingForm):
    """Adding a meeting: a one-time token, so a double click adds one meeting."""


class MeetingMoveForm(MeetingForm, VersionForm):
    pass


class CancelForm(VersionForm):
    note = forms.CharField(label=_("Reason (shown to the team)"), max_length=200, required=False)


class SlotForm(VersionForm):
    slot_minutes = forms.IntegerField(
        label=_("Minutes per case"), min_value=MIN_SLOT, max_value=MAX_SLOT
    )


class AgendaAddForm(VersionForm):
    case = forms.IntegerField(widget=forms.HiddenInput)
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=MIN_SLOT, max_value=MAX_SLOT, required=False
    )


class MoveForm(VersionForm):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class AttendanceForm(VersionForm):
    present = forms.MultipleChoiceField(
        label=_("Present"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(m.pk), f"{m.full_name} ({m.seat.organisation})") for m in members
        ]

    def clean_present(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["present"]}


NEXT_STATUS_CHOICES = [
    (Status.IN_MEETING, _("Discussed: the family is being contacted")),
    (Status.SIP_PLANNED, _("A SIP meeting is planned")),
    (Status.ACTUALISED, _("Back to the waiting list: raise it at a later meeting")),
    (Status.CLOSED, _("Close the case")),
]


class MinutesForm(VersionForm):
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=LONG_TEXT,
    )
    meeting_sectors = forms.MultipleChoiceField(
        label=_("Agencies that will meet the family"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact_person = forms.TypedChoiceField(
        label=_("Contacts the family"), coerce=int, empty_value=None, required=False
    )
    contact_by = forms.DateField(label=_("Contacts the family by"), widget=DATE, required=False)
    planning_meeting_on = forms.DateField(label=_("Planning meeting"), widget=DATE, required=False)
    sip_meeting_on = forms.DateField(label=_("Planned SIP meeting"), widget=DATE, required=False)
    next_status = forms.ChoiceField(
        label=_("Next step for the case"),
        choices=NEXT_STATUS_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    closing_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "–"), *ClosingReason.choices],
        required=False,
    )

    def __init__(self, *args, members, status_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members}
        self.fields["contact_person"].choices = [("", "–")] + [
            (m.pk, f"{m.full_name} ({m.seat.organisation})") for m in members
        ]
        if status_locked:
            # The case moved when the minutes were first recorded; that is not redone here.
            self.fields["next_status"].disabled = True
            self.fields["closing_reason"].disabled = True

    def clean_contact_person(self):
        pk = self.cleaned_data["contact_person"]
        return self.members.get(pk) if pk else None
