from django import forms
from django.utils.translation import gettext_lazy as _

from hlt.text import LONG_TEXT, NormalisedForm
from hlt.widgets import PlainSelect
from teams.models import Municipality, Team, Term


class StatisticsFilterForm(NormalisedForm, forms.Form):
    # The terms in one query, the newest first; cleaned to the Term (a ModelChoiceField would
    # query them again for the select's first option and once more to clean the choice).
    term = forms.TypedChoiceField(label=_("Term"), coerce=int, widget=PlainSelect)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
        widget=PlainSelect,
    )
    team = forms.ModelChoiceField(
        label=_("HLT team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("All teams"),
        widget=PlainSelect,
    )

    def __init__(self, data=None, *, teams, term: Term, **kwargs):
        # The selected term is always part of the data, so the drop-down shows it even on
        # the first visit.
        data = data.copy() if data is not None else {}
        if not data.get("term"):
            data["term"] = term.pk
        super().__init__(data, **kwargs)
        self._terms = {t.pk: t for t in Term.objects.order_by("-starts_on", "-year")}
        self.fields["term"].choices = [(pk, str(t)) for pk, t in self._terms.items()]
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=teams.values("municipality")
        ).order_by("name")
        self.fields["team"].queryset = teams.order_by("name")
        if teams.count() <= 1:
            # A coordinator sees their own team: nothing to filter but the term.
            del self.fields["municipality"], self.fields["team"]

    def clean_term(self) -> Term:
        return self._terms[self.cleaned_data["term"]]


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
