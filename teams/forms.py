from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hlt.idempotency import SubmitTokenMixin
from hlt.text import NormalisedForm

from .models import Profession, Team, User


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
