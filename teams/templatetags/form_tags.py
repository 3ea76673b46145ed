"""The error summary every form shows after a failed save (the GOV.UK Design System's
"Error summary"): at the top, taking focus, each message a link to its field."""

from django import forms, template

register = template.Library()

MULTIPLE = {"radioselect", "checkboxselectmultiple"}


def _anchor(bound_field) -> str:
    if bound_field.widget_type in MULTIPLE:
        return f"{bound_field.auto_id}_0"  # the first option, as GOV.UK links to it
    return bound_field.id_for_label or bound_field.auto_id


def _form_errors(form: forms.BaseForm, row: str = "") -> list[tuple[str, str]]:
    items = [("", f"{row}: {error}" if row else str(error)) for error in form.non_field_errors()]
    for bound_field in form:
        for error in bound_field.errors:
            label = f"{row}, {bound_field.label}" if row else bound_field.label
            items.append((_anchor(bound_field), f"{label}: {error}" if label else str(error)))
    return items


def error_items(*forms_) -> list[tuple[str, str]]:
    """(anchor, message) for every error of the given forms and formsets, in page order."""
    items: list[tuple[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        if isinstance(form, forms.BaseFormSet):
            items += [("", str(error)) for error in form.non_form_errors()]
            # "Intervention 2, Until: …" rather than a bare "Until" of some row.
            row_label = getattr(form, "row_label", "")
            for n, row in enumerate(form.forms, start=1):
                items += _form_errors(row, str(row_label) % {"n": n} if row_label else "")
        else:
            items += _form_errors(form)
    return items


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms_):
    return {"items": error_items(*forms_)}
