from django import forms
from django.utils.translation import gettext_lazy as _

from teams.models import Municipality, Team, Term


class StatisticsFilterForm(forms.Form):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all(), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    team = forms.ModelChoiceField(label=_("HLT team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        Term.objects.current()  # make sure the current term can be chosen
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=teams.values("municipality")
        )
        self.fields["team"].queryset = teams
