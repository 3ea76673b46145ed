from django import forms
from django.utils.translation import gettext_lazy as _

from hlt.text import LONG_TEXT, NormalisedForm
from teams.models import Municipality, Team, Term


class StatisticsFilterForm(NormalisedForm, forms.Form):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all(), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    team = forms.ModelChoiceField(label=_("HLT team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, teams, **kwargs):
        # The caller has made sure the current term exists (Term.objects.current()), so it
        # can be chosen.
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=teams.values("municipality")
        )
        self.fields["team"].queryset = teams


class TermReportForm(NormalisedForm, forms.Form):
    summary = forms.CharField(
        label=_("The term in a few sentences"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=LONG_TEXT,
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"score_{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(n, str(n)) for n in range(1, 6)],
                help_text=_("1 = very poorly, 5 = very well"),
            )
            self.fields[f"comment_{question.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
