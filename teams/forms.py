from django import forms
from django.db.models.utils import get_blank_choice_label
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hlt.idempotency import SubmitTokenMixin
from hlt.text import NormalisedForm

from .models import PROFESSIONS_BY_SECTOR, Profession, Sector, Team, User


class DateInput(forms.DateInput):
    input_type = "date"


class KeyPersonAppointForm(NormalisedForm, SubmitTokenMixin, forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Person"))
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("HLT team"))
    profession = forms.ChoiceField(choices=Profession.choices, label=_("Profession"))
    active_from = forms.DateField(
        label=_("Active from"), widget=DateInput, initial=timezone.localdate
    )

    def __init__(self, *args, organisations, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            organisation__in=organisations, is_active=True
        ).select_related("organisation")
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} ({u.organisation})"
        self.fields["team"].queryset = teams.filter(is_active=True)
        # Only the professions of the manager's organisations' sectors, none preselected
        # (a school manager was offered "Child health nurse (BVC)" first).
        sectors = sorted({o.sector for o in organisations}, key=list(Sector.values).index)
        groups = [
            (
                Sector(sector).label,
                [(p, Profession(p).label) for p in PROFESSIONS_BY_SECTOR[sector]],
            )
            for sector in sectors
        ]
        choices = groups[0][1] if len(groups) == 1 else groups
        self.fields["profession"].choices = [("", get_blank_choice_label()), *choices]


class KeyPersonEndForm(NormalisedForm, forms.Form):
    active_to = forms.DateField(
        label=_("Last day in the team"), widget=DateInput, initial=timezone.localdate
    )


class SecondFactorForm(NormalisedForm, forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
