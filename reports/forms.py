from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hlt.text import LONG_TEXT, NormalisedForm
from hlt.widgets import PlainSelect
from teams.models import Municipality, Team, Term


class StatisticsFilterForm(NormalisedForm, forms.Form):
    """The term, and for a reader of several teams a municipality or a team of their scope.
    The choices come as plain (id, name) rows, one query each, and are cleaned to the objects
    (ModelChoiceFields would build a model per option and query the terms twice more)."""

    term = forms.TypedChoiceField(label=_("Term"), coerce=int, widget=PlainSelect)
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )
    team = forms.TypedChoiceField(
        label=_("HLT team"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )

    def __init__(self, data=None, *, teams, term: Term, team_rows=None, terms=None, **kwargs):
        """`team_rows` (pk, name, municipality pk, municipality name, …) by team name and
        `terms` by date, newest first, when the view has read them already."""
        # The selected term is always part of the data, so the drop-down shows it even on
        # the first visit.
        data = data.copy() if data is not None else {}
        if not data.get("term"):
            data["term"] = term.pk
        super().__init__(data, **kwargs)
        self.teams = teams
        if terms is None:
            terms = Term.objects.order_by("-starts_on", "-year")
        self._terms = {t.pk: t for t in terms}
        self.fields["term"].choices = [(pk, str(t)) for pk, t in self._terms.items()]
        if team_rows is None:
            team_rows = list(
                teams.order_by("name").values_list(
                    "pk", "name", "municipality_id", "municipality__name"
                )
            )
        # Every team the reader may see (the view's scope), known without another query.
        self.team_ids = {row[0] for row in team_rows}
        if len(team_rows) <= 1:
            # A coordinator sees their own team: nothing to filter but the term.
            del self.fields["municipality"], self.fields["team"]
            return
        # The municipalities from the same rows: the page's query count doesn't depend on
        # how many teams or municipalities there are.
        munis = sorted({(row[3], row[2]) for row in team_rows})
        self.fields["municipality"].choices = [
            ("", _("All municipalities")),
            *[(pk, name) for name, pk in munis],
        ]
        self.fields["team"].choices = [("", _("All teams")), *[(r[0], r[1]) for r in team_rows]]

    def fields_html(self) -> SafeString:
        """The fields as Django's field template (django/forms/field.html) writes them, without
        its three template renders per field (a third of a process leader's page); a field
        with errors, help or a fieldset goes through the template itself."""
        parts = []
        for field in self:
            if field.errors or field.help_text or field.use_fieldset:
                parts.append(field.as_field_group())
                continue
            label = conditional_escape(field.label)
            if self.label_suffix and label and label[-1] not in gettext(":?.!"):
                label = f"{label}{conditional_escape(self.label_suffix)}"
            parts.append(f'<label for="{field.id_for_label}">{label}</label>\n\n\n\n{field}')
        return mark_safe("".join(parts))  # noqa: S308 (escaped; the widget escapes its own)

    def clean_term(self) -> Term:
        return self._terms[self.cleaned_data["term"]]

    def clean_municipality(self) -> Municipality | None:
        pk = self.cleaned_data.get("municipality")
        return None if pk is None else Municipality.objects.select_related("region").get(pk=pk)

    def clean_team(self) -> Team | None:
        pk = self.cleaned_data.get("team")
        if pk is None:
            return None
        return self.teams.select_related("municipality__region").get(pk=pk)


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
